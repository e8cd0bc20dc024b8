#include "database.h"

#include "logging.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

namespace Docpipe::Store {

namespace {

// This thread's connections. They are closed when the thread finishes: on QThread::finished,
// which the thread emits itself before anyone's wait() on it returns, because a thread-local
// destructor alone can run after main() has returned and Qt SQL's registry is gone.
struct ThreadConnections
{
    QHash<QString, QString> nameByUrl;
    QHash<QString, QString> openErrorByUrl;
    bool watchingThread = false;

    void closeAll()
    {
        for (const QString &name : std::as_const(nameByUrl)) {
            {
                QSqlDatabase db = QSqlDatabase::database(name, false);
                if (db.isValid())
                    db.close();
            }
            QSqlDatabase::removeDatabase(name);
        }
        nameByUrl.clear();
        openErrorByUrl.clear();
    }
    ~ThreadConnections() { closeAll(); } // threads without a finished signal (the main thread)
};

ThreadConnections &threadConnections()
{
    thread_local ThreadConnections connections;
    return connections;
}

void closeWhenThreadFinishes(ThreadConnections &connections)
{
    QThread *thread = QThread::currentThread();
    if (connections.watchingThread || thread == QCoreApplication::instance()->thread())
        return;
    connections.watchingThread = true;
    QObject::connect(
        thread, &QThread::finished, thread,
        [] {
            ThreadConnections &mine = threadConnections();
            mine.closeAll();
            mine.watchingThread = false;
        },
        Qt::DirectConnection);
}

bool isPostgresUrl(const QString &url)
{
    return url.startsWith(QLatin1String("postgresql://")) || url.startsWith(QLatin1String("postgres://"));
}

QString sqlitePath(const QString &url)
{
    if (url.startsWith(QLatin1String("sqlite://")))
        return QUrl(url).toLocalFile().isEmpty() ? url.mid(9) : QUrl(url).toLocalFile();
    return url;
}

QString connectionName(const QString &url)
{
    const QByteArray hash = QCryptographicHash::hash(url.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
    return QStringLiteral("docpipe-%1-%2")
        .arg(QString::fromLatin1(hash))
        .arg(reinterpret_cast<quintptr>(QThread::currentThread()), 0, 16);
}

bool openSqlite(QSqlDatabase &db, const QString &path, QString *error)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        *error = QStringLiteral("cannot create the folder %1").arg(info.absolutePath());
        return false;
    }
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open()) {
        *error = db.lastError().text().simplified();
        return false;
    }
    QSqlQuery pragma(db);
    for (const char *statement : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
        if (!pragma.exec(QString::fromLatin1(statement))) {
            *error = pragma.lastError().text();
            return false;
        }
    }
    return true;
}

bool openPostgres(QSqlDatabase &db, const QString &url, QString *error)
{
    const QUrl parsed(url);
    db.setHostName(parsed.host());
    db.setPort(parsed.port(5432));
    db.setDatabaseName(parsed.path().mid(1));
    db.setUserName(parsed.userName());
    db.setPassword(parsed.password());
    QStringList options{QStringLiteral("connect_timeout=5")};
    const QUrlQuery query(parsed);
    if (query.hasQueryItem(QStringLiteral("sslmode")))
        options << QStringLiteral("sslmode=") + query.queryItemValue(QStringLiteral("sslmode"));
    db.setConnectOptions(options.join(u';'));
    if (!db.open()) {
        // libpq's message spans lines and can echo connection parameters; never the password,
        // but be sure. One line, so every front end can show it as it is.
        QString message = db.lastError().databaseText().simplified();
        if (message.isEmpty())
            message = db.lastError().text().simplified();
        if (!parsed.password().isEmpty())
            message.replace(parsed.password(), QStringLiteral("***"));
        *error = message;
        return false;
    }
    QSqlQuery setup(db);
    setup.exec(QStringLiteral("SET client_min_messages TO WARNING"));
    return true;
}

} // namespace

Database::Database(const QString &url)
    : m_url(url)
    , m_dialect(isPostgresUrl(url) ? Dialect::Postgres : Dialect::Sqlite)
{
    if (m_dialect == Dialect::Sqlite)
        m_url = QFileInfo(sqlitePath(url)).absoluteFilePath();
}

QString Database::displayUrl() const
{
    if (m_dialect == Dialect::Sqlite)
        return m_url;
    QUrl url(m_url);
    if (!url.password().isEmpty())
        url.setPassword(QStringLiteral("***"));
    return url.toString();
}

QSqlDatabase Database::sql() const
{
    ThreadConnections &connections = threadConnections();
    const auto existing = connections.nameByUrl.constFind(m_url);
    if (existing != connections.nameByUrl.constEnd()) {
        QSqlDatabase db = QSqlDatabase::database(*existing, false);
        if (db.isOpen())
            return db;
        // A connection that failed to open, or was closed by the server: try again.
        QString error;
        const bool opened
            = m_dialect == Dialect::Sqlite ? openSqlite(db, m_url, &error) : openPostgres(db, m_url, &error);
        connections.openErrorByUrl.insert(m_url, opened ? QString() : error);
        return db;
    }
    const QString name = connectionName(m_url);
    if (QCoreApplication::instance())
        closeWhenThreadFinishes(connections);
    QSqlDatabase db = QSqlDatabase::addDatabase(
        m_dialect == Dialect::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), name);
    connections.nameByUrl.insert(m_url, name);
    QString error;
    const bool opened = m_dialect == Dialect::Sqlite ? openSqlite(db, m_url, &error) : openPostgres(db, m_url, &error);
    connections.openErrorByUrl.insert(m_url, opened ? QString() : error);
    if (!opened)
        qCDebug(lcStore) << "cannot open database" << displayUrl() << ":" << error; // the caller reports it
    return db;
}

QString Database::lastOpenError() const
{
    return threadConnections().openErrorByUrl.value(m_url);
}

void Database::closeThreadConnection() const
{
    ThreadConnections &connections = threadConnections();
    const QString name = connections.nameByUrl.take(m_url);
    if (name.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

bool isTransientSqlError(const QSqlError &error)
{
    if (error.type() == QSqlError::ConnectionError)
        return true;
    const QString code = error.nativeErrorCode();
    const QString text = error.databaseText();
    // SQLite: 5 SQLITE_BUSY, 6 SQLITE_LOCKED. PostgreSQL: class 08 (connection), 40001
    // serialization, 40P01 deadlock, 57P01 admin shutdown, 53300 too many connections.
    if (code == QLatin1String("5") || code == QLatin1String("6"))
        return true;
    if (code.startsWith(QLatin1String("08")) || code == QLatin1String("40001") || code == QLatin1String("40P01")
        || code == QLatin1String("57P01") || code == QLatin1String("53300"))
        return true;
    return text.contains(QLatin1String("database is locked"))
        || text.contains(QLatin1String("server closed the connection"))
        || text.contains(QLatin1String("no connection to the server"));
}

StageError sqlError(const QSqlError &error, const QString &what)
{
    const QString message = QStringLiteral("database error while %1: %2").arg(what, error.text().trimmed());
    if (isTransientSqlError(error))
        return StageError::transient(QStringLiteral("database_unavailable"), message);
    return StageError::permanent(QStringLiteral("database_error"), message);
}

Transaction::Transaction(const Database &db)
    : m_sql(db.sql())
    , m_dialect(db.dialect())
{
    if (!m_sql.isOpen()) {
        m_beginError = QSqlError(db.lastOpenError(), QString(), QSqlError::ConnectionError);
        return;
    }
    if (m_dialect == Dialect::Sqlite) {
        QSqlQuery begin(m_sql);
        m_active = begin.exec(QStringLiteral("BEGIN IMMEDIATE"));
        if (!m_active)
            m_beginError = begin.lastError();
    } else {
        m_active = m_sql.transaction();
        if (!m_active)
            m_beginError = m_sql.lastError();
    }
}

Transaction::~Transaction()
{
    if (m_active)
        rollback();
}

bool Transaction::commit()
{
    if (!m_active)
        return false;
    bool ok;
    if (m_dialect == Dialect::Sqlite) {
        QSqlQuery commitQuery(m_sql);
        ok = commitQuery.exec(QStringLiteral("COMMIT"));
    } else {
        ok = m_sql.commit();
    }
    if (ok)
        m_active = false;
    else
        rollback();
    return ok;
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    if (m_dialect == Dialect::Sqlite) {
        QSqlQuery rollbackQuery(m_sql);
        rollbackQuery.exec(QStringLiteral("ROLLBACK"));
    } else {
        m_sql.rollback();
    }
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString serverNowSql(Dialect dialect)
{
    // clock_timestamp(), not now(): now() is the transaction's start, and a lease taken at the end
    // of a long transaction would be short by its length.
    return dialect == Dialect::Postgres
        ? QStringLiteral("CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)")
        : QStringLiteral("CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)");
}

QString serverNowSql(const QSqlDatabase &db)
{
    return serverNowSql(db.driverName() == QLatin1String("QPSQL") ? Dialect::Postgres : Dialect::Sqlite);
}

} // namespace Docpipe::Store
