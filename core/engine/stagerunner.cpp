#include "stagerunner.h"

#include "logging.h"
#include "metrics/processcounters.h"
#include "stages/chunking/chunker.h"
#include "stages/embedding/vectorcodec.h"
#include "stages/validation/parsevalidator.h"
#include "store/documentstore.h"
#include "store/jobqueries.h"
#include "store/jobqueue.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

namespace Docpipe {

namespace {

// Work stopped because the job was cancelled, its lease lost, or the engine is stopping.
const QString kInterrupted = QStringLiteral("interrupted");

StageError interrupted()
{
    return StageError::transient(kInterrupted, QStringLiteral("interrupted"));
}

// Stages answer a cancelled StageContext with "cancelled" (parsers, embedders) or we do with
// "interrupted": either way the job is not at fault.
bool isInterruption(const StageError &error)
{
    return error.code == kInterrupted || error.code == QLatin1String("cancelled");
}

StageContext contextFor(const StageServices &s, qint64 jobId)
{
    StageContext context;
    const std::shared_ptr<JobTracker> tracker = s.tracker;
    context.isCancelled = [tracker, jobId] { return tracker->shouldStop(jobId); };
    context.reportProgress = [tracker, jobId](qint64 done, qint64 total) { tracker->setProgress(jobId, done, total); };
    if (s.budget) // an OCRed page's memory, beyond the stage's estimate, counts too
        context.reserveMemory = extraMemoryReserver(s.budget, [tracker, jobId] { return tracker->shouldStop(jobId); });
    return context;
}

// A stage's store calls wait out a database outage, busy lock or full disk (holding the job's
// lease meanwhile) instead of failing the job for the database's trouble; they give up when the
// job must stop (cancelled, lease lost, engine stopping).
enum class Access { Read, Write };
template <typename Call>
auto patiently(const StageServices &s, qint64 jobId, Access access, Call call)
{
    const std::shared_ptr<JobTracker> tracker = s.tracker;
    return Store::retryWhileUnavailable(
        *s.health, access == Access::Write, [tracker, jobId] { return !tracker->shouldStop(jobId); }, call);
}

// Each returns true when committed, false when the job was no longer ours, or the error.
Result<bool> parse(const StageServices &s, const Store::JobRecord &job, const QElapsedTimer &timer)
{
    auto content = patiently(s, job.id, Access::Read, [&] { return Store::loadDocumentContent(s.db, job.id); });
    if (!content)
        return content.error();
    const StageContext context = contextFor(s, job.id);
    auto parsed = s.parser->parse({std::move(content).value(), job.name}, context);
    if (!parsed)
        return parsed.error();
    if (context.cancelled())
        return interrupted();
    if (auto invalid = Stages::validateParsed(parsed.value()))
        return *invalid;
    auto completed = patiently(s, job.id, Access::Write, [&] {
        return Store::completeParsing(s.db, job, s.worker, parsed.value(), timer.elapsed());
    });
    if (completed && completed.value())
        Metrics::count(Metrics::Counter::PagesProcessed, {}, double(parsed.value().pages.size()));
    return completed;
}

Result<bool> chunk(const StageServices &s, const Store::JobRecord &job, const QElapsedTimer &timer)
{
    auto pages = patiently(s, job.id, Access::Read, [&] { return Store::parsedPages(s.db, job.id); });
    if (!pages)
        return pages.error();
    const QList<Chunk> chunks = Stages::chunkDocument(pages.value(), s.config.effectiveChunking());
    if (chunks.isEmpty())
        return StageError::permanent(QStringLiteral("no_chunks"), QStringLiteral("the parsed text produced no chunks"));
    if (s.tracker->shouldStop(job.id))
        return interrupted();
    return patiently(s, job.id, Access::Write,
                     [&] { return Store::completeChunking(s.db, job, s.worker, chunks, timer.elapsed()); });
}

// Batches pending chunks by the embedder's input count and token limits.
QList<QList<Store::PendingChunk>> batchesOf(const QList<Store::PendingChunk> &pending, const Stages::Embedder &embedder)
{
    QList<QList<Store::PendingChunk>> batches;
    QList<Store::PendingChunk> current;
    qint64 tokens = 0;
    for (const Store::PendingChunk &chunk : pending) {
        if (!current.isEmpty()
            && (current.size() >= embedder.maxBatchSize() || tokens + chunk.tokens > embedder.maxBatchTokens())) {
            batches.append(current);
            current.clear();
            tokens = 0;
        }
        current.append(chunk);
        tokens += chunk.tokens;
    }
    if (!current.isEmpty())
        batches.append(current);
    return batches;
}

// Chunks are read from the buffer a window at a time, so a 2,000-page manual's text is not held
// whole while it is embedded.
constexpr int kEmbedWindowChunks = 512;

// Embeds one batch and stores its vectors; false when the job is no longer ours.
Result<bool> embedBatch(const StageServices &s, const Store::JobRecord &job, const QList<Store::PendingChunk> &batch,
                        const StageContext &context)
{
    const Stages::Embedder &embedder = *s.embedder;
    QStringList texts;
    QList<int> indexes;
    for (const Store::PendingChunk &chunk : batch) {
        texts << chunk.text;
        indexes << chunk.index;
    }
    auto vectors = embedder.embed(texts, context);
    if (!vectors)
        return vectors.error();
    if (vectors.value().size() != texts.size())
        return StageError::permanent(QStringLiteral("malformed_response"),
                                     QStringLiteral("the embedder returned %1 vectors for %2 texts")
                                         .arg(vectors.value().size())
                                         .arg(texts.size()));
    QList<QByteArray> encoded;
    encoded.reserve(vectors.value().size());
    for (const Vector &vector : vectors.value())
        encoded << Stages::encodeVector(vector);
    return patiently(s, job.id, Access::Write, [&] {
        return Store::storeVectors(s.db, job, s.worker, indexes, encoded, embedder.model(), embedder.dimensions());
    });
}

Result<bool> embed(const StageServices &s, const Store::JobRecord &job, const QElapsedTimer &timer)
{
    const Stages::Embedder &embedder = *s.embedder;
    const StageContext context = contextFor(s, job.id);
    const qint64 total = job.chunks;
    qint64 done = -1; // known once the first window says how many are left
    int after = -1;
    for (;;) {
        auto pending = patiently(s, job.id, Access::Read, [&] {
            return Store::pendingChunks(s.db, job, s.worker, embedder.model(), embedder.dimensions(), after,
                                        kEmbedWindowChunks);
        });
        if (!pending)
            return pending.error();
        if (pending.value().isEmpty())
            break;
        if (done < 0) {
            auto stored = patiently(s, job.id, Access::Read, [&] { return Store::bufferedVectorCount(s.db, job.id); });
            if (!stored)
                return stored.error();
            done = stored.value();
            context.progress(done, total);
        }
        after = pending.value().last().index;
        for (const auto &batch : batchesOf(pending.value(), embedder)) {
            if (context.cancelled())
                return interrupted();
            auto stored = embedBatch(s, job, batch, context);
            if (!stored || !stored.value())
                return stored;
            qint64 batchTokens = 0;
            for (const Store::PendingChunk &chunk : batch)
                batchTokens += chunk.tokens;
            Metrics::count(Metrics::Counter::ChunksProcessed, {}, double(batch.size()));
            Metrics::count(Metrics::Counter::TokensProcessed, {}, double(batchTokens));
            done += batch.size();
            context.progress(done, total);
        }
    }
    return patiently(s, job.id, Access::Write,
                     [&] { return Store::completeEmbedding(s.db, job, s.worker, timer.elapsed()); });
}

Result<bool> runActiveStage(const StageServices &s, const Store::JobRecord &job, const QElapsedTimer &timer)
{
    switch (job.stage) {
    case Stage::Parsing:
        return parse(s, job, timer);
    case Stage::Chunking:
        return chunk(s, job, timer);
    case Stage::Embedding:
        return embed(s, job, timer);
    default:
        return StageError::permanent(QStringLiteral("internal_error"), QStringLiteral("not an active stage"));
    }
}

// Holds the job's share of the memory budget while its stage runs.
class BudgetShare final
{
public:
    BudgetShare(const StageServices &s, const Store::JobRecord &job)
        : m_budget(s.budget.get())
        , m_bytes(m_budget ? estimateStageBytes(job) : 0)
    {
        const std::shared_ptr<JobTracker> tracker = s.tracker;
        m_admitted
            = !m_budget || m_budget->reserve(m_bytes, [tracker, id = job.id] { return tracker->shouldStop(id); });
    }
    ~BudgetShare()
    {
        if (m_budget && m_admitted)
            m_budget->release(m_bytes);
    }
    Q_DISABLE_COPY_MOVE(BudgetShare)

    bool admitted() const { return m_admitted; }

private:
    MemoryBudget *m_budget;
    qint64 m_bytes;
    bool m_admitted = false;
};

} // namespace

StageOutcome runStage(const StageServices &s, const Store::JobRecord &job)
{
    s.tracker->begin(job.id, job.stage, job.leaseToken); // from here its lease is renewed, also while it waits
    const BudgetShare share(s, job);
    QElapsedTimer timer; // the stage's own time, not its wait for memory
    timer.start();
    const Result<bool> result = share.admitted() ? runActiveStage(s, job, timer) : Result<bool>(interrupted());
    const bool lost = s.tracker->isLost(job.id);
    s.tracker->end(job.id);

    StageOutcome outcome;
    if (result.ok()) {
        outcome.completed = result.value();
        if (!outcome.completed)
            qCInfo(lcEngine) << "job" << job.id << "was cancelled or taken away during" << stageName(job.stage);
        return outcome;
    }
    const StageError &error = result.error();
    if (lost) {
        qCInfo(lcEngine) << "job" << job.id << "stopped: cancelled or lease lost";
        return outcome;
    }
    if (isInterruption(error) || (s.tracker->isStopping() && error.isTransient())) {
        auto released = Store::releaseJob(s.db, job, s.worker, QStringLiteral("worker stopping; handed back"));
        if (!released)
            qCWarning(lcEngine) << "could not hand back job" << job.id << released.error().message;
        return outcome;
    }
    const RetryPolicy policy(s.config.retry);
    const RetryDecision decision = policy.decide(error, job.attempts, QRandomGenerator::global()->generateDouble());
    Store::FailureOutcome failure{decision.retry, decision.delayMs};
    auto recorded = patiently(s, job.id, Access::Write, [&] {
        return Store::recordFailure(s.db, job, s.worker, error, failure, timer.elapsed());
    });
    if (!recorded)
        qCWarning(lcEngine) << "could not record failure of job" << job.id << ":" << recorded.error().message
                            << "(its lease will expire and it will be recovered)";
    outcome.failed = true;
    outcome.error = error;
    return outcome;
}

} // namespace Docpipe
