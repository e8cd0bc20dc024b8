#include "retention.h"

#include <QSqlQuery>
#include <QVariant>

namespace Docpipe::Store {

namespace {

// Finished: nothing will read these jobs' intermediate rows again.
const QString kFinished = QStringLiteral("j.status IN ('done', 'cancelled')");

// A job row that may go as a whole: cancelled, or done but not its source's current version.
const QString kDisposableJob = QStringLiteral(
    "(j.status = 'cancelled' OR (j.status = 'done' AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.current_job_id = "
    "j.id)))");

struct Step
{
    const char *what; // for error messages
    qint64 PruneReport::*counter;
    QString sql; // one batch: DELETE ... WHERE key IN (SELECT ... LIMIT :batch)
};

QList<Step> steps()
{
    return {
        {"pruning job events", &PruneReport::events,
         QStringLiteral("DELETE FROM job_events WHERE id IN (SELECT e.id FROM job_events e JOIN jobs j ON j.id = "
                        "e.job_id WHERE e.at < :before AND %1 LIMIT :batch)")
             .arg(kFinished)},
        {"pruning parsed pages", &PruneReport::pages,
         QStringLiteral("DELETE FROM parsed_pages WHERE job_id IN (SELECT DISTINCT p.job_id FROM parsed_pages p JOIN "
                        "jobs j ON j.id = p.job_id WHERE j.updated_at < :before AND %1 LIMIT :batch)")
             .arg(kFinished)},
        {"pruning buffered chunks", &PruneReport::bufferedRows,
         QStringLiteral("DELETE FROM chunk_buffer WHERE job_id IN (SELECT DISTINCT b.job_id FROM chunk_buffer b JOIN "
                        "jobs j ON j.id = b.job_id WHERE j.updated_at < :before AND %1 LIMIT :batch)")
             .arg(kFinished)},
        {"pruning buffered vectors", &PruneReport::bufferedRows,
         QStringLiteral("DELETE FROM vector_buffer WHERE job_id IN (SELECT DISTINCT b.job_id FROM vector_buffer b JOIN "
                        "jobs j ON j.id = b.job_id WHERE j.updated_at < :before AND %1 LIMIT :batch)")
             .arg(kFinished)},
        {"pruning finished jobs", &PruneReport::jobs,
         QStringLiteral("DELETE FROM jobs WHERE id IN (SELECT j.id FROM jobs j WHERE j.updated_at < :before AND %1 "
                        "LIMIT :batch)")
             .arg(kDisposableJob)},
        {"pruning unused documents", &PruneReport::documents,
         QStringLiteral("DELETE FROM documents WHERE id IN (SELECT d.id FROM documents d WHERE d.created_at < :before "
                        "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.document_id = d.id) AND NOT EXISTS (SELECT 1 "
                        "FROM chunks c WHERE c.document_id = d.id) LIMIT :batch)")},
        {"pruning fleet events", &PruneReport::fleetEvents,
         QStringLiteral("DELETE FROM fleet_events WHERE id IN (SELECT id FROM fleet_events WHERE at < :before LIMIT "
                        ":batch)")},
        {"pruning stopped workers", &PruneReport::workers,
         QStringLiteral("DELETE FROM workers WHERE id IN (SELECT w.id FROM workers w WHERE w.heartbeat_at < :before "
                        "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.lease_owner = w.id) LIMIT :batch)")},
    };
}

// One batch in its own transaction; how many rows it deleted.
Result<int> deleteBatch(const Database &db, const Step &step, const PruneOptions &options)
{
    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QString::fromLatin1(step.what));
    QSqlQuery query(tx.sql());
    query.prepare(step.sql);
    query.bindValue(QStringLiteral(":before"), options.beforeMs);
    query.bindValue(QStringLiteral(":batch"), qMax(1, options.batchSize));
    if (!query.exec())
        return sqlError(query.lastError(), QString::fromLatin1(step.what));
    const int deleted = query.numRowsAffected();
    query.finish();
    if (!tx.commit())
        return sqlError(tx.commitError(), QString::fromLatin1(step.what));
    return qMax(0, deleted);
}

Result<bool> vacuum(const Database &db)
{
    QSqlQuery query(db.sql());
    const QString statement
        = db.dialect() == Dialect::Sqlite ? QStringLiteral("VACUUM") : QStringLiteral("VACUUM (ANALYZE)");
    if (!query.exec(statement))
        return sqlError(query.lastError(), QStringLiteral("vacuuming"));
    return true;
}

} // namespace

Result<PruneReport> pruneBefore(const Database &db, const PruneOptions &options,
                                const std::function<bool(const PruneReport &)> &progress)
{
    PruneReport report;
    for (const Step &step : steps()) {
        for (;;) {
            auto deleted = deleteBatch(db, step, options);
            if (!deleted)
                return deleted.error();
            report.*step.counter += deleted.value();
            if (progress && !progress(report))
                return report;
            if (deleted.value() < options.batchSize)
                break;
        }
    }
    if (options.vacuum) {
        if (auto done = vacuum(db); !done)
            return done.error();
        report.vacuumed = true;
    }
    return report;
}

} // namespace Docpipe::Store
