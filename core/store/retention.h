// Retention: what the database may forget. Events, parsed pages and buffers of finished jobs
// (embedded or cancelled) older than a cut-off, whole job rows that no longer matter (cancelled,
// or versions another one superseded), documents no job uses any more, old fleet events and
// stopped workers. A queued, running or failed job keeps everything it has (an operator may retry
// it), and a document's current version keeps its job row and chunks. Deletes go in small
// batches, each its own short transaction, so workers keep working on the same database.
#pragma once

#include "database.h"
#include "model/result.h"

#include <functional>

namespace Docpipe::Store {

struct PruneOptions
{
    qint64 beforeMs = 0; // epoch ms: what ended (or happened) before this goes
    int batchSize = 1000; // rows per transaction
    bool vacuum = false; // SQLite: VACUUM afterwards (rewrites the file); PostgreSQL: VACUUM ANALYZE
};

struct PruneReport
{
    qint64 events = 0; // job events
    qint64 pages = 0; // parsed pages
    qint64 bufferedRows = 0; // chunk and vector buffer rows
    qint64 jobs = 0; // job rows (with what hangs on them)
    qint64 documents = 0; // stored files
    qint64 fleetEvents = 0;
    qint64 workers = 0;
    bool vacuumed = false;
    qint64 total() const { return events + pages + bufferedRows + jobs + documents + fleetEvents + workers; }
};

// `progress` (optional) is told after each batch; returning false stops early (what was deleted
// stays deleted: every batch is complete in itself).
Result<PruneReport> pruneBefore(const Database &db, const PruneOptions &options,
                                const std::function<bool(const PruneReport &)> &progress = {});

} // namespace Docpipe::Store
