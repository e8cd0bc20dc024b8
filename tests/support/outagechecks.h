// What the outage tests and the outage benchmark read from a private PostgreSQL after the
// database went away under running workers: the final tables (every job embedded once, nothing
// left running, each chunk once) and the recovery time; and an embedder slow enough that a run
// spans the outage.
#pragma once

#include "privatepostgres.h"
#include "stages/embedding/embedder.h"
#include "stages/embedding/lexicalhashembedder.h"

#include <QString>

namespace Docpipe::Test {

// The real local embedder, `delayMs` slower per call, in batches of two.
class SlowEmbedder final : public Stages::Embedder
{
public:
    explicit SlowEmbedder(int delayMs = 60)
        : m_delayMs(delayMs)
    { }
    QString model() const override { return m_inner.model(); }
    int dimensions() const override { return m_inner.dimensions(); }
    int maxBatchSize() const override { return 2; }
    Result<QList<Vector>> embed(const QStringList &texts, const StageContext &context) const override;

private:
    int m_delayMs;
    Stages::LexicalHashEmbedder m_inner;
};

struct FinalTables
{
    int jobs = -1, embedded = -1, running = -1, failed = -1;
    int chunks = -1, expectedChunks = -1, duplicates = -1, buffered = -1;
    QString failures; // "code: message" of each failed job, so that a failure says why
    // Every one of `count` jobs embedded, none running or failed, each chunk stored once.
    bool allEmbeddedOnce(int count) const;
    QString describe() const;
};
FinalTables finalTables(PrivatePostgres &pg);

int embeddedJobs(PrivatePostgres &pg);

// From the server accepting connections again (its postmaster start) to the first stage
// completion committed after it, on the server's clock; -1 while there is none.
qint64 recoveryMs(PrivatePostgres &pg);

} // namespace Docpipe::Test
