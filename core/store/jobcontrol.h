// Operator actions: retry, re-run, cancel, pause, priority. Each is a database write with an
// event per job, so it works the same from the window, the CLI, or another machine.
#pragma once

#include "database.h"
#include "model/result.h"

#include <QList>
#include <QString>

namespace Docpipe::Store {

enum class RetryFrom {
    LastCheckpoint, // the checkpoint before the stage that failed
    Start, // uploaded, dropping every derived row
};

// Retries failed or cancelled jobs (from the last checkpoint), or re-runs any job from the
// start. Running jobs are taken back from their worker only for RetryFrom::Start. Returns how
// many jobs moved.
Result<int> retryJobs(const Database &db, const QList<qint64> &ids, RetryFrom from, const QString &actor);
Result<QList<qint64>> failedJobIds(const Database &db);

// Cancels queued or running jobs; a worker holding one notices at its next heartbeat or batch.
Result<int> cancelJobs(const Database &db, const QList<qint64> &ids, const QString &actor);

Result<int> setPriority(const Database &db, const QList<qint64> &ids, int priority, const QString &actor);

// Engine-wide pause: no worker claims new work while set.
Result<bool> setPaused(const Database &db, bool paused);
Result<bool> isPaused(const Database &db);

} // namespace Docpipe::Store
