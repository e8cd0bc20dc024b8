#include "workerregistry.h"

#include "changenotice.h"

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
    query.prepare(QStringLiteral("INSERT INTO workers (id, host, pid, started_at, heartbeat_at, state, version) "
                                 "VALUES (:id, :host, :pid, %1, %1, :state, :version) "
                                 "ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, "
                                 "state = excluded.state, version = excluded.version")
                      .arg(serverNowSql(db.dialect())));
    query.bindValue(QStringLiteral(":id"), worker.id);
    query.bindValue(QStringLiteral(":host"), worker.host);
    query.bindValue(QStringLiteral(":pid"), worker.pid);
    query.bindValue(QStringLiteral(":state"), worker.state);
    query.bindValue(QStringLiteral(":version"),
                    worker.version.isEmpty() ? QStringLiteral(DOCPIPE_VERSION) : worker.version);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("registering worker"));
    query.finish();
    QSqlDatabase sql = db.sql();
    return notifyChange(sql, controlPayload(QStringLiteral("workers"))); // windows show it at once
}

Result<QString> heartbeatWorker(const Database &db, const QString &id, const QString &state)
{
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral("UPDATE workers SET heartbeat_at = %1, state = CASE WHEN state = 'draining' AND "
                                 ":state <> 'stopped' THEN 'draining' ELSE :state END WHERE id = :id RETURNING state")
                      .arg(serverNowSql(db.dialect())));
    query.bindValue(QStringLiteral(":state"), state);
    query.bindValue(QStringLiteral(":id"), id);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("worker heartbeat"));
    const QString now = query.next() ? query.value(0).toString() : state;
    query.finish();
    if (state == QLatin1String("stopped")) { // a worker leaving the fleet: windows show it at once
        QSqlDatabase sql = db.sql();
        if (auto notified = notifyChange(sql, controlPayload(QStringLiteral("workers"))); !notified)
            return notified.error();
    }
    return now;
}

Result<bool> requestDrain(const Database &db, const QString &id)
{
    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QStringLiteral("asking a worker to drain"));
    QSqlQuery query(tx.sql());
    query.prepare(QStringLiteral("UPDATE workers SET state = 'draining' WHERE id = :id AND state = 'running'"));
    query.bindValue(QStringLiteral(":id"), id);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("asking a worker to drain"));
    if (query.numRowsAffected() != 1)
        return false;
    query.finish();
    if (auto notified = notifyChange(tx.sql(), drainPayload(id)); !notified)
        return notified;
    if (!tx.commit())
        return sqlError(tx.sql().lastError(), QStringLiteral("asking a worker to drain"));
    return true;
}

Result<QList<WorkerRecord>> listWorkers(const Database &db, qint64 seenSince)
{
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral("SELECT id, host, pid, started_at, heartbeat_at, state, version FROM workers WHERE "
                                 "heartbeat_at >= ? ORDER BY started_at"));
    query.addBindValue(seenSince);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("listing workers"));
    QList<WorkerRecord> workers;
    while (query.next())
        workers.append({query.value(0).toString(), query.value(1).toString(), query.value(2).toLongLong(),
                        query.value(3).toLongLong(), query.value(4).toLongLong(), query.value(5).toString(),
                        query.value(6).toString()});
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
