#include "jobcontrol.h"

#include "changenotice.h"
#include "records.h"
#include "transition.h"

#include <QSqlQuery>
#include <QVariant>

namespace Docpipe::Store {

namespace {

struct JobState
{
    Stage stage;
    JobStatus status;
};

Result<std::optional<JobState>> readState(QSqlDatabase &sql, qint64 id)
{
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("SELECT stage, status FROM jobs WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading job %1").arg(id));
    if (!query.next())
        return std::optional<JobState>();
    return std::optional<JobState>(JobState{stageFromName(query.value(0).toString()).value_or(Stage::Uploaded),
                                            statusFromName(query.value(1).toString()).value_or(JobStatus::Queued)});
}

Result<bool> dropDerivedRows(QSqlDatabase &sql, qint64 id)
{
    QSqlQuery query(sql);
    for (const char *table : {"parsed_pages", "chunk_buffer", "vector_buffer", "chunks"}) {
        query.prepare(QStringLiteral("DELETE FROM %1 WHERE job_id = ?").arg(QLatin1String(table)));
        query.addBindValue(id);
        if (!query.exec())
            return sqlError(query.lastError(), QStringLiteral("dropping derived rows of job %1").arg(id));
    }
    return true;
}

// Applies `change` to each job in its own transaction (a job that moved meanwhile is skipped).
template <typename Change>
Result<int> forEachJob(const Database &db, const QList<qint64> &ids, const QString &what, Change change)
{
    int changed = 0;
    for (const qint64 id : ids) {
        Transaction tx(db);
        if (!tx.isActive())
            return sqlError(tx.beginError(), what);
        auto state = readState(tx.sql(), id);
        if (!state)
            return state.error();
        if (!state.value())
            continue;
        auto moved = change(tx.sql(), id, *state.value());
        if (!moved)
            return moved.error();
        if (moved.value()) {
            if (!tx.commit())
                return sqlError(tx.commitError(), what);
            ++changed;
        }
    }
    return changed;
}

} // namespace

Result<int> retryJobs(const Database &db, const QList<qint64> &ids, RetryFrom from, const QString &actor)
{
    return forEachJob(db, ids, QStringLiteral("retrying jobs"),
                      [&](QSqlDatabase &sql, qint64 id, const JobState &state) -> Result<bool> {
                          Transition t;
                          t.jobId = id;
                          t.fromStage = state.stage;
                          t.fromStatus = state.status;
                          t.toStatus = JobStatus::Queued;
                          t.resetAttempts = true;
                          t.worker = actor;
                          if (from == RetryFrom::Start) {
                              t.toStage = Stage::Uploaded;
                              t.pages = 0;
                              t.chunks = 0;
                              t.eventKind = QString::fromLatin1(EventKind::Rerun);
                              t.eventMessage = QStringLiteral("re-run from the start");
                              auto moved = applyTransition(sql, t);
                              if (!moved || !moved.value())
                                  return moved;
                              return dropDerivedRows(sql, id);
                          }
                          if (state.status != JobStatus::Failed && state.status != JobStatus::Cancelled)
                              return false;
                          t.toStage = checkpointBefore(state.stage);
                          t.eventKind = QString::fromLatin1(EventKind::OperatorRetry);
                          t.eventMessage = QStringLiteral("retry from %1").arg(stageName(t.toStage));
                          return applyTransition(sql, t);
                      });
}

Result<QList<qint64>> failedJobIds(const Database &db)
{
    QSqlQuery query(db.sql());
    if (!query.exec(QStringLiteral("SELECT id FROM jobs WHERE status = 'failed' ORDER BY id")))
        return sqlError(query.lastError(), QStringLiteral("listing failed jobs"));
    QList<qint64> ids;
    while (query.next())
        ids.append(query.value(0).toLongLong());
    return ids;
}

Result<int> cancelJobs(const Database &db, const QList<qint64> &ids, const QString &actor)
{
    return forEachJob(db, ids, QStringLiteral("cancelling jobs"),
                      [&](QSqlDatabase &sql, qint64 id, const JobState &state) -> Result<bool> {
                          if (state.status != JobStatus::Queued && state.status != JobStatus::Running)
                              return false;
                          Transition t;
                          t.jobId = id;
                          t.fromStage = state.stage;
                          t.fromStatus = state.status;
                          t.toStage = state.stage;
                          t.toStatus = JobStatus::Cancelled;
                          t.setError = true;
                          t.errorCode = QStringLiteral("cancelled");
                          t.errorMessage = QStringLiteral("cancelled by %1").arg(actor);
                          t.worker = actor;
                          t.eventKind = QString::fromLatin1(EventKind::Cancelled);
                          t.eventMessage = t.errorMessage;
                          return applyTransition(sql, t);
                      });
}

Result<int> setPriority(const Database &db, const QList<qint64> &ids, int priority, const QString &actor)
{
    return forEachJob(
        db, ids, QStringLiteral("changing priority"),
        [&](QSqlDatabase &sql, qint64 id, const JobState &state) -> Result<bool> {
            QSqlQuery query(sql);
            query.prepare(
                QStringLiteral("UPDATE jobs SET priority = ?, updated_at = %1 WHERE id = ?").arg(serverNowSql(sql)));
            query.addBindValue(priority);
            query.addBindValue(id);
            if (!query.exec())
                return sqlError(query.lastError(), QStringLiteral("changing priority of job %1").arg(id));
            if (auto recorded = insertEvent(sql,
                                            {id, QString::fromLatin1(EventKind::Priority), stageName(state.stage),
                                             stageName(state.stage), QString(),
                                             QStringLiteral("priority set to %1").arg(priority), actor, -1});
                !recorded)
                return recorded;
            return notifyChange(sql, jobPayload(state.stage, state.status, id));
        });
}

Result<bool> setPaused(const Database &db, bool paused)
{
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral("INSERT INTO control (key, value) VALUES ('paused', ?) ON CONFLICT (key) DO UPDATE "
                                 "SET value = excluded.value"));
    query.addBindValue(paused ? QStringLiteral("1") : QStringLiteral("0"));
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("setting pause"));
    query.finish();
    QSqlDatabase sql = db.sql();
    return notifyChange(sql, controlPayload(paused ? QStringLiteral("paused") : QStringLiteral("resumed")));
}

Result<bool> isPaused(const Database &db)
{
    QSqlQuery query(db.sql());
    if (!query.exec(QStringLiteral("SELECT value FROM control WHERE key = 'paused'")))
        return sqlError(query.lastError(), QStringLiteral("reading pause"));
    return query.next() && query.value(0).toString() == QLatin1String("1");
}

} // namespace Docpipe::Store
