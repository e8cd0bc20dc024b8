// A handle on Docpipe's database: SQLite file or PostgreSQL URL. Cheap to copy; each thread
// that calls sql() gets its own named QSqlDatabase connection (a connection belongs to the
// thread that opened it), closed when that thread ends.
#pragma once

#include "model/result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

namespace Docpipe::Store {

enum class Dialect { Sqlite, Postgres };

class Database
{
public:
    Database() = default;
    // `url` is a file path (or sqlite:// URL) or postgresql://user:pass@host:port/db.
    explicit Database(const QString &url);

    bool isValid() const { return !m_url.isEmpty(); }
    Dialect dialect() const { return m_dialect; }
    // The URL with any password replaced by "***": safe for logs and messages.
    QString displayUrl() const;
    // A SQLite database whose file is not there (opening it would create an empty one).
    bool isMissingFile() const;

    // This thread's open connection; opens it on first use. On failure the returned
    // connection is not open and lastOpenError() says why (without the password).
    QSqlDatabase sql() const;
    QString lastOpenError() const;

    // Creates or upgrades the schema. Safe to call from several processes at once (PostgreSQL: an
    // advisory lock makes the others wait, then find nothing left to do). Refuses (schema_too_new)
    // a database a newer Docpipe has migrated.
    Result<int> migrate() const;
    static int latestSchemaVersion();
    // The version the database is at (0: none yet).
    Result<int> schemaVersion() const;

    // Closes this thread's connection (tests that delete the file; threads that end close theirs).
    void closeThreadConnection() const;

private:
    QString m_url;
    Dialect m_dialect = Dialect::Sqlite;
};

// Where the database stands when a statement fails, as far as the error says.
enum class SqlTrouble {
    None, // the statement's own problem (constraint, syntax, ...)
    Busy, // locked by someone else, deadlock, serialization: try again
    Unreachable, // connection lost or refused, server shutting down, file cannot be opened
    DiskFull,
    ReadOnly,
    Corrupt, // not a database, or a damaged one
};
SqlTrouble classifySqlError(const QSqlError &error);

// Codes of the StageErrors that are the database's trouble, not a job's: the engine waits and
// tries again (see databasehealth.h) instead of counting them against the job.
namespace DatabaseErrorCode {
inline constexpr char Unavailable[] = "database_unavailable"; // unreachable or busy
inline constexpr char Full[] = "database_full";
inline constexpr char ReadOnly[] = "database_read_only";
} // namespace DatabaseErrorCode

// A failed statement as a classified StageError ("database error while <what>: <reason>"): the
// DatabaseErrorCode ones are transient; anything else permanent (database_error,
// database_corrupt). A lost connection also makes this thread's next Database::sql() reconnect.
StageError sqlError(const QSqlError &error, const QString &what);
bool isTransientSqlError(const QSqlError &error);
bool isDatabaseUnavailable(const StageError &error);
// One line for people: the database's and the driver's words and the native code, never empty.
QString describeSqlError(const QSqlError &error);

// Connection settings (see openPostgres for why): a cut connection is noticed within about
// 20 s on both sides; a statement runs at most 5 minutes; an abandoned transaction ends after 60 s.
inline constexpr int kSqliteBusyTimeoutMs = 10000;
inline constexpr int kPgConnectTimeoutSeconds = 5;
inline constexpr int kPgKeepaliveIdleSeconds = 10;
inline constexpr int kPgKeepaliveIntervalSeconds = 3;
inline constexpr int kPgKeepaliveCount = 3;
inline constexpr int kPgTcpUserTimeoutMs = 20000;
inline constexpr int kPgStatementTimeoutMs = 300000;
inline constexpr int kPgIdleInTransactionTimeoutMs = 60000;

// Write transaction: BEGIN IMMEDIATE on SQLite (a deferred transaction that reads then writes
// can fail on busy even with a busy timeout), BEGIN on PostgreSQL. Rolls back unless committed.
class Transaction final
{
public:
    explicit Transaction(const Database &db);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    bool isActive() const { return m_active; }
    const QSqlError &beginError() const { return m_beginError; }
    bool commit();
    // Why commit() failed (the connection's lastError() does not say for SQLite).
    const QSqlError &commitError() const { return m_commitError; }
    void rollback();
    QSqlDatabase &sql() { return m_sql; }

private:
    QSqlDatabase m_sql;
    QSqlError m_beginError;
    QSqlError m_commitError;
    Dialect m_dialect;
    bool m_active = false;
};

// Why a worker refuses a database at schema `version` (newer than it knows).
QString schemaTooNewMessage(int version);

// This machine's clock (epoch ms): for what only this process compares (timeouts, display).
qint64 nowMs();
// The database server's clock in epoch milliseconds, as an SQL expression to put into a
// statement. Leases, backoff, heartbeats and event times are all taken from it: a fleet agrees on
// one clock however far the workers' own clocks drift (SQLite: the one host's clock).
QString serverNowSql(const QSqlDatabase &db);
QString serverNowSql(Dialect dialect);

} // namespace Docpipe::Store
