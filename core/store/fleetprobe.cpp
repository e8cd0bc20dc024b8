#include "fleetprobe.h"

#include "records.h"

#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

namespace Docpipe::Store {

namespace {

const QStringList &outageCodes()
{
    static const QStringList codes{QStringLiteral("timeout"),           QStringLiteral("connection_refused"),
                                   QStringLiteral("connection_closed"), QStringLiteral("host_not_found"),
                                   QStringLiteral("tls_error"),         QStringLiteral("network_error"),
                                   QStringLiteral("server_error")};
    return codes;
}

QString quoted(const QStringList &words)
{
    QStringList out;
    for (const QString &word : words)
        out << u'\'' + word + u'\'';
    return out.join(u',');
}

bool run(QSqlQuery &query, const QString &sql, const QVariantMap &values)
{
    query.prepare(sql);
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        query.bindValue(it.key(), it.value());
    return query.exec();
}

} // namespace

bool isOutageCode(const QString &code)
{
    return outageCodes().contains(code);
}

Result<FleetSnapshot> probeFleet(const Database &db, const FleetProbeLimits &limits)
{
    FleetSnapshot snap;
    QSqlQuery query(db.sql());
    const QString now = serverNowSql(db.dialect());
    const auto failed = [&](const char *what) { return sqlError(query.lastError(), QString::fromLatin1(what)); };

    if (!query.exec(QStringLiteral("SELECT ") + now) || !query.next())
        return failed("reading the server's clock");
    snap.now = query.value(0).toLongLong();
    query.finish();

    // Distinct jobs, so a job failed, retried by the operator and failed again counts once.
    if (!run(query,
             QStringLiteral("SELECT COUNT(DISTINCT CASE WHEN kind = 'failed' THEN job_id END), COUNT(DISTINCT job_id) "
                            "FROM job_events WHERE at >= :since AND (kind IN ('failed', 'cancelled') "
                            "OR (kind = 'transition' AND to_stage = 'embedded'))"),
             {{QStringLiteral(":since"), snap.now - limits.failureWindowMs}})
        || !query.next())
        return failed("counting ended jobs");
    snap.failedJobs = query.value(0).toInt();
    snap.endedJobs = query.value(1).toInt();
    query.finish();

    if (!run(query,
             QStringLiteral("SELECT COUNT(*), MIN(stage_started_at) FROM jobs "
                            "WHERE status IN ('queued', 'running') AND stage_started_at < :before"),
             {{QStringLiteral(":before"), snap.now - limits.stuckMs}})
        || !query.next())
        return failed("counting stuck jobs");
    snap.stuckJobs = query.value(0).toInt();
    snap.oldestStuckSince = query.value(1).toLongLong();
    query.finish();
    if (snap.stuckJobs > 0) {
        if (!run(query,
                 QStringLiteral("SELECT id FROM jobs WHERE status IN ('queued', 'running') "
                                "ORDER BY stage_started_at, id LIMIT 1"),
                 {})
            || !query.next())
            return failed("finding the oldest stuck job");
        snap.oldestStuckJob = query.value(0).toLongLong();
        query.finish();
    }

    if (!query.exec(QStringLiteral("SELECT stage, COUNT(*) FROM jobs WHERE status = 'queued' GROUP BY stage")))
        return failed("measuring queues");
    for (const Stage active : {Stage::Parsing, Stage::Chunking, Stage::Embedding})
        snap.queueDepth.insert(active, 0);
    while (query.next()) {
        const int n = query.value(1).toInt();
        snap.waitingJobs += n;
        if (const auto stage = stageFromName(query.value(0).toString()); stage && isCheckpoint(*stage)) {
            if (const auto active = activeStageAfter(*stage))
                snap.queueDepth[*active] += n;
        }
    }
    query.finish();

    if (!run(query,
             QStringLiteral("SELECT COUNT(*) FROM workers WHERE state <> 'stopped' AND heartbeat_at >= %1 - :silence")
                 .arg(now),
             {{QStringLiteral(":silence"), limits.workerSilenceMs}})
        || !query.next())
        return failed("counting live workers");
    snap.liveWorkers = query.value(0).toInt();
    query.finish();

    snap.services.insert(Stage::Parsing, {});
    snap.services.insert(Stage::Embedding, {});
    const qint64 serviceSince = snap.now - limits.serviceWindowMs;
    if (!run(query,
             QStringLiteral("SELECT from_stage, code, COUNT(*), MAX(at) FROM job_events WHERE at >= :since "
                            "AND kind IN ('retry', 'failed') AND from_stage IN ('parsing', 'embedding') "
                            "AND code IN (%1) GROUP BY from_stage, code")
                 .arg(quoted(outageCodes() + QStringList{QStringLiteral("insufficient_quota")})),
             {{QStringLiteral(":since"), serviceSince}}))
        return failed("reading service errors");
    while (query.next()) {
        const auto stage = stageFromName(query.value(0).toString());
        if (!stage)
            continue;
        ServiceErrors &errors = snap.services[*stage];
        const QString code = query.value(1).toString();
        const int n = query.value(2).toInt();
        const qint64 at = query.value(3).toLongLong();
        if (code == QLatin1String("insufficient_quota")) {
            errors.quotaErrors += n;
            errors.lastQuotaAt = qMax(errors.lastQuotaAt, at);
        } else {
            errors.outageErrors += n;
            if (at >= errors.lastOutageAt) {
                errors.lastOutageAt = at;
                errors.lastOutageCode = code;
            }
        }
    }
    query.finish();
    if (!run(query,
             QStringLiteral("SELECT from_stage, MAX(at) FROM job_events WHERE at >= :since AND kind = 'transition' "
                            "AND from_stage IN ('parsing', 'embedding') GROUP BY from_stage"),
             {{QStringLiteral(":since"), serviceSince}}))
        return failed("reading service successes");
    while (query.next()) {
        if (const auto stage = stageFromName(query.value(0).toString()))
            snap.services[*stage].lastSuccessAt = query.value(1).toLongLong();
    }
    return snap;
}

} // namespace Docpipe::Store
