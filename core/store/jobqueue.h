// The engine's side of the store: claim work under a lease, commit each stage's results with
// its transition in one transaction, record failures, keep and recover leases.
#pragma once

#include "database.h"
#include "model/document.h"
#include "model/result.h"
#include "records.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Docpipe::Store {

// Moves the best waiting job (priority, then age) from the checkpoint before `active` into
// `active`, leased to `worker` until the server's now + leaseMs, with the next lease token. Nothing is claimed while
// the engine is paused (control table) or before a job's not_before. Safe across threads and processes (SQLite: BEGIN
// IMMEDIATE; PostgreSQL: FOR UPDATE SKIP LOCKED).
Result<std::optional<JobRecord>> claimNext(const Database &db, Stage active, const QString &worker, qint64 leaseMs);

// Each returns false when the job was no longer ours (cancelled, lease lost or taken over; the
// lease is checked by owner and token): nothing written.
Result<bool> completeParsing(const Database &db, const JobRecord &job, const QString &worker,
                             const ParsedDocument &document, qint64 durationMs);
Result<bool> completeChunking(const Database &db, const JobRecord &job, const QString &worker,
                              const QList<Chunk> &chunks, qint64 durationMs);

struct PendingChunk
{
    int index = 0;
    QString text;
    int tokens = 0;
};
// Chunks of the job that have no vector for this model yet, in index order, after `afterIndex`
// and at most `limit` of them (0: all), so a long document is embedded a window at a time.
// The first window (afterIndex < 0) also drops vectors of another model, if the job is still ours
// (owner and lease token).
Result<QList<PendingChunk>> pendingChunks(const Database &db, const JobRecord &job, const QString &worker,
                                          const QString &model, int dims, int afterIndex = -1, int limit = 0);
// How many of the job's chunks already have a vector in the buffer (a resumed job's progress).
Result<qint64> bufferedVectorCount(const Database &db, qint64 jobId);
// Stores one batch's vectors (encoded little-endian float32) if the job is still ours.
Result<bool> storeVectors(const Database &db, const JobRecord &job, const QString &worker, const QList<int> &indexes,
                          const QList<QByteArray> &vectors, const QString &model, int dims);
// Moves buffered chunks and their vectors into the chunks table and commits `embedded`.
Result<bool> completeEmbedding(const Database &db, const JobRecord &job, const QString &worker, qint64 durationMs);

// A stage failed. Transient with attempts left: back to the checkpoint with attempt + 1, not
// claimable for delayMs. Otherwise: failed, keeping the stage it failed in.
struct FailureOutcome
{
    bool willRetry = false;
    qint64 delayMs = 0;
};
Result<bool> recordFailure(const Database &db, const JobRecord &job, const QString &worker, const StageError &error,
                           const FailureOutcome &outcome, qint64 durationMs);

// A stopping worker hands a job back to its checkpoint without counting an attempt.
Result<bool> releaseJob(const Database &db, const JobRecord &job, const QString &worker, const QString &reason);

// A lease as a worker holds it.
struct HeldLease
{
    qint64 jobId = 0;
    qint64 token = 0;
};
// Extends the leases `worker` is still working on (and only those: a job it gave up on, e.g.
// because the database was unreachable when the outcome was to be written, is left to expire and
// be recovered). Returns the ids it still holds; a job missing from the result was cancelled or
// taken away and its work must stop.
Result<QList<qint64>> renewLeases(const Database &db, const QString &worker, const QList<HeldLease> &leases,
                                  qint64 leaseMs);

// Hands back to their checkpoint (no attempt or rescue counted) the running jobs whose lease
// `worker` owns but no longer works on: a claim whose commit reached the server while its answer
// was lost, or a finished job whose last transition the server lost in a crash (asynchronous
// commit, a failover). Without this they sit until their lease expires. `held` are the jobs the
// worker works on; a lease granted or renewed less than `minAgeMs` ago is left alone (a claim that
// has committed but is not yet counted as held). Returns how many were handed back.
Result<int> releaseForgottenLeases(const Database &db, const QString &worker, const QList<qint64> &held, qint64 leaseMs,
                                   qint64 minAgeMs);

// The rescuer: returns jobs whose lease expired (by the server's clock), or whose owner is in
// `deadWorkers`, to their checkpoint with rescues + 1; the rescue that reaches `maxRescues` fails
// the job as worker_lost instead. Attempts (stage errors) are not counted. One pass at a time across
// the fleet: while another worker's pass runs, this returns 0 at once. Returns how many moved.
Result<int> recoverLeases(const Database &db, const QStringList &deadWorkers, int maxRescues, const QString &byWorker);

} // namespace Docpipe::Store
