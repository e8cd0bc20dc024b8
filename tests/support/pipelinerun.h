// Runs the real local pipeline (PipelineEngine, local parser and embedder) over some files on a
// test database until every job has ended, for tests of the views that read what it leaves.
#pragma once

#include <QString>
#include <QStringList>

namespace Docpipe::Test {

// Ingests `paths` into the database at `url` and runs the engine until every job is done,
// failed or cancelled. Returns an empty string, or what went wrong.
QString runPipelineToEnd(const QString &url, const QStringList &paths, int timeoutMs = 60000);

} // namespace Docpipe::Test
