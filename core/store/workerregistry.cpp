#include "workerregistry.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QSysInfo>
#include <QUuid>
#include <QVariant>

#include <cerrno>
#include <csignal>
#include <sys/types.h>

namespace Docpipe::Store {

namespace {
bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}
} // namespace

QString localHostName()
{
    return QSysInfo::machineHostName();
}

QString newWorkerId()
{
    return QStringLiteral("%1:%2:%3")
        .arg(localHostName())
        .arg(QCoreApplication::applicationPid())
        .arg(QUuid::createUuid().toString(QUuid::Id128).left(8));
}

Result<bool> registerWorker(const Database &db, const WorkerRecord &worker)
{
    QSqlQuery query(db.sql());
    query.prepare(
        QStringLiteral(
            "INSERT INTO workers (id, host, pid, started_at, heartbeat_at, state) VALUES (?, ?, ?, %1, %1, ?) "
            "ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, state = excluded.state")
            .arg(serverNowSql(db.dialect())));
    query.addBindValue(worker.id);
    query.addBindValue(worker.host);
    query.addBindValue(worker.pid);
    query.addBindValue(worker.state);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("registering worker"));
    return true;
}

Result<bool> heartbeatWorker(const Database &db, const QString &id, const QString &state)
{
    QSqlQuery query(db.sql());
    query.prepare(
        QStringLiteral("UPDATE workers SET heartbeat_at = %1, state = ? WHERE id = ?").arg(serverNowSql(db.dialect())));
    query.addBindValue(state);
    query.addBindValue(id);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("worker heartbeat"));
    return query.numRowsAffected() == 1;
}

Result<QList<WorkerRecord>> listWorkers(const Database &db, qint64 seenSince)
{
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral("SELECT id, host, pid, started_at, heartbeat_at, state FROM workers WHERE "
                                 "heartbeat_at >= ? ORDER BY started_at"));
    query.addBindValue(seenSince);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("listing workers"));
    QList<WorkerRecord> workers;
    while (query.next())
        workers.append({query.value(0).toString(), query.value(1).toString(), query.value(2).toLongLong(),
                        query.value(3).toLongLong(), query.value(4).toLongLong(), query.value(5).toString()});
    return workers;
}

Result<QStringList> reapDeadLocalWorkers(const Database &db, const QString &host, const QString &self)
{
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral("SELECT id, pid FROM workers WHERE host = ? AND id <> ? AND state <> 'stopped'"));
    query.addBindValue(host);
    query.addBindValue(self);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("listing local workers"));
    QStringList dead;
    while (query.next()) {
        if (!processAlive(query.value(1).toLongLong()))
            dead << query.value(0).toString();
    }
    query.finish();
    for (const QString &id : std::as_const(dead)) {
        query.prepare(QStringLiteral("UPDATE workers SET state = 'stopped' WHERE id = ?"));
        query.addBindValue(id);
        if (!query.exec())
            return sqlError(query.lastError(), QStringLiteral("marking worker stopped"));
    }
    return dead;
}

} // namespace Docpipe::Store
