#include "documentversions.h"

#include "records.h"
#include "transition.h"

#include <QSqlQuery>
#include <QVariant>

namespace Docpipe::Store {

namespace {

bool isPostgres(const QSqlDatabase &sql)
{
    return sql.driverName() == QLatin1String("QPSQL");
}

QString forUpdate(const QSqlDatabase &sql, const char *table = nullptr)
{
    if (!isPostgres(sql))
        return {};
    return table ? QStringLiteral(" FOR UPDATE OF %1").arg(QLatin1String(table)) : QStringLiteral(" FOR UPDATE");
}

Result<bool> exec(QSqlQuery &query, const QString &what)
{
    if (!query.exec())
        return sqlError(query.lastError(), what);
    return true;
}

struct InFlight
{
    qint64 id = 0;
    Stage stage = Stage::Uploaded;
    JobStatus status = JobStatus::Queued;
};

Result<QList<InFlight>> inFlightVersions(QSqlDatabase &sql, qint64 sourceId, qint64 exceptJobId)
{
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("SELECT id, stage, status FROM jobs WHERE source_id = ? AND id <> ? "
                                 "AND status IN ('queued', 'running') ORDER BY id"));
    query.addBindValue(sourceId);
    query.addBindValue(exceptJobId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("looking for versions in flight"));
    QList<InFlight> jobs;
    while (query.next()) {
        jobs.append({query.value(0).toLongLong(), stageFromName(query.value(1).toString()).value_or(Stage::Uploaded),
                     statusFromName(query.value(2).toString()).value_or(JobStatus::Queued)});
    }
    return jobs;
}

// Cancels the source's versions in flight (other than `exceptJobId`) with `code` and `message`.
Result<QList<qint64>> cancelInFlight(QSqlDatabase &sql, qint64 sourceId, qint64 exceptJobId, const QString &code,
                                     const QString &message, const QString &actor)
{
    auto jobs = inFlightVersions(sql, sourceId, exceptJobId);
    if (!jobs)
        return jobs.error();
    QList<qint64> cancelled;
    for (const InFlight &job : jobs.value()) {
        Transition t;
        t.jobId = job.id;
        t.fromStage = job.stage;
        t.fromStatus = job.status;
        t.toStage = job.stage;
        t.toStatus = JobStatus::Cancelled;
        t.setError = true;
        t.errorCode = code;
        t.errorMessage = message;
        t.worker = actor;
        t.eventKind = QString::fromLatin1(EventKind::Cancelled);
        t.eventCode = code;
        t.eventMessage = message;
        auto moved = applyTransition(sql, t);
        if (!moved)
            return moved.error();
        if (moved.value())
            cancelled.append(job.id);
    }
    return cancelled;
}

Result<int> deleteChunksOfOtherVersions(QSqlDatabase &sql, qint64 sourceId, qint64 keepJobId)
{
    QSqlQuery query(sql);
    query.prepare(
        QStringLiteral("DELETE FROM chunks WHERE job_id IN (SELECT id FROM jobs WHERE source_id = ? AND id <> ?)"));
    query.addBindValue(sourceId);
    query.addBindValue(keepJobId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("removing the chunks of the replaced version"));
    return query.numRowsAffected();
}

} // namespace

QString deletePolicyName(DeletePolicy policy)
{
    return policy == DeletePolicy::Keep ? QStringLiteral("keep") : QStringLiteral("remove");
}

std::optional<DeletePolicy> deletePolicyFromName(const QString &name)
{
    if (name == QLatin1String("remove"))
        return DeletePolicy::Remove;
    if (name == QLatin1String("keep"))
        return DeletePolicy::Keep;
    return std::nullopt;
}

Result<SourceRow> lockSource(QSqlDatabase &sql, const QString &key)
{
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("INSERT INTO sources (source_key) VALUES (?) ON CONFLICT (source_key) DO NOTHING"));
    query.addBindValue(key);
    if (auto ok = exec(query, QStringLiteral("recording the document's identity")); !ok)
        return ok.error();
    query.prepare(QStringLiteral("SELECT id, folder_id, latest_version, current_job_id, removed_at FROM sources "
                                 "WHERE source_key = ?")
                  + forUpdate(sql));
    query.addBindValue(key);
    if (!query.exec() || !query.next())
        return sqlError(query.lastError(), QStringLiteral("reading the document's identity"));
    SourceRow row;
    row.id = query.value(0).toLongLong();
    row.key = key;
    row.folderId = query.value(1).toLongLong();
    row.latestVersion = query.value(2).toInt();
    row.currentJobId = query.value(3).toLongLong();
    row.removed = !query.value(4).isNull();
    query.prepare(QStringLiteral("SELECT j.id, d.sha256 FROM jobs j JOIN documents d ON d.id = j.document_id "
                                 "WHERE j.source_id = ? ORDER BY j.version DESC, j.id DESC LIMIT 1"));
    query.addBindValue(row.id);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading the document's latest version"));
    if (query.next()) {
        row.latestJobId = query.value(0).toLongLong();
        row.latestSha256 = query.value(1).toString();
    }
    return row;
}

Result<QList<qint64>> supersedeOlderVersions(QSqlDatabase &sql, qint64 sourceId, qint64 newJobId, int newVersion)
{
    return cancelInFlight(sql, sourceId, newJobId, QStringLiteral("superseded"),
                          QStringLiteral("superseded by version %1 (job %2)").arg(newVersion).arg(newJobId),
                          QStringLiteral("ingest"));
}

Result<TakeOver> takeOverAsCurrent(QSqlDatabase &sql, qint64 jobId)
{
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("SELECT j.source_id, j.version, s.current_job_id, s.removed_at, "
                                 "(SELECT c.version FROM jobs c WHERE c.id = s.current_job_id) "
                                 "FROM jobs j JOIN sources s ON s.id = j.source_id WHERE j.id = ?")
                  + forUpdate(sql, "s"));
    query.addBindValue(jobId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading the document's current version"));
    TakeOver takeOver;
    if (!query.next())
        return takeOver; // a job without an identity: nothing to replace
    const qint64 sourceId = query.value(0).toLongLong();
    const int version = query.value(1).toInt();
    const qint64 currentJobId = query.value(2).toLongLong();
    const bool removed = !query.value(3).isNull();
    const int currentVersion = query.value(4).isNull() ? 0 : query.value(4).toInt();
    query.finish();
    if (removed || (currentJobId != jobId && currentVersion > version)) {
        takeOver.current = false;
        takeOver.newerVersion = removed ? 0 : currentVersion;
        return takeOver;
    }
    if (currentJobId != 0 && currentJobId != jobId)
        takeOver.replacedVersion = currentVersion;
    auto deleted = deleteChunksOfOtherVersions(sql, sourceId, jobId);
    if (!deleted)
        return deleted.error();
    takeOver.replacedChunks = deleted.value();
    query.prepare(QStringLiteral("UPDATE sources SET current_job_id = ? WHERE id = ?"));
    query.addBindValue(jobId);
    query.addBindValue(sourceId);
    if (auto ok = exec(query, QStringLiteral("making the version current")); !ok)
        return ok.error();
    return takeOver;
}

QString takeOverMessage(int chunks, const TakeOver &takeOver)
{
    if (!takeOver.current) {
        return takeOver.newerVersion > 0
            ? QStringLiteral("superseded: version %1 was embedded first; these %2 chunk(s) were not stored")
                  .arg(takeOver.newerVersion)
                  .arg(chunks)
            : QStringLiteral("the file was deleted meanwhile; these %1 chunk(s) were not stored").arg(chunks);
    }
    if (takeOver.replacedVersion > 0)
        return QStringLiteral("%1 chunk(s) stored; they replace version %2 (%3 chunk(s))")
            .arg(chunks)
            .arg(takeOver.replacedVersion)
            .arg(takeOver.replacedChunks);
    return QStringLiteral("%1 chunk(s) stored").arg(chunks);
}

Result<bool> removeSource(const Database &db, qint64 sourceId, DeletePolicy policy, const QString &actor)
{
    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QStringLiteral("removing a deleted file"));
    QSqlDatabase &sql = tx.sql();
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("SELECT removed_at, current_job_id, (SELECT MAX(id) FROM jobs WHERE source_id = ?) "
                                 "FROM sources WHERE id = ?")
                  + forUpdate(sql));
    query.addBindValue(sourceId);
    query.addBindValue(sourceId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading a deleted file's document"));
    if (!query.next() || !query.value(0).isNull())
        return false; // unknown, or already removed
    const qint64 latestJobId = query.value(2).toLongLong();
    query.finish();

    auto cancelled = cancelInFlight(sql, sourceId, 0, QStringLiteral("file_deleted"),
                                    QStringLiteral("the file was deleted from the watched folder"), actor);
    if (!cancelled)
        return cancelled.error();
    int removedChunks = 0;
    if (policy == DeletePolicy::Remove) {
        auto deleted = deleteChunksOfOtherVersions(sql, sourceId, 0);
        if (!deleted)
            return deleted.error();
        removedChunks = deleted.value();
    }
    query.prepare(QStringLiteral("UPDATE sources SET removed_at = %1%2 WHERE id = ?")
                      .arg(serverNowSql(sql),
                           policy == DeletePolicy::Remove ? QStringLiteral(", current_job_id = NULL") : QString()));
    query.addBindValue(sourceId);
    if (auto ok = exec(query, QStringLiteral("marking the file deleted")); !ok)
        return ok;
    if (latestJobId != 0) {
        const QString message = policy == DeletePolicy::Remove
            ? QStringLiteral("the file was deleted from the watched folder; its %1 chunk(s) were removed")
                  .arg(removedChunks)
            : QStringLiteral("the file was deleted from the watched folder; its chunks are kept (the folder keeps "
                             "deleted files' chunks)");
        if (auto ok = insertEvent(sql,
                                  {latestJobId, QString::fromLatin1(EventKind::SourceRemoved), QString(), QString(),
                                   QStringLiteral("file_deleted"), message, actor, -1});
            !ok)
            return ok;
    }
    if (!tx.commit())
        return sqlError(tx.commitError(), QStringLiteral("committing a deleted file"));
    return true;
}

} // namespace Docpipe::Store
