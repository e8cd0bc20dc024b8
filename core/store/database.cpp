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

#include <atomic>

namespace Docpipe::Store {

namespace {

// This thread's connections. They are closed when the thread finishes: on QThread::finished,
// which the thread emits itself before anyone's wait() on it returns, because a thread-local
// destructor alone can run after main() has returned and Qt SQL's registry is gone.
struct ThreadConnections
{
    QHash<QString, QString> nameByUrl;
    QHash<QString, QString> openErrorByUrl;
    // The breakage generation (see brokenGeneration()) each connection was opened in.
    QHash<QString, quint64> generationByUrl;
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
        generationByUrl.clear();
    }
    ~ThreadConnections() { closeAll(); } // threads without a finished signal (the main thread)
};

// Bumped whenever a statement fails because its connection broke (server restarted, session
// killed, network cut). Qt's QPSQL keeps reporting such a connection as open and never
// reconnects; and when one thread's connection broke, the other threads' connections to the same
// server most likely did too. So every thread reopens a connection opened before the latest
// breakage at its next sql(), instead of each failing once more first.
std::atomic<quint64> &brokenGeneration()
{
    static std::atomic<quint64> generation{0};
    return generation;
}

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
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kSqliteBusyTimeoutMs));
    // SQLite says only "unable to open database file" when the file or its folder cannot be
    // written (WAL needs both): say which.
    const auto readOnlyHint = [&info] {
        return !QFileInfo(info.absolutePath()).isWritable() || (info.exists() && !info.isWritable())
            ? QStringLiteral(" (the database file or its folder %1 is read-only)").arg(info.absolutePath())
            : QString();
    };
    if (!db.open()) {
        *error = describeSqlError(db.lastError()) + readOnlyHint();
        return false;
    }
    QSqlQuery pragma(db);
    for (const char *statement : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
        if (!pragma.exec(QString::fromLatin1(statement))) {
            *error = describeSqlError(pragma.lastError()) + readOnlyHint();
            pragma.finish();
            db.close(); // a half-set-up connection must not look open to the next caller
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
    // A network cut that drops packets must end in an error, not a query that waits forever:
    // libpq gives up on a connect after connect_timeout, on data the server has not acknowledged
    // after tcp_user_timeout, and on a silent idle connection after the keepalive probes.
    QStringList options{QStringLiteral("connect_timeout=%1").arg(kPgConnectTimeoutSeconds),
                        QStringLiteral("keepalives=1"),
                        QStringLiteral("keepalives_idle=%1").arg(kPgKeepaliveIdleSeconds),
                        QStringLiteral("keepalives_interval=%1").arg(kPgKeepaliveIntervalSeconds),
                        QStringLiteral("keepalives_count=%1").arg(kPgKeepaliveCount),
                        QStringLiteral("tcp_user_timeout=%1").arg(kPgTcpUserTimeoutMs)};
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
    // The server's side of the same: it notices a vanished client as soon, aborts a statement that
    // runs away, and ends a transaction a cut-off worker left open (releasing its row locks).
    QSqlQuery setup(db);
    const QStringList settings{
        QStringLiteral("client_min_messages TO WARNING"),
        QStringLiteral("statement_timeout = %1").arg(kPgStatementTimeoutMs),
        QStringLiteral("idle_in_transaction_session_timeout = %1").arg(kPgIdleInTransactionTimeoutMs),
        QStringLiteral("tcp_keepalives_idle = %1").arg(kPgKeepaliveIdleSeconds),
        QStringLiteral("tcp_keepalives_interval = %1").arg(kPgKeepaliveIntervalSeconds),
        QStringLiteral("tcp_keepalives_count = %1").arg(kPgKeepaliveCount),
        QStringLiteral("tcp_user_timeout = %1").arg(kPgTcpUserTimeoutMs)};
    for (const QString &setting : settings) {
        if (!setup.exec(QStringLiteral("SET ") + setting)) {
            *error = describeSqlError(setup.lastError());
            setup.finish();
            db.close();
            return false;
        }
    }
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

bool Database::isMissingFile() const
{
    return m_dialect == Dialect::Sqlite && !QFileInfo::exists(m_url);
}

QSqlDatabase Database::sql() const
{
    ThreadConnections &connections = threadConnections();
    const auto existing = connections.nameByUrl.constFind(m_url);
    if (existing != connections.nameByUrl.constEnd()) {
        QSqlDatabase db = QSqlDatabase::database(*existing, false);
        const quint64 broken = brokenGeneration().load();
        if (connections.generationByUrl.value(m_url) < broken && db.isOpen()) {
            qCDebug(lcStore) << "reopening the database connection after a connection error";
            db.close();
        }
        connections.generationByUrl.insert(m_url, broken);
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
    connections.generationByUrl.insert(m_url, brokenGeneration().load());
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
    connections.generationByUrl.remove(m_url);
    if (name.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

namespace {

// SQLite's primary result codes that say the database, not the statement, is in trouble.
constexpr int kSqliteBusy = 5, kSqliteLocked = 6, kSqliteReadOnly = 8, kSqliteIoErr = 10, kSqliteCorrupt = 11,
              kSqliteFull = 13, kSqliteCantOpen = 14, kSqliteProtocol = 15, kSqliteNotADb = 26;

// SQLite's primary result code, or -1 when the error is not SQLite's. SQLite's codes (extended
// ones included) have at most four digits; PostgreSQL's SQLSTATE always has five characters.
int sqliteCode(const QSqlError &error)
{
    const QString native = error.nativeErrorCode();
    bool ok = false;
    const int code = native.size() < 5 ? native.toInt(&ok) : -1;
    return ok && code > 0 ? (code & 0xff) : -1; // extended codes carry the primary one in the low byte
}

bool isPostgresConnectionLoss(const QSqlError &error)
{
    if (error.type() == QSqlError::ConnectionError)
        return true;
    const QString code = error.nativeErrorCode();
    // Class 08 (connection exception); 57P01-57P03 (server shut down or restarting).
    if (code.startsWith(QLatin1String("08")) || code.startsWith(QLatin1String("57P")))
        return true;
    const QString text = error.databaseText() + u' ' + error.driverText();
    for (const char *phrase : {"server closed the connection", "no connection to the server", "terminating connection",
                               "could not receive data", "could not send data", "connection to server",
                               "Connection timed out", "Connection refused", "connection not open", "SSL SYSCALL",
                               "connection pointer is NULL", "database not open"}) {
        if (text.contains(QLatin1String(phrase), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// The open error of this thread's connection that could not be opened, if one could not.
QString threadOpenError()
{
    for (const QString &openError : std::as_const(threadConnections().openErrorByUrl)) {
        if (!openError.isEmpty())
            return openError;
    }
    return {};
}

// A statement that failed without any error at all while this thread's connection could not be
// opened: Qt refused to run it ("database not open"); the server is away.
bool isNotOpenError(const QSqlError &error)
{
    return !error.isValid() && error.databaseText().isEmpty() && error.driverText().isEmpty()
        && error.nativeErrorCode().isEmpty() && !threadOpenError().isEmpty();
}

} // namespace

SqlTrouble classifySqlError(const QSqlError &error)
{
    if (isNotOpenError(error))
        return SqlTrouble::Unreachable;
    switch (sqliteCode(error)) {
    case kSqliteBusy:
    case kSqliteLocked:
    case kSqliteProtocol: // a WAL lock race: try again
        return SqlTrouble::Busy;
    case kSqliteFull:
        return SqlTrouble::DiskFull;
    case kSqliteReadOnly:
        return SqlTrouble::ReadOnly;
    case kSqliteIoErr:
    case kSqliteCantOpen:
        return SqlTrouble::Unreachable;
    case kSqliteCorrupt:
    case kSqliteNotADb:
        return SqlTrouble::Corrupt;
    case -1:
        break; // not SQLite's: PostgreSQL's, or the driver's alone
    default:
        // The statement's own problem: a constraint (SQLITE_CONSTRAINT), a type mismatch, an SQL
        // error. Qt's SQLite driver reports a failed step as a ConnectionError; that type says
        // nothing about the connection here.
        return SqlTrouble::None;
    }
    const QString code = error.nativeErrorCode();
    // PostgreSQL's classes 22 (data exception), 23 (integrity constraint violation) and 42 (syntax
    // or access rule): the statement's own problem, whatever the driver's words around it.
    if (code.size() == 5
        && (code.startsWith(QLatin1String("22")) || code.startsWith(QLatin1String("23"))
            || code.startsWith(QLatin1String("42"))))
        return SqlTrouble::None;
    // PostgreSQL: 40001 serialization, 40P01 deadlock, 55P03 lock not available, 53300 too many
    // connections; 53100 disk full; 25006 read-only transaction (a standby).
    if (code == QLatin1String("40001") || code == QLatin1String("40P01") || code == QLatin1String("55P03")
        || code == QLatin1String("57014")) // 57014: statement_timeout (or a cancel): a hung server, not the job
        return SqlTrouble::Busy;
    if (code == QLatin1String("53300"))
        return SqlTrouble::Unreachable;
    if (code == QLatin1String("53100"))
        return SqlTrouble::DiskFull;
    if (code == QLatin1String("25006"))
        return SqlTrouble::ReadOnly;
    if (isPostgresConnectionLoss(error))
        return SqlTrouble::Unreachable;
    const QString text = error.databaseText();
    if (text.contains(QLatin1String("database is locked")))
        return SqlTrouble::Busy;
    if (text.contains(QLatin1String("disk is full")) || text.contains(QLatin1String("No space left")))
        return SqlTrouble::DiskFull;
    return SqlTrouble::None;
}

bool isTransientSqlError(const QSqlError &error)
{
    const SqlTrouble trouble = classifySqlError(error);
    return trouble != SqlTrouble::None && trouble != SqlTrouble::Corrupt;
}

QString describeSqlError(const QSqlError &error)
{
    // QSqlError::text() is empty when only the native code is set (SQLite's COMMIT and some
    // driver paths), which once gave "database error while committing a claim: " and nothing
    // more. Say what the database said, what the driver said, and the code.
    QStringList parts;
    const QString database = error.databaseText().simplified();
    const QString driver = error.driverText().simplified();
    if (!database.isEmpty())
        parts << database;
    if (!driver.isEmpty() && !database.contains(driver, Qt::CaseInsensitive))
        parts << driver;
    QString text = parts.join(QStringLiteral(": "));
    // Name the trouble in plain words where the database's own words do not.
    const auto name = [&text](const char *label, const char *wordInText) {
        if (text.isEmpty())
            text = QLatin1String(label);
        else if (!text.contains(QLatin1String(wordInText), Qt::CaseInsensitive))
            text = QLatin1String(label) + QStringLiteral(": ") + text;
    };
    switch (classifySqlError(error)) {
    case SqlTrouble::DiskFull:
        name("disk full", "full");
        break;
    case SqlTrouble::ReadOnly:
        name("read-only database", "read");
        break;
    case SqlTrouble::Corrupt:
        name("not a database, or a damaged one", "database");
        break;
    case SqlTrouble::Busy:
        name("database is locked or busy", "lock");
        break;
    default:
        break;
    }
    if (!error.nativeErrorCode().isEmpty())
        text += QStringLiteral(" (code %1)").arg(error.nativeErrorCode());
    if (isNotOpenError(error))
        text = QStringLiteral("no connection to the database: ") + threadOpenError();
    if (text.trimmed().isEmpty())
        text = QStringLiteral("unknown error (the driver gave no reason)");
    return text.trimmed();
}

StageError sqlError(const QSqlError &error, const QString &what)
{
    const SqlTrouble trouble = classifySqlError(error);
    if (trouble == SqlTrouble::Unreachable)
        ++brokenGeneration(); // every thread reopens its connection at its next sql()
    const QString message = QStringLiteral("database error while %1: %2").arg(what, describeSqlError(error));
    switch (trouble) {
    case SqlTrouble::None:
        return StageError::permanent(QStringLiteral("database_error"), message);
    case SqlTrouble::Corrupt:
        return StageError::permanent(QStringLiteral("database_corrupt"), message);
    case SqlTrouble::DiskFull:
        return StageError::transient(QString::fromLatin1(DatabaseErrorCode::Full), message);
    case SqlTrouble::ReadOnly:
        return StageError::transient(QString::fromLatin1(DatabaseErrorCode::ReadOnly), message);
    case SqlTrouble::Busy:
    case SqlTrouble::Unreachable:
        break;
    }
    return StageError::transient(QString::fromLatin1(DatabaseErrorCode::Unavailable), message);
}

bool isDatabaseUnavailable(const StageError &error)
{
    return error.code == QLatin1String(DatabaseErrorCode::Unavailable)
        || error.code == QLatin1String(DatabaseErrorCode::Full)
        || error.code == QLatin1String(DatabaseErrorCode::ReadOnly);
}

Transaction::Transaction(const Database &db)
    : m_sql(db.sql())
    , m_dialect(db.dialect())
{
    if (!m_sql.isOpen()) {
        m_beginError = QSqlError(QString(), db.lastOpenError(), QSqlError::ConnectionError);
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
        if (!ok)
            m_commitError = commitQuery.lastError();
    } else {
        ok = m_sql.commit();
        if (!ok)
            m_commitError = m_sql.lastError();
        // QPSQL refuses to commit on a connection the server has closed without setting an
        // error (it only warns "Database not open"): an empty error here is a lost connection,
        // not the job's fault, and must be retried rather than fail the job.
        if (!ok && m_commitError.nativeErrorCode().isEmpty() && m_commitError.databaseText().isEmpty()
            && m_commitError.driverText().isEmpty()) {
            m_commitError = QSqlError(QStringLiteral("the connection was lost before the commit"), QString(),
                                      QSqlError::ConnectionError);
        }
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
