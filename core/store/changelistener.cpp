#include "changelistener.h"

#include "changenotice.h"
#include "databasehealth.h"
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
        delete m_timer; // a checkNow() still queued does nothing after this
        m_timer = nullptr;
        m_sql = QSqlDatabase();
        m_db.closeThreadConnection();
    }

    void check()
    {
        if (!m_timer)
            return; // not begun, or shut down
        if (m_listening && !alive()) {
            qCWarning(lcStore) << "lost the notification connection to" << m_db.displayUrl() << "; reconnecting";
            m_sql = QSqlDatabase();
            m_db.closeThreadConnection();
            setListening(false);
            m_failedTries = 0;
        }
        if (!m_listening && !subscribe())
            ++m_failedTries;
        m_timer->start(m_listening ? m_checkMs : qMin(m_checkMs, DatabaseHealth::backoffMs(m_failedTries - 1)));
    }

Q_SIGNALS:
    void changed(const QString &payload);
    void listeningChanged(bool listening);

private:
    // Asks the subscribed connection itself: Database::sql() would quietly open a new one, which
    // listens to nothing.
    bool alive()
    {
        if (!m_sql.isOpen())
            return false;
        QSqlQuery ping(m_sql);
        return ping.exec(QStringLiteral("SELECT 1"));
    }

    bool subscribe()
    {
        m_sql = QSqlDatabase();
        QSqlDatabase sql = m_db.sql();
        if (!sql.isOpen())
            return false;
        QSqlDriver *driver = sql.driver();
        if (!driver->subscribeToNotification(QString::fromLatin1(kChangeChannel))) {
            qCWarning(lcStore) << "cannot listen for changes:" << driver->lastError().text();
            m_db.closeThreadConnection();
            return false;
        }
        connect(driver, &QSqlDriver::notification, this,
                [this](const QString &, QSqlDriver::NotificationSource, const QVariant &payload) {
                    Q_EMIT changed(payload.toString());
                });
        m_sql = sql;
        m_failedTries = 0;
        setListening(true);
        return true;
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
    int m_failedTries = 0; // reconnects in a row that failed
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

void ChangeListener::checkNow()
{
    if (m_thread.isRunning())
        QMetaObject::invokeMethod(m_side, &ListenerSide::check, Qt::QueuedConnection);
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
