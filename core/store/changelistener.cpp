#include "changelistener.h"

#include "changenotice.h"
#include "logging.h"

#include <QSqlDriver>
#include <QSqlQuery>
#include <QTimer>

namespace Docpipe::Store {

// Lives on the listener's thread and owns its connection there.
class ListenerSide final : public QObject
{
    Q_OBJECT

public:
    ListenerSide(const Database &db, int checkMs)
        : m_db(db)
        , m_checkMs(qMax(100, checkMs))
    { }

    void begin()
    {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &ListenerSide::check);
        check();
    }

    void shutdown()
    {
        if (m_timer)
            m_timer->stop();
        m_sql = QSqlDatabase();
        m_db.closeThreadConnection();
    }

Q_SIGNALS:
    void changed(const QString &payload);
    void listeningChanged(bool listening);

private:
    void check()
    {
        if (m_listening && !alive()) {
            qCWarning(lcStore) << "lost the notification connection to" << m_db.displayUrl() << "; reconnecting";
            m_sql = QSqlDatabase();
            m_db.closeThreadConnection();
            setListening(false);
        }
        if (!m_listening)
            subscribe();
        m_timer->start(m_listening ? m_checkMs : qMin(m_checkMs, 1000));
    }

    // Asks the subscribed connection itself: Database::sql() would quietly open a new one, which
    // listens to nothing.
    bool alive()
    {
        if (!m_sql.isOpen())
            return false;
        QSqlQuery ping(m_sql);
        return ping.exec(QStringLiteral("SELECT 1"));
    }

    void subscribe()
    {
        m_sql = QSqlDatabase();
        QSqlDatabase sql = m_db.sql();
        if (!sql.isOpen())
            return;
        QSqlDriver *driver = sql.driver();
        if (!driver->subscribeToNotification(QString::fromLatin1(kChangeChannel))) {
            qCWarning(lcStore) << "cannot listen for changes:" << driver->lastError().text();
            m_db.closeThreadConnection();
            return;
        }
        connect(driver, &QSqlDriver::notification, this,
                [this](const QString &, QSqlDriver::NotificationSource, const QVariant &payload) {
                    Q_EMIT changed(payload.toString());
                });
        m_sql = sql;
        setListening(true);
    }

    void setListening(bool listening)
    {
        m_listening = listening;
        Q_EMIT listeningChanged(listening);
    }

    Database m_db;
    QSqlDatabase m_sql; // the subscribed connection, while listening
    int m_checkMs;
    QTimer *m_timer = nullptr;
    bool m_listening = false;
};

ChangeListener::ChangeListener(const Database &db, int checkMs, QObject *parent)
    : QObject(parent)
    , m_side(new ListenerSide(db, checkMs))
{
    m_thread.setObjectName(QStringLiteral("docpipe-listener"));
    m_side->moveToThread(&m_thread);
    connect(m_side, &ListenerSide::changed, this, &ChangeListener::changed);
    connect(m_side, &ListenerSide::listeningChanged, this, [this](bool listening) {
        m_listening = listening;
        Q_EMIT listeningChanged(listening);
    });
}

ChangeListener::~ChangeListener()
{
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(m_side, &ListenerSide::shutdown, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    delete m_side;
}

void ChangeListener::start()
{
    if (m_thread.isRunning())
        return;
    m_thread.start();
    QMetaObject::invokeMethod(m_side, &ListenerSide::begin, Qt::QueuedConnection);
}

} // namespace Docpipe::Store

#include "changelistener.moc"
