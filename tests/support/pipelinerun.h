// Runs the real local pipeline (PipelineEngine, local parser and embedder) over some files on a
// test database until every job has ended, for tests of the views that read what it leaves; and
// the configuration engine tests start from.
#pragma once

#include "config/config.h"
#include "store/database.h"

#include <QString>
#include <QStringList>

namespace Docpipe {
class PipelineEngine;
}

namespace Docpipe::Test {

// Starts the engine and waits for started(); false on startFailed() (its reason in `failure`)
// or when neither came.
bool startAndWait(PipelineEngine &engine, QString *failure = nullptr);
// Stops the engine and waits for stopped().
bool stopAndWait(PipelineEngine &engine);
// Jobs that have ended: embedded, failed or cancelled; -1 when the database cannot be read.
int endedJobs(const Store::Database &db);

// The defaults, on `url`, with a fast poll and heartbeat and short backoffs: tests wait for
// work, not for timers.
Config fastTestConfig(const QString &url);

// Ingests `paths` into the database at `url` and runs the engine until every job is done,
// failed or cancelled. Returns an empty string, or what went wrong.
QString runPipelineToEnd(const QString &url, const QStringList &paths, int timeoutMs = 60000);
// The same with a configuration of the caller's (another embedder, say); its databaseUrl is used.
QString runPipelineToEnd(const Config &config, const QStringList &paths, int timeoutMs = 60000);

} // namespace Docpipe::Test
