#include "stagemetrics.h"

#include <optional>

namespace Docpipe::Metrics {

namespace {

constexpr Stage kCardStages[] = {Stage::Parsing, Stage::Chunking, Stage::Embedding};

std::optional<int> stageIndex(Stage stage)
{
    for (int i = 0; i < int(std::size(kCardStages)); ++i) {
        if (kCardStages[i] == stage)
            return i;
    }
    return std::nullopt;
}

std::optional<int> errorIndex(const QString &kind)
{
    if (kind == QLatin1String(Store::EventKind::Retry))
        return int(ErrorSeries::Retried);
    if (kind == QLatin1String(Store::EventKind::Failed))
        return int(ErrorSeries::Failed);
    if (kind == QLatin1String(Store::EventKind::LeaseExpired))
        return int(ErrorSeries::LeaseExpired);
    return std::nullopt;
}

// The active stage whose card a failed job counts on: failures in a checkpoint (a job created
// failed, say) belong to the stage that would have come next.
Stage cardStageOf(Stage stage)
{
    return isCheckpoint(stage) ? activeStageAfter(stage).value_or(stage) : stage;
}

int waitingFor(Stage stage, const Store::StatusCounts &counts)
{
    return counts.byStage.value(checkpointBefore(stage));
}

} // namespace

StageMetrics::StageMetrics(qint64 windowMs, qint64 bucketMs)
    : m_bucketMs(qMax<qint64>(1, bucketMs))
    , m_windowBuckets(int(qMax<qint64>(1, windowMs / m_bucketMs)))
    , m_ring(m_bucketMs, m_windowBuckets + 1) // the window's complete buckets and the one filling
{ }

QList<Stage> StageMetrics::stages()
{
    return {std::begin(kCardStages), std::end(kCardStages)};
}

QList<ErrorSeries> StageMetrics::errorSeries()
{
    return {ErrorSeries::Retried, ErrorSeries::Failed, ErrorSeries::LeaseExpired};
}

void StageMetrics::addEvents(const QList<Store::JobEvent> &events)
{
    for (const Store::JobEvent &event : events)
        addEvent(event);
}

void StageMetrics::addEvent(const Store::JobEvent &event)
{
    if (const auto error = errorIndex(event.kind)) {
        if (Bucket *bucket = m_ring.slotFor(event.at))
            ++bucket->errors[*error];
        return;
    }
    if (event.kind != QLatin1String(Store::EventKind::Transition))
        return;
    // A completion leaves an active stage for the checkpoint after it; a claim enters one.
    const auto from = stageFromName(event.fromStage);
    const auto to = stageFromName(event.toStage);
    if (!from || !to || !isActive(*from) || *to != checkpointAfter(*from))
        return;
    const auto index = stageIndex(*from);
    Bucket *bucket = index ? m_ring.slotFor(event.at) : nullptr;
    if (!bucket)
        return;
    ++bucket->completions[*index];
    if (event.durationMs >= 0)
        bucket->latency[*index].add(event.durationMs);
}

void StageMetrics::sampleCounts(qint64 nowMs, const Store::StatusCounts &counts)
{
    m_latest = counts;
    m_hasCounts = true;
    Bucket *bucket = m_ring.slotFor(nowMs);
    if (!bucket)
        return;
    for (int i = 0; i < kStages; ++i)
        bucket->depth[i] = waitingFor(kCardStages[i], counts);
}

template <typename Value>
QList<TimePoint> StageMetrics::completeBuckets(qint64 nowMs, Value value) const
{
    QList<TimePoint> points;
    points.reserve(m_windowBuckets);
    m_ring.forEach(m_ring.bucketOf(nowMs) - 1, m_windowBuckets, [&](qint64 startMs, const Bucket *bucket) {
        points.append({startMs, bucket ? double(value(*bucket)) : 0.0});
    });
    return points;
}

QList<TimePoint> StageMetrics::throughput(Stage stage, qint64 nowMs) const
{
    const auto index = stageIndex(stage);
    if (!index)
        return {};
    return completeBuckets(nowMs, [i = *index](const Bucket &bucket) { return bucket.completions[i]; });
}

QList<TimePoint> StageMetrics::errors(ErrorSeries series, qint64 nowMs) const
{
    return completeBuckets(nowMs, [i = int(series)](const Bucket &bucket) { return bucket.errors[i]; });
}

double StageMetrics::completionsPerMinute(Stage stage, qint64 nowMs) const
{
    const QList<TimePoint> points = throughput(stage, nowMs);
    const qsizetype span = qBound<qsizetype>(1, 60000 / m_bucketMs, points.size());
    double sum = 0;
    for (qsizetype i = points.size() - span; i < points.size(); ++i)
        sum += points.at(i).value;
    return points.isEmpty() ? 0.0 : sum * 60000.0 / double(span * m_bucketMs);
}

QList<TimePoint> StageMetrics::queueDepth(Stage stage, qint64 nowMs) const
{
    const auto index = stageIndex(stage);
    QList<TimePoint> points;
    if (!index)
        return points;
    m_ring.forEach(m_ring.bucketOf(nowMs), m_windowBuckets, [&](qint64 startMs, const Bucket *bucket) {
        if (bucket && bucket->depth[*index] >= 0)
            points.append({startMs, double(bucket->depth[*index])});
    });
    return points;
}

LatencySummary StageMetrics::latency(Stage stage, qint64 nowMs) const
{
    const auto index = stageIndex(stage);
    LatencySummary summary;
    if (!index)
        return summary;
    QList<qint64> durations;
    m_ring.forEach(m_ring.bucketOf(nowMs), m_windowBuckets + 1, [&](qint64, const Bucket *bucket) {
        if (!bucket)
            return;
        durations += bucket->latency[*index].values();
        summary.completions += bucket->latency[*index].seen();
    });
    summary.p50Ms = percentile(durations, 50);
    summary.p95Ms = percentile(durations, 95);
    return summary;
}

qint64 StageMetrics::activitySince(qint64 nowMs, qint64 quietGapMs) const
{
    QList<qint64> active; // bucket starts with work, oldest first
    m_ring.forEach(m_ring.bucketOf(nowMs), m_windowBuckets + 1, [&](qint64 startMs, const Bucket *bucket) {
        if (!bucket)
            return;
        for (const int n : bucket->completions) {
            if (n > 0)
                return active.append(startMs);
        }
        for (const int n : bucket->errors) {
            if (n > 0)
                return active.append(startMs);
        }
    });
    if (active.isEmpty())
        return -1;
    qsizetype first = active.size() - 1;
    while (first > 0 && active.at(first) - (active.at(first - 1) + m_bucketMs) <= quietGapMs)
        --first;
    return active.at(first);
}

StageCounts StageMetrics::counts(Stage stage) const
{
    StageCounts counts;
    counts.waiting = waitingFor(stage, m_latest);
    counts.running = m_latest.runningByStage.value(stage);
    for (auto it = m_latest.byStage.cbegin(); it != m_latest.byStage.cend(); ++it) {
        if (it.key() > stage)
            counts.done += it.value();
    }
    for (auto it = m_latest.failedByStage.cbegin(); it != m_latest.failedByStage.cend(); ++it) {
        if (it.key() > stage)
            counts.done += it.value();
        else if (cardStageOf(it.key()) == stage)
            counts.failed += it.value();
    }
    return counts;
}

qsizetype StageMetrics::storedValues() const
{
    qsizetype values = 0;
    m_ring.forEachHeld([&](const Bucket &bucket) {
        values += qsizetype(bucket.completions.size() + bucket.errors.size() + bucket.depth.size());
        for (const SampleReservoir &samples : bucket.latency)
            values += samples.values().size();
    });
    return values;
}

} // namespace Docpipe::Metrics
