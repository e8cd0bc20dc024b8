#include "jobqueue.h"

#include "documentversions.h"
#include "jobrow.h"
#include "transition.h"

#include <QSqlQuery>
#include <QVariant>

namespace Docpipe::Store {

namespace {

Transition stageDone(const JobRecord &job, const QString &worker, qint64 durationMs)
{
    Transition t;
    t.jobId = job.id;
    t.fromStage = job.stage;
    t.fromStatus = JobStatus::Running;
    t.expectedOwner = worker;
    t.expectedToken = job.leaseToken;
    t.toStage = checkpointAfter(job.stage);
    t.toStatus = t.toStage == Stage::Embedded ? JobStatus::Done : JobStatus::Queued;
    t.worker = worker;
    t.durationMs = durationMs;
    return t;
}

Result<bool> exec(QSqlQuery &query, const QString &what)
{
    if (!query.exec())
        return sqlError(query.lastError(), what);
    return true;
}

// Runs `body` inside a write transaction; commits when it returns true.
template <typename Body>
Result<bool> inTransaction(const Database &db, const QString &what, Body body)
{
    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), what);
    Result<bool> result = body(tx.sql());
    if (!result || !result.value())
        return result; // rolled back by tx
    if (!tx.commit())
        return sqlError(tx.commitError(), what);
    return true;
}

} // namespace

Result<std::optional<JobRecord>> claimNext(const Database &db, Stage active, const QString &worker, qint64 leaseMs)
{
    const Stage checkpoint = checkpointBefore(active);
    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QStringLiteral("claiming a job"));
    QSqlQuery query(tx.sql());
    // Nothing while paused, and nothing for a worker older than the schema (a newer Docpipe migrated
    // the database under it: what it would write may no longer fit).
    QString sql = QStringLiteral("SELECT id FROM jobs WHERE status = 'queued' AND stage = :stage AND not_before <= %1 "
                                 "AND NOT EXISTS (SELECT 1 FROM control WHERE key = 'paused' AND value = '1') "
                                 "AND NOT EXISTS (SELECT 1 FROM schema_version WHERE version > :known) "
                                 "ORDER BY priority DESC, id LIMIT 1")
                      .arg(serverNowSql(db.dialect()));
    if (db.dialect() == Dialect::Postgres)
        sql += QStringLiteral(" FOR UPDATE SKIP LOCKED");
    query.prepare(sql);
    query.bindValue(QStringLiteral(":stage"), stageName(checkpoint));
    query.bindValue(QStringLiteral(":known"), Database::latestSchemaVersion());
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("looking for work"));
    if (!query.next())
        return std::optional<JobRecord>();
    const qint64 id = query.value(0).toLongLong();
    query.finish();

    Transition t;
    t.jobId = id;
    t.fromStage = checkpoint;
    t.fromStatus = JobStatus::Queued;
    t.toStage = active;
    t.toStatus = JobStatus::Running;
    t.newOwner = worker;
    t.leaseMs = leaseMs;
    t.worker = worker;
    auto moved = applyTransition(tx.sql(), t);
    if (!moved)
        return moved.error();
    if (!moved.value())
        return std::optional<JobRecord>(); // taken between SELECT and UPDATE (cannot happen under the lock; harmless)

    query.prepare(QStringLiteral("SELECT ") + jobSelectColumns()
                  + QStringLiteral(" FROM jobs j JOIN documents d ON d.id = j.document_id WHERE j.id = ?"));
    query.addBindValue(id);
    if (!query.exec() || !query.next())
        return sqlError(query.lastError(), QStringLiteral("reading the claimed job"));
    JobRecord job = readJobRow(query);
    query.finish();
    if (!tx.commit())
        return sqlError(tx.commitError(), QStringLiteral("committing a claim"));
    return std::optional<JobRecord>(job);
}

Result<bool> completeParsing(const Database &db, const JobRecord &job, const QString &worker,
                             const ParsedDocument &document, qint64 durationMs)
{
    return inTransaction(db, QStringLiteral("saving parsed pages"), [&](QSqlDatabase &sql) -> Result<bool> {
        Transition t = stageDone(job, worker, durationMs);
        t.pages = int(document.pages.size());
        t.eventMessage = QStringLiteral("%1 page(s) of %2").arg(document.pages.size()).arg(document.type);
        auto moved = applyTransition(sql, t);
        if (!moved || !moved.value())
            return moved;
        QSqlQuery query(sql);
        query.prepare(QStringLiteral("UPDATE jobs SET doc_type = ? WHERE id = ?"));
        query.addBindValue(document.type);
        query.addBindValue(job.id);
        if (auto ok = exec(query, QStringLiteral("recording the document type")); !ok)
            return ok;
        query.prepare(QStringLiteral("DELETE FROM parsed_pages WHERE job_id = ?"));
        query.addBindValue(job.id);
        if (auto ok = exec(query, QStringLiteral("replacing parsed pages")); !ok)
            return ok;
        query.prepare(QStringLiteral("INSERT INTO parsed_pages (job_id, page_no, text, furniture, ocr, ocr_confidence) "
                                     "VALUES (:job, :page, :text, :furniture, :ocr, :confidence)"));
        for (const ParsedPage &page : document.pages) {
            query.bindValue(QStringLiteral(":job"), job.id);
            query.bindValue(QStringLiteral(":page"), page.number);
            // A null QString binds as NULL: a blank page (a scan OCR found empty) is stored as ''.
            query.bindValue(QStringLiteral(":text"), page.text.isNull() ? QStringLiteral("") : page.text);
            query.bindValue(QStringLiteral(":furniture"),
                            page.furniture.isEmpty() ? QStringLiteral("") : page.furniture.join(u'\n'));
            query.bindValue(QStringLiteral(":ocr"), page.ocr ? 1 : 0);
            query.bindValue(QStringLiteral(":confidence"),
                            page.ocr ? QVariant(page.ocrConfidence) : QVariant(QMetaType::fromType<int>()));
            if (auto ok = exec(query, QStringLiteral("saving page %1").arg(page.number)); !ok)
                return ok;
        }
        for (const QString &warning : document.warnings) {
            if (auto ok = insertEvent(sql,
                                      {job.id, QString::fromLatin1(EventKind::Warning), stageName(job.stage), QString(),
                                       QStringLiteral("parser_warning"), warning, worker, -1});
                !ok)
                return ok;
        }
        return true;
    });
}

Result<bool> completeChunking(const Database &db, const JobRecord &job, const QString &worker,
                              const QList<Chunk> &chunks, qint64 durationMs)
{
    return inTransaction(db, QStringLiteral("saving chunks"), [&](QSqlDatabase &sql) -> Result<bool> {
        Transition t = stageDone(job, worker, durationMs);
        t.chunks = int(chunks.size());
        t.eventMessage = QStringLiteral("%1 chunk(s)").arg(chunks.size());
        auto moved = applyTransition(sql, t);
        if (!moved || !moved.value())
            return moved;
        QSqlQuery query(sql);
        for (const char *table : {"chunk_buffer", "vector_buffer"}) {
            query.prepare(QStringLiteral("DELETE FROM %1 WHERE job_id = ?").arg(QLatin1String(table)));
            query.addBindValue(job.id);
            if (auto ok = exec(query, QStringLiteral("replacing buffered chunks")); !ok)
                return ok;
        }
        query.prepare(QStringLiteral(
            "INSERT INTO chunk_buffer (job_id, idx, text, tokens, page_start, page_end, char_start, char_end) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const Chunk &chunk : chunks) {
            query.addBindValue(job.id);
            query.addBindValue(chunk.index);
            query.addBindValue(chunk.text);
            query.addBindValue(chunk.tokens);
            query.addBindValue(chunk.pageStart);
            query.addBindValue(chunk.pageEnd);
            query.addBindValue(chunk.charStart);
            query.addBindValue(chunk.charEnd);
            if (auto ok = exec(query, QStringLiteral("buffering chunk %1").arg(chunk.index)); !ok)
                return ok;
        }
        return true;
    });
}

Result<QList<PendingChunk>> pendingChunks(const Database &db, const JobRecord &job, const QString &worker,
                                          const QString &model, int dims, int afterIndex, int limit)
{
    const qint64 jobId = job.id;
    QSqlDatabase sql = db.sql();
    QSqlQuery query(sql);
    if (afterIndex < 0) {
        // Fenced like every write for a job: a worker whose lease was taken over drops nothing.
        query.prepare(QStringLiteral("DELETE FROM vector_buffer WHERE job_id = :id AND (model <> :model OR dims <> "
                                     ":dims) AND EXISTS (SELECT 1 FROM jobs WHERE id = :id AND status = 'running' "
                                     "AND lease_owner = :owner AND lease_token = :token)"));
        query.bindValue(QStringLiteral(":id"), jobId);
        query.bindValue(QStringLiteral(":model"), model);
        query.bindValue(QStringLiteral(":dims"), dims);
        query.bindValue(QStringLiteral(":owner"), worker);
        query.bindValue(QStringLiteral(":token"), job.leaseToken);
        if (!query.exec())
            return sqlError(query.lastError(), QStringLiteral("dropping vectors of another model"));
    }
    query.prepare(QStringLiteral("SELECT b.idx, b.text, b.tokens FROM chunk_buffer b LEFT JOIN vector_buffer v "
                                 "ON v.job_id = b.job_id AND v.idx = b.idx WHERE b.job_id = ? AND b.idx > ? "
                                 "AND v.idx IS NULL ORDER BY b.idx%1")
                      .arg(limit > 0 ? QStringLiteral(" LIMIT %1").arg(limit) : QString()));
    query.addBindValue(jobId);
    query.addBindValue(afterIndex);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading chunks to embed"));
    QList<PendingChunk> pending;
    while (query.next())
        pending.append({query.value(0).toInt(), query.value(1).toString(), query.value(2).toInt()});
    return pending;
}

Result<qint64> bufferedVectorCount(const Database &db, qint64 jobId)
{
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM vector_buffer WHERE job_id = ?"));
    query.addBindValue(jobId);
    if (!query.exec() || !query.next())
        return sqlError(query.lastError(), QStringLiteral("counting stored vectors"));
    return query.value(0).toLongLong();
}

Result<bool> storeVectors(const Database &db, const JobRecord &job, const QString &worker, const QList<int> &indexes,
                          const QList<QByteArray> &vectors, const QString &model, int dims)
{
    const qint64 jobId = job.id;
    Q_ASSERT(indexes.size() == vectors.size());
    return inTransaction(db, QStringLiteral("saving vectors"), [&](QSqlDatabase &sql) -> Result<bool> {
        QSqlQuery query(sql);
        // The lease check and the writes share one transaction: a cancelled job, or one whose
        // lease was taken over (another owner, or a newer token), gets nothing.
        query.prepare(QStringLiteral("UPDATE jobs SET updated_at = %1 WHERE id = :id AND stage = 'embedding' "
                                     "AND status = 'running' AND lease_owner = :owner AND lease_token = :token")
                          .arg(serverNowSql(sql)));
        query.bindValue(QStringLiteral(":id"), jobId);
        query.bindValue(QStringLiteral(":owner"), worker);
        query.bindValue(QStringLiteral(":token"), job.leaseToken);
        if (auto ok = exec(query, QStringLiteral("checking the lease")); !ok)
            return ok;
        if (query.numRowsAffected() != 1)
            return false;
        query.prepare(
            QStringLiteral("INSERT INTO vector_buffer (job_id, idx, model, dims, vector) VALUES (?, ?, ?, ?, ?) "
                           "ON CONFLICT (job_id, idx) DO UPDATE SET model = excluded.model, dims = excluded.dims, "
                           "vector = excluded.vector"));
        for (qsizetype i = 0; i < indexes.size(); ++i) {
            query.addBindValue(jobId);
            query.addBindValue(indexes.at(i));
            query.addBindValue(model);
            query.addBindValue(dims);
            query.addBindValue(vectors.at(i));
            if (auto ok = exec(query, QStringLiteral("saving vector %1").arg(indexes.at(i))); !ok)
                return ok;
        }
        return true;
    });
}

Result<bool> completeEmbedding(const Database &db, const JobRecord &job, const QString &worker, qint64 durationMs)
{
    return inTransaction(db, QStringLiteral("storing final chunks"), [&](QSqlDatabase &sql) -> Result<bool> {
        QSqlQuery query(sql);
        query.prepare(QStringLiteral("SELECT (SELECT COUNT(*) FROM chunk_buffer WHERE job_id = ?), (SELECT COUNT(*) "
                                     "FROM vector_buffer WHERE job_id = ?)"));
        query.addBindValue(job.id);
        query.addBindValue(job.id);
        if (!query.exec() || !query.next())
            return sqlError(query.lastError(), QStringLiteral("counting buffered chunks"));
        const int chunkCount = query.value(0).toInt();
        const int vectorCount = query.value(1).toInt();
        query.finish();
        if (chunkCount != vectorCount)
            return StageError::transient(
                QStringLiteral("vectors_missing"),
                QStringLiteral("%1 of %2 chunks have no vector yet").arg(chunkCount - vectorCount).arg(chunkCount));

        // This version replaces the document's current one here, in the same transaction (the
        // source is locked first, in the same order as an ingest of a new version).
        auto takeOver = takeOverAsCurrent(sql, job.id);
        if (!takeOver)
            return takeOver.error();
        Transition t = stageDone(job, worker, durationMs);
        t.chunks = takeOver.value().current ? chunkCount : 0;
        t.eventMessage = takeOverMessage(chunkCount, takeOver.value());
        auto moved = applyTransition(sql, t);
        if (!moved || !moved.value())
            return moved;
        query.prepare(QStringLiteral("DELETE FROM chunks WHERE job_id = ?"));
        query.addBindValue(job.id);
        if (auto ok = exec(query, QStringLiteral("replacing final chunks")); !ok)
            return ok;
        if (takeOver.value().current) {
            query.prepare(
                QStringLiteral(
                    "INSERT INTO chunks (job_id, document_id, idx, text, tokens, page_start, page_end, char_start, "
                    "char_end, "
                    "model, dims, vector, created_at) "
                    "SELECT b.job_id, j.document_id, b.idx, b.text, b.tokens, b.page_start, b.page_end, b.char_start, "
                    "b.char_end, v.model, v.dims, v.vector, %1 FROM chunk_buffer b "
                    "JOIN vector_buffer v ON v.job_id = b.job_id AND v.idx = b.idx JOIN jobs j ON j.id = b.job_id "
                    "WHERE b.job_id = ?")
                    .arg(serverNowSql(sql)));
            query.addBindValue(job.id);
            if (auto ok = exec(query, QStringLiteral("moving chunks into the final table")); !ok)
                return ok;
        }
        for (const char *table : {"vector_buffer", "chunk_buffer"}) {
            query.prepare(QStringLiteral("DELETE FROM %1 WHERE job_id = ?").arg(QLatin1String(table)));
            query.addBindValue(job.id);
            if (auto ok = exec(query, QStringLiteral("emptying buffers")); !ok)
                return ok;
        }
        return true;
    });
}

Result<bool> recordFailure(const Database &db, const JobRecord &job, const QString &worker, const StageError &error,
                           const FailureOutcome &outcome, qint64 durationMs)
{
    return inTransaction(db, QStringLiteral("recording a failure"), [&](QSqlDatabase &sql) -> Result<bool> {
        Transition t;
        t.jobId = job.id;
        t.fromStage = job.stage;
        t.fromStatus = JobStatus::Running;
        t.expectedOwner = worker;
        t.expectedToken = job.leaseToken;
        t.worker = worker;
        t.durationMs = durationMs;
        t.setError = true;
        t.errorCode = error.code;
        t.eventCode = error.code;
        if (outcome.willRetry) {
            t.toStage = checkpointBefore(job.stage);
            t.toStatus = JobStatus::Queued;
            t.addAttempts = 1;
            t.notBeforeDelayMs = outcome.delayMs;
            t.errorMessage = error.message;
            t.eventKind = QString::fromLatin1(EventKind::Retry);
            t.eventMessage = QStringLiteral("%1 (attempt %2 failed; retrying in %3 s)")
                                 .arg(error.message)
                                 .arg(job.attempts + 1)
                                 .arg(double(qMax<qint64>(0, outcome.delayMs)) / 1000.0, 0, 'f', 1);
        } else {
            t.toStage = job.stage;
            t.toStatus = JobStatus::Failed;
            t.addAttempts = 1;
            t.errorMessage = error.isTransient()
                ? QStringLiteral("gave up after %1 attempts: %2").arg(job.attempts + 1).arg(error.message)
                : error.message;
            t.eventKind = QString::fromLatin1(EventKind::Failed);
            t.eventMessage = t.errorMessage;
        }
        return applyTransition(sql, t);
    });
}

Result<bool> releaseJob(const Database &db, const JobRecord &job, const QString &worker, const QString &reason)
{
    return inTransaction(db, QStringLiteral("handing a job back"), [&](QSqlDatabase &sql) -> Result<bool> {
        Transition t;
        t.jobId = job.id;
        t.fromStage = job.stage;
        t.fromStatus = JobStatus::Running;
        t.expectedOwner = worker;
        t.expectedToken = job.leaseToken;
        t.toStage = checkpointBefore(job.stage);
        t.toStatus = JobStatus::Queued;
        t.worker = worker;
        t.eventKind = QString::fromLatin1(EventKind::Released);
        t.eventMessage = reason;
        return applyTransition(sql, t);
    });
}

Result<QList<qint64>> renewLeases(const Database &db, const QString &worker, const QList<HeldLease> &leases,
                                  qint64 leaseMs)
{
    QList<qint64> held;
    if (leases.isEmpty())
        return held;
    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QStringLiteral("renewing leases"));
    QSqlQuery query(tx.sql());
    query.prepare(QStringLiteral("UPDATE jobs SET lease_expires = %1 + :lease_ms WHERE id = :id AND lease_owner = "
                                 ":owner AND lease_token = :token AND status = 'running'")
                      .arg(serverNowSql(db.dialect())));
    for (const HeldLease &lease : leases) {
        query.bindValue(QStringLiteral(":lease_ms"), leaseMs);
        query.bindValue(QStringLiteral(":id"), lease.jobId);
        query.bindValue(QStringLiteral(":owner"), worker);
        query.bindValue(QStringLiteral(":token"), lease.token);
        if (!query.exec())
            return sqlError(query.lastError(), QStringLiteral("renewing leases"));
        if (query.numRowsAffected() == 1)
            held.append(lease.jobId);
    }
    query.finish();
    if (!tx.commit())
        return sqlError(tx.commitError(), QStringLiteral("renewing leases"));
    return held;
}

Result<int> releaseForgottenLeases(const Database &db, const QString &worker, const QList<qint64> &held, qint64 leaseMs,
                                   qint64 minAgeMs)
{
    QSqlQuery select(db.sql());
    select.prepare(QStringLiteral("SELECT ") + jobSelectColumns()
                   + QStringLiteral(" FROM jobs j JOIN documents d ON d.id = j.document_id WHERE j.status = 'running' "
                                    "AND j.lease_owner = :owner AND j.lease_expires < %1 + :fresh_ms")
                         .arg(serverNowSql(db.dialect())));
    select.bindValue(QStringLiteral(":owner"), worker);
    select.bindValue(QStringLiteral(":fresh_ms"), leaseMs - minAgeMs);
    if (!select.exec())
        return sqlError(select.lastError(), QStringLiteral("looking for forgotten leases"));
    QList<JobRecord> forgotten;
    while (select.next()) {
        const JobRecord job = readJobRow(select);
        if (!held.contains(job.id))
            forgotten.append(job);
    }
    select.finish();
    int released = 0;
    for (const JobRecord &job : std::as_const(forgotten)) {
        auto moved = releaseJob(db, job, worker,
                                QStringLiteral("this worker no longer worked on it (its last write was lost with the "
                                               "database connection); handed back"));
        if (!moved)
            return moved.error();
        released += moved.value() ? 1 : 0;
    }
    return released;
}

namespace {

// One rescue pass at a time across the fleet: a session advisory lock on PostgreSQL, taken without
// waiting (a worker that finds it held skips its pass; the holder's pass covers the same jobs) and
// freed by the server if the holder dies. On SQLite, one host's BEGIN IMMEDIATE already serializes.
class RescueLock final
{
public:
    explicit RescueLock(const Database &db)
        : m_sql(db.dialect() == Dialect::Postgres ? db.sql() : QSqlDatabase())
    {
        if (!m_sql.isValid()) {
            m_held = true;
            return;
        }
        QSqlQuery query(m_sql);
        if (!query.exec(QStringLiteral("SELECT pg_try_advisory_lock(%1)").arg(kRescueLockKey)) || !query.next())
            m_error = query.lastError();
        else
            m_held = m_locked = query.value(0).toBool();
    }
    ~RescueLock()
    {
        if (!m_locked)
            return;
        QSqlQuery query(m_sql);
        query.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(kRescueLockKey));
    }
    Q_DISABLE_COPY_MOVE(RescueLock)

    bool held() const { return m_held; }
    const QSqlError &error() const { return m_error; }

private:
    static constexpr int kRescueLockKey = 4242002; // 4242001 guards migrations
    QSqlDatabase m_sql;
    QSqlError m_error;
    bool m_held = false;
    bool m_locked = false;
};

Transition rescueOf(const JobRecord &job, int maxRescues, const QString &byWorker)
{
    const bool exhausted = job.rescues + 1 >= maxRescues;
    Transition t;
    t.jobId = job.id;
    t.fromStage = job.stage;
    t.fromStatus = JobStatus::Running;
    t.expectedOwner = job.leaseOwner;
    t.expectedToken = job.leaseToken;
    t.toStage = exhausted ? job.stage : checkpointBefore(job.stage);
    t.toStatus = exhausted ? JobStatus::Failed : JobStatus::Queued;
    t.addRescues = 1;
    t.worker = byWorker;
    t.eventKind = QString::fromLatin1(EventKind::LeaseExpired);
    t.eventCode = exhausted ? QStringLiteral("worker_lost") : QStringLiteral("lease_expired");
    t.eventMessage = exhausted
        ? QStringLiteral("worker %1 stopped responding; a worker was lost %2 times on this job, so it failed")
              .arg(job.leaseOwner)
              .arg(job.rescues + 1)
        : QStringLiteral("worker %1 stopped responding; returned to %2 (rescue %3 of %4)")
              .arg(job.leaseOwner, stageName(checkpointBefore(job.stage)))
              .arg(job.rescues + 1)
              .arg(maxRescues);
    if (exhausted) {
        t.setError = true;
        t.errorCode = t.eventCode;
        t.errorMessage = t.eventMessage;
    }
    return t;
}

} // namespace

Result<int> recoverLeases(const Database &db, const QStringList &deadWorkers, int maxRescues, const QString &byWorker)
{
    const RescueLock lock(db);
    if (!lock.held()) {
        if (lock.error().isValid())
            return sqlError(lock.error(), QStringLiteral("taking the rescue lock"));
        return 0; // another worker is rescuing right now
    }
    QSqlQuery select(db.sql());
    QString sql = QStringLiteral("SELECT ") + jobSelectColumns()
        + QStringLiteral(" FROM jobs j JOIN documents d ON d.id = j.document_id WHERE j.status = 'running' AND "
                         "(j.lease_expires < %1")
              .arg(serverNowSql(db.dialect()));
    for (qsizetype i = 0; i < deadWorkers.size(); ++i)
        sql += QStringLiteral(" OR j.lease_owner = ?");
    sql += u')';
    select.prepare(sql);
    for (const QString &dead : deadWorkers)
        select.addBindValue(dead);
    if (!select.exec())
        return sqlError(select.lastError(), QStringLiteral("looking for expired leases"));
    QList<JobRecord> stale;
    while (select.next())
        stale.append(readJobRow(select));
    select.finish();

    int recovered = 0;
    for (const JobRecord &job : std::as_const(stale)) {
        auto moved = inTransaction(db, QStringLiteral("recovering a lease"), [&](QSqlDatabase &tx) -> Result<bool> {
            return applyTransition(tx, rescueOf(job, maxRescues, byWorker));
        });
        if (!moved)
            return moved.error();
        recovered += moved.value() ? 1 : 0;
    }
    return recovered;
}

} // namespace Docpipe::Store
