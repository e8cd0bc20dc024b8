#include "fleetworkers.h"

#include "recordjson.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QVariant>

namespace Docpipe::Store {

Result<QList<FleetWorker>> listFleet(const Database &db, const FleetListing &listing)
{
    QSqlQuery query(db.sql());
    // A stage completion is a transition event out of an active stage (claims go into one).
    query.prepare(QStringLiteral("SELECT w.id, w.host, w.pid, w.started_at, w.heartbeat_at, w.state, w.version, "
                                 "(SELECT COUNT(*) FROM jobs j WHERE j.lease_owner = w.id AND j.status = 'running'), "
                                 "(SELECT COUNT(*) FROM job_events e WHERE e.worker = w.id AND e.at >= n.now - :recent "
                                 "AND e.kind = 'transition' AND e.from_stage IN ('parsing', 'chunking', 'embedding')), "
                                 "n.now FROM workers w CROSS JOIN (SELECT %1 AS now) n "
                                 "WHERE w.state <> 'stopped' AND w.heartbeat_at >= n.now - :forget "
                                 "ORDER BY w.started_at, w.id")
                      .arg(serverNowSql(db.dialect())));
    query.bindValue(QStringLiteral(":recent"), listing.recentMs);
    query.bindValue(QStringLiteral(":forget"), listing.forgetMs);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("listing the fleet"));
    QList<FleetWorker> fleet;
    while (query.next()) {
        FleetWorker row;
        row.worker = {query.value(0).toString(),   query.value(1).toString(),   query.value(2).toLongLong(),
                      query.value(3).toLongLong(), query.value(4).toLongLong(), query.value(5).toString(),
                      query.value(6).toString()};
        row.jobsHeld = query.value(7).toInt();
        row.doneRecently = query.value(8).toInt();
        const qint64 now = query.value(9).toLongLong();
        row.state = row.worker.heartbeatAt < now - listing.silenceMs ? QStringLiteral("lost") : row.worker.state;
        fleet.append(row);
    }
    return fleet;
}

QJsonObject fleetToJson(const QList<FleetWorker> &workers)
{
    QJsonArray array;
    for (const FleetWorker &row : workers) {
        array.append(QJsonObject{
            {QStringLiteral("id"), row.worker.id},
            {QStringLiteral("host"), row.worker.host},
            {QStringLiteral("pid"), row.worker.pid},
            {QStringLiteral("version"), row.worker.version},
            {QStringLiteral("started_at"), isoTime(row.worker.startedAt)},
            {QStringLiteral("last_heartbeat"), isoTime(row.worker.heartbeatAt)},
            {QStringLiteral("jobs_held"), row.jobsHeld},
            {QStringLiteral("state"), row.state},
        });
    }
    return QJsonObject{{QStringLiteral("workers"), array}};
}

} // namespace Docpipe::Store
