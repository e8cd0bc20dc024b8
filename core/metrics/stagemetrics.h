// What the stage dashboard shows, computed from the job event log (so other workers' work counts)
// and from status-count samples, over a sliding window of fixed buckets with flat memory.
#pragma once

#include "bucketring.h"
#include "model/stage.h"
#include "percentile.h"
#include "store/jobqueries.h"
#include "store/records.h"

#include <QList>

#include <array>

namespace Docpipe::Metrics {

struct TimePoint
{
    qint64 atMs = 0; // start of the bucket
    double value = 0;
};

// One stage's card. waiting: at the checkpoint before it; running: held by a worker;
// done: past it (including jobs that failed later); failed: failed in it.
struct StageCounts
{
    int waiting = 0;
    int running = 0;
    int done = 0;
    int failed = 0;
};

struct LatencySummary
{
    qint64 p50Ms = -1; // -1: no completions in the window
    qint64 p95Ms = -1;
    qint64 completions = 0;
};

enum class ErrorSeries { Retried, Failed, LeaseExpired };

class StageMetrics final
{
public:
    explicit StageMetrics(qint64 windowMs = 10 * 60 * 1000, qint64 bucketMs = 5000);

    // The stages with cards and series: parsing, chunking, embedding.
    static QList<Stage> stages();
    static QList<ErrorSeries> errorSeries();

    // Events in any order; ones older than the window are ignored.
    void addEvents(const QList<Store::JobEvent> &events);
    void sampleCounts(qint64 nowMs, const Store::StatusCounts &counts);

    qint64 windowMs() const { return m_bucketMs * m_windowBuckets; }
    qint64 bucketMs() const { return m_bucketMs; }
    int windowBuckets() const { return m_windowBuckets; }

    // Rates use the window's complete buckets (the one `nowMs` falls in is still filling):
    // one point per bucket, oldest first, zero where nothing happened.
    QList<TimePoint> throughput(Stage stage, qint64 nowMs) const; // stage completions per bucket
    QList<TimePoint> errors(ErrorSeries series, qint64 nowMs) const;
    double completionsPerMinute(Stage stage, qint64 nowMs) const; // over the last complete minute
    // Levels include the current bucket: the last sample taken in each bucket that has one.
    QList<TimePoint> queueDepth(Stage stage, qint64 nowMs) const;
    // Durations of the stage's successful runs that ended in the window, current bucket included.
    LatencySummary latency(Stage stage, qint64 nowMs) const;

    // Where the latest run of work began: the start of the oldest bucket with a completion or an
    // error that no quiet stretch longer than `quietGapMs` separates from the newest such bucket;
    // -1 when the window holds no work. The dashboard sizes its time axis to it.
    qint64 activitySince(qint64 nowMs, qint64 quietGapMs) const;

    // From the newest count sample (all zero before the first).
    StageCounts counts(Stage stage) const;
    bool hasCounts() const { return m_hasCounts; }

    // Every number held (bucket fields and latency samples): flat however long it runs.
    qsizetype storedValues() const;

private:
    static constexpr int kStages = 3;
    static constexpr int kErrorSeries = 3;
    struct Bucket
    {
        std::array<int, kStages> completions{};
        std::array<int, kErrorSeries> errors{};
        std::array<int, kStages> depth{-1, -1, -1};
        std::array<SampleReservoir, kStages> latency{};
    };

    void addEvent(const Store::JobEvent &event);
    template <typename Value>
    QList<TimePoint> completeBuckets(qint64 nowMs, Value value) const;

    qint64 m_bucketMs;
    int m_windowBuckets;
    BucketRing<Bucket> m_ring;
    Store::StatusCounts m_latest;
    bool m_hasCounts = false;
};

} // namespace Docpipe::Metrics
