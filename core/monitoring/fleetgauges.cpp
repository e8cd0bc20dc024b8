#include "fleetgauges.h"

#include "store/jobcontrol.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace Docpipe::Monitoring {

qint64 databaseSize(const Store::Database &db, const QString &url)
{
    if (db.dialect() == Store::Dialect::Postgres) {
        QSqlQuery query(db.sql());
        if (query.exec(QStringLiteral("SELECT pg_database_size(current_database())")) && query.next())
            return query.value(0).toLongLong();
        return -1;
    }
    const QFileInfo file(url.startsWith(QLatin1String("sqlite://")) ? url.mid(9) : url);
    if (!file.exists())
        return -1;
    const QFileInfo wal(file.absoluteFilePath() + QStringLiteral("-wal"));
    return file.size() + (wal.exists() ? wal.size() : 0);
}

Result<FleetGauges> readFleetGauges(const Store::Database &db, qint64 workerSilenceMs)
{
    FleetGauges gauges;
    QSqlDatabase sql = db.sql();
    QSqlQuery query(sql);
    if (!query.exec(QStringLiteral("SELECT stage, status, COUNT(*) FROM jobs GROUP BY stage, status")))
        return Store::sqlError(query.lastError(), QStringLiteral("counting jobs"));
    while (query.next())
        gauges.jobs.insert({query.value(0).toString(), query.value(1).toString()}, query.value(2).toLongLong());

    const QString now = Store::serverNowSql(sql);
    if (!query.exec(QStringLiteral("SELECT stage, %1 - MIN(stage_started_at) FROM jobs WHERE status = 'queued' "
                                   "GROUP BY stage")
                        .arg(now)))
        return Store::sqlError(query.lastError(), QStringLiteral("reading queue ages"));
    while (query.next())
        gauges.oldestQueuedSeconds.insert(query.value(0).toString(), qMax(0.0, query.value(1).toDouble() / 1000.0));

    query.prepare(
        QStringLiteral("SELECT COUNT(*) FROM workers WHERE state <> 'stopped' AND heartbeat_at >= %1 - :silence")
            .arg(now));
    query.bindValue(QStringLiteral(":silence"), workerSilenceMs);
    if (!query.exec() || !query.next())
        return Store::sqlError(query.lastError(), QStringLiteral("counting workers"));
    gauges.liveWorkers = query.value(0).toInt();
    query.finish();

    auto paused = Store::isPaused(db);
    if (!paused)
        return paused.error();
    gauges.paused = paused.value();
    return gauges;
}

} // namespace Docpipe::Monitoring
