// Database::migrate(): numbered .sql files per dialect, applied in order, each in a transaction.
#include "database.h"

#include "logging.h"

#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QStringList>

namespace Docpipe::Store {

namespace {

QString migrationFolder(Dialect dialect)
{
    return dialect == Dialect::Sqlite ? QStringLiteral(":/migrations/sqlite") : QStringLiteral(":/migrations/postgres");
}

QStringList migrationFiles(Dialect dialect)
{
    QStringList files = QDir(migrationFolder(dialect)).entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    return files;
}

// Statements end with ';' at the end of a line; the schema files keep to that.
QStringList statementsOf(const QString &script)
{
    QStringList statements;
    QString current;
    for (const QString &line : script.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(QLatin1String("--")) || trimmed.isEmpty())
            continue;
        current += line + u'\n';
        if (trimmed.endsWith(u';')) {
            statements << current.trimmed().chopped(1);
            current.clear();
        }
    }
    if (!current.trimmed().isEmpty())
        statements << current.trimmed();
    return statements;
}

} // namespace

int Database::latestSchemaVersion()
{
    static const int latest = int(migrationFiles(Dialect::Sqlite).size()); // built in: fixed for the process
    return latest;
}

QString schemaTooNewMessage(int version)
{
    return QStringLiteral("the database has schema version %1 but this Docpipe (%2) knows only %3; upgrade Docpipe")
        .arg(version)
        .arg(QStringLiteral(DOCPIPE_VERSION))
        .arg(Database::latestSchemaVersion());
}

Result<int> Database::schemaVersion() const
{
    QSqlQuery query(sql());
    if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_version")) || !query.next())
        return sqlError(query.lastError(), QStringLiteral("reading the schema version"));
    return query.value(0).toInt();
}

namespace {

// Workers of a fleet often start together: on PostgreSQL one migrates while the others wait on this
// session lock (even CREATE TABLE IF NOT EXISTS races between sessions), then find nothing to do.
class MigrationLock final
{
public:
    explicit MigrationLock(const QSqlDatabase &db)
        : m_db(db)
    {
        if (m_db.driverName() != QLatin1String("QPSQL"))
            return;
        QSqlQuery query(m_db);
        m_locked = query.exec(QStringLiteral("SELECT pg_advisory_lock(4242001)"));
        if (!m_locked)
            m_error = query.lastError();
    }
    ~MigrationLock()
    {
        if (!m_locked)
            return;
        QSqlQuery query(m_db);
        query.exec(QStringLiteral("SELECT pg_advisory_unlock(4242001)"));
    }
    Q_DISABLE_COPY_MOVE(MigrationLock)
    const QSqlError &error() const { return m_error; }

private:
    QSqlDatabase m_db;
    QSqlError m_error;
    bool m_locked = false;
};

} // namespace

Result<int> Database::migrate() const
{
    QSqlDatabase db = sql();
    if (!db.isOpen())
        return StageError::transient(QStringLiteral("database_unavailable"),
                                     QStringLiteral("cannot open database %1: %2").arg(displayUrl(), lastOpenError()));
    const MigrationLock lock(db);
    if (lock.error().isValid())
        return sqlError(lock.error(), QStringLiteral("locking for migration"));
    {
        QSqlQuery create(db);
        if (!create.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")))
            return sqlError(create.lastError(), QStringLiteral("creating the schema_version table"));
    }
    const QStringList files = migrationFiles(m_dialect);
    Transaction tx(*this);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QStringLiteral("starting the migration"));
    QSqlQuery query(tx.sql());
    if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_version")) || !query.next())
        return sqlError(query.lastError(), QStringLiteral("reading the schema version"));
    const int current = query.value(0).toInt();
    if (current > files.size())
        return StageError::permanent(QStringLiteral("schema_too_new"), schemaTooNewMessage(current));
    for (int version = current + 1; version <= files.size(); ++version) {
        QFile file(migrationFolder(m_dialect) + u'/' + files.at(version - 1));
        if (!file.open(QIODevice::ReadOnly))
            return StageError::permanent(QStringLiteral("migration_missing"),
                                         QStringLiteral("cannot read migration %1").arg(file.fileName()));
        for (const QString &statement : statementsOf(QString::fromUtf8(file.readAll()))) {
            if (!query.exec(statement))
                return sqlError(query.lastError(), QStringLiteral("applying migration %1").arg(files.at(version - 1)));
        }
        query.prepare(QStringLiteral("INSERT INTO schema_version (version) VALUES (?)"));
        query.addBindValue(version);
        if (!query.exec())
            return sqlError(query.lastError(), QStringLiteral("recording schema version %1").arg(version));
        qCDebug(lcStore) << "applied migration" << files.at(version - 1) << "to" << displayUrl();
    }
    query.finish();
    if (!tx.commit())
        return sqlError(tx.commitError(), QStringLiteral("committing the migration"));
    return int(files.size());
}

} // namespace Docpipe::Store
