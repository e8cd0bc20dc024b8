// StageMetrics from hand-built events and count samples, with answers worked out by hand:
// 1-second buckets over a 10-second window, so every bucket can be checked.
#include "metrics/stagemetrics.h"

#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Metrics;
using Store::JobEvent;

namespace {

using Buckets = QMap<qint64, double>; // bucket start - T0 -> value

constexpr qint64 T0 = 1'700'000'000'000; // a bucket boundary
constexpr qint64 kBucketMs = 1000;
constexpr qint64 kWindowMs = 10 * kBucketMs;

JobEvent jobEvent(qint64 atOffset, const char *kind, const char *from, const char *to, qint64 durationMs = -1)
{
    static qint64 nextId = 1;
    JobEvent e;
    e.id = nextId++;
    e.jobId = e.id;
    e.at = T0 + atOffset;
    e.kind = QString::fromLatin1(kind);
    e.fromStage = QString::fromLatin1(from);
    e.toStage = QString::fromLatin1(to);
    e.durationMs = durationMs;
    return e;
}

JobEvent parsed(qint64 atOffset, qint64 durationMs = 10)
{
    return jobEvent(atOffset, "transition", "parsing", "parse_validated", durationMs);
}

// The nonzero points of a series, keyed by bucket start relative to T0.
Buckets nonZero(const QList<TimePoint> &points)
{
    Buckets map;
    for (const TimePoint &point : points) {
        if (point.value != 0)
            map.insert(point.atMs - T0, point.value);
    }
    return map;
}

Store::StatusCounts sampleWithWaiting(int uploaded, int parseValidated, int chunksBuffered)
{
    Store::StatusCounts counts;
    counts.byStage = {
        {Stage::Uploaded, uploaded}, {Stage::ParseValidated, parseValidated}, {Stage::ChunksBuffered, chunksBuffered}};
    return counts;
}

} // namespace

class tst_StageMetrics final : public QObject
{
    Q_OBJECT
private slots:
    void throughputCountsStageCompletions_data();
    void throughputCountsStageCompletions();
    void throughputSpansExactlyTheWindow();
    void completionsPerMinute();
    void latencyPercentilesOfSuccessfulRuns_data();
    void latencyPercentilesOfSuccessfulRuns();
    void errorsOverTimeByKind();
    void queueDepthKeepsTheLastSamplePerBucket();
    void cardsFromTheNewestCountSample();
    void memoryStaysFlatOverHours();
};

void tst_StageMetrics::throughputCountsStageCompletions_data()
{
    QTest::addColumn<QList<JobEvent>>("events");
    QTest::addColumn<qint64>("nowOffset");
    QTest::addColumn<Stage>("stage");
    QTest::addColumn<Buckets>("expected"); // bucket start - T0 -> completions

    const qint64 now = 10 * kBucketMs + 500; // complete buckets: 0s .. 9s
    QTest::newRow("one completion") << QList<JobEvent>{parsed(2500)} << now << Stage::Parsing << Buckets{{2000, 1}};
    QTest::newRow("several in one bucket, one in another")
        << QList<JobEvent>{parsed(3000), parsed(3999), parsed(3500), parsed(7100)} << now << Stage::Parsing
        << Buckets{{3000, 3}, {7000, 1}};
    QTest::newRow("out of order") << QList<JobEvent>{parsed(7100), parsed(1000), parsed(3000)} << now << Stage::Parsing
                                  << Buckets{{1000, 1}, {3000, 1}, {7000, 1}};
    QTest::newRow("claims are not completions")
        << QList<JobEvent>{jobEvent(2000, "transition", "uploaded", "parsing")} << now << Stage::Parsing << Buckets{};
    QTest::newRow("a retry is not a completion")
        << QList<JobEvent>{jobEvent(2000, "retry", "parsing", "uploaded", 40)} << now << Stage::Parsing << Buckets{};
    QTest::newRow("a failure is not a completion")
        << QList<JobEvent>{jobEvent(2000, "failed", "parsing", "parsing", 40)} << now << Stage::Parsing << Buckets{};
    QTest::newRow("other stages are counted apart")
        << QList<JobEvent>{parsed(2000), jobEvent(2000, "transition", "chunking", "chunks_buffered", 5),
                           jobEvent(4000, "transition", "embedding", "embedded", 5)}
        << now << Stage::Chunking << Buckets{{2000, 1}};
    QTest::newRow("embedding completes at embedded")
        << QList<JobEvent>{jobEvent(4000, "transition", "embedding", "embedded", 5)} << now << Stage::Embedding
        << Buckets{{4000, 1}};
    QTest::newRow("the filling bucket is not shown yet")
        << QList<JobEvent>{parsed(10100)} << now << Stage::Parsing << Buckets{};
    QTest::newRow("older than the window")
        << QList<JobEvent>{parsed(-500), parsed(0)} << now << Stage::Parsing << Buckets{{0, 1}};
    QTest::newRow("the window slides") << QList<JobEvent>{parsed(1000), parsed(5000)} << now + 3 * kBucketMs
                                       << Stage::Parsing << Buckets{{5000, 1}};
}

void tst_StageMetrics::throughputCountsStageCompletions()
{
    QFETCH(QList<JobEvent>, events);
    QFETCH(qint64, nowOffset);
    QFETCH(Stage, stage);
    QFETCH(Buckets, expected);
    StageMetrics metrics(kWindowMs, kBucketMs);
    metrics.addEvents(events);
    const QList<TimePoint> points = metrics.throughput(stage, T0 + nowOffset);
    QCOMPARE(points.size(), 10);
    QCOMPARE(nonZero(points), expected);
}

void tst_StageMetrics::throughputSpansExactlyTheWindow()
{
    StageMetrics metrics; // the dashboard's defaults: 10 minutes of 5-second buckets
    QCOMPARE(metrics.windowMs(), qint64(10 * 60 * 1000));
    QCOMPARE(metrics.windowBuckets(), 120);
    const qint64 now = T0 + 12345;
    const QList<TimePoint> points = metrics.throughput(Stage::Embedding, now);
    QCOMPARE(points.size(), 120);
    QCOMPARE(points.first().atMs, T0 + 10000 - 120 * 5000);
    QCOMPARE(points.last().atMs, T0 + 5000); // the bucket before the one `now` is in
    for (qsizetype i = 1; i < points.size(); ++i)
        QCOMPARE(points.at(i).atMs - points.at(i - 1).atMs, qint64(5000));
}

void tst_StageMetrics::completionsPerMinute()
{
    // A 2-minute window of 10-second buckets: the rate uses the last 6 complete buckets.
    StageMetrics metrics(120000, 10000);
    QList<JobEvent> events;
    for (int i = 0; i < 12; ++i)
        events << parsed(65000 + i * 100); // 12 in the bucket at 60 s
    events << parsed(5000) << parsed(5001); // older than the last minute
    metrics.addEvents(events);
    QCOMPARE(metrics.completionsPerMinute(Stage::Parsing, T0 + 121000), 12.0);
    QCOMPARE(metrics.completionsPerMinute(Stage::Parsing, T0 + 65000), 2.0); // buckets 0..50 s
    QCOMPARE(metrics.completionsPerMinute(Stage::Chunking, T0 + 121000), 0.0);
}

void tst_StageMetrics::latencyPercentilesOfSuccessfulRuns_data()
{
    QTest::addColumn<QList<JobEvent>>("events");
    QTest::addColumn<qint64>("p50");
    QTest::addColumn<qint64>("p95");
    QTest::addColumn<qint64>("completions");

    QList<JobEvent> ten;
    for (int i = 1; i <= 10; ++i)
        ten << parsed(i * 700, i * 100); // 100 .. 1000 ms, spread over the window
    QTest::newRow("ten runs") << ten << qint64(500) << qint64(1000) << qint64(10);

    QList<JobEvent> twenty;
    for (int i = 20; i >= 1; --i)
        twenty << parsed(3000, i);
    QTest::newRow("twenty runs in one bucket") << twenty << qint64(10) << qint64(19) << qint64(20);

    QTest::newRow("one run") << QList<JobEvent>{parsed(100, 42)} << qint64(42) << qint64(42) << qint64(1);
    QTest::newRow("none") << QList<JobEvent>{} << qint64(-1) << qint64(-1) << qint64(0);
    QTest::newRow("failures and retries do not count")
        << QList<JobEvent>{parsed(100, 42), jobEvent(200, "failed", "parsing", "parsing", 9000),
                           jobEvent(300, "retry", "parsing", "uploaded", 8000)}
        << qint64(42) << qint64(42) << qint64(1);
    QTest::newRow("the filling bucket counts, older than the window does not")
        << QList<JobEvent>{parsed(10200, 30), parsed(-1, 99999)} << qint64(30) << qint64(30) << qint64(1);
    QTest::newRow("other stages do not count")
        << QList<JobEvent>{parsed(100, 42), jobEvent(100, "transition", "chunking", "chunks_buffered", 7)} << qint64(42)
        << qint64(42) << qint64(1);
}

void tst_StageMetrics::latencyPercentilesOfSuccessfulRuns()
{
    QFETCH(QList<JobEvent>, events);
    QFETCH(qint64, p50);
    QFETCH(qint64, p95);
    QFETCH(qint64, completions);
    StageMetrics metrics(kWindowMs, kBucketMs);
    metrics.addEvents(events);
    const LatencySummary latency = metrics.latency(Stage::Parsing, T0 + 10500);
    QCOMPARE(latency.p50Ms, p50);
    QCOMPARE(latency.p95Ms, p95);
    QCOMPARE(latency.completions, completions);
}

void tst_StageMetrics::errorsOverTimeByKind()
{
    StageMetrics metrics(kWindowMs, kBucketMs);
    metrics.addEvents(
        {jobEvent(1000, "retry", "embedding", "chunks_buffered"), jobEvent(1500, "retry", "parsing", "uploaded"),
         jobEvent(2000, "failed", "parsing", "parsing"), jobEvent(2100, "lease_expired", "chunking", "parse_validated"),
         jobEvent(2200, "warning", "parsing", "parsing"), jobEvent(2300, "cancelled", "parsing", "parsing"),
         jobEvent(8000, "failed", "embedding", "embedding")});
    const qint64 now = T0 + 10000;
    QCOMPARE(nonZero(metrics.errors(ErrorSeries::Retried, now)), (Buckets{{1000, 2}}));
    QCOMPARE(nonZero(metrics.errors(ErrorSeries::Failed, now)), (Buckets{{2000, 1}, {8000, 1}}));
    QCOMPARE(nonZero(metrics.errors(ErrorSeries::LeaseExpired, now)), (Buckets{{2000, 1}}));
    QCOMPARE(metrics.errors(ErrorSeries::Failed, now).size(), 10);
}

void tst_StageMetrics::queueDepthKeepsTheLastSamplePerBucket()
{
    StageMetrics metrics(kWindowMs, kBucketMs);
    metrics.sampleCounts(T0 + 1000, sampleWithWaiting(40, 0, 0));
    metrics.sampleCounts(T0 + 1500, sampleWithWaiting(30, 5, 1)); // same bucket: replaces
    metrics.sampleCounts(T0 + 4200, sampleWithWaiting(10, 12, 3));
    metrics.sampleCounts(T0 + 10100, sampleWithWaiting(0, 2, 8)); // the filling bucket counts
    const qint64 now = T0 + 10600;
    const auto asMap = [](const QList<TimePoint> &points) {
        Buckets map;
        for (const TimePoint &point : points)
            map.insert(point.atMs - T0, point.value);
        return map;
    };
    QCOMPARE(asMap(metrics.queueDepth(Stage::Parsing, now)), (Buckets{{1000, 30}, {4000, 10}, {10000, 0}}));
    QCOMPARE(asMap(metrics.queueDepth(Stage::Chunking, now)), (Buckets{{1000, 5}, {4000, 12}, {10000, 2}}));
    QCOMPARE(asMap(metrics.queueDepth(Stage::Embedding, now)), (Buckets{{1000, 1}, {4000, 3}, {10000, 8}}));
    // Ten seconds later the first two samples have slid out.
    QCOMPARE(asMap(metrics.queueDepth(Stage::Parsing, now + 4000)), (Buckets{{10000, 0}}));
}

void tst_StageMetrics::cardsFromTheNewestCountSample()
{
    StageMetrics metrics(kWindowMs, kBucketMs);
    QVERIFY(!metrics.hasCounts());
    QCOMPARE(metrics.counts(Stage::Parsing).waiting, 0);

    Store::StatusCounts old = sampleWithWaiting(99, 99, 99);
    metrics.sampleCounts(T0, old);
    Store::StatusCounts counts;
    counts.byStage
        = {{Stage::Uploaded, 5},       {Stage::Parsing, 2},   {Stage::ParseValidated, 3}, {Stage::Chunking, 1},
           {Stage::ChunksBuffered, 0}, {Stage::Embedding, 4}, {Stage::Embedded, 10}};
    counts.runningByStage = {{Stage::Parsing, 2}, {Stage::Chunking, 1}, {Stage::Embedding, 4}};
    counts.failedByStage = {{Stage::Uploaded, 1}, {Stage::Parsing, 1}, {Stage::Embedding, 2}};
    metrics.sampleCounts(T0 + 500, counts);
    QVERIFY(metrics.hasCounts());

    const StageCounts parsing = metrics.counts(Stage::Parsing);
    QCOMPARE(parsing.waiting, 5);
    QCOMPARE(parsing.running, 2);
    QCOMPARE(parsing.done, 3 + 1 + 0 + 4 + 10 + 2); // past parsing, including the 2 that failed embedding
    QCOMPARE(parsing.failed, 1 + 1); // failed parsing, and created failed (too large)
    const StageCounts chunking = metrics.counts(Stage::Chunking);
    QCOMPARE(chunking.waiting, 3);
    QCOMPARE(chunking.running, 1);
    QCOMPARE(chunking.done, 0 + 4 + 10 + 2);
    QCOMPARE(chunking.failed, 0);
    const StageCounts embedding = metrics.counts(Stage::Embedding);
    QCOMPARE(embedding.waiting, 0);
    QCOMPARE(embedding.running, 4);
    QCOMPARE(embedding.done, 10);
    QCOMPARE(embedding.failed, 2);
}

void tst_StageMetrics::memoryStaysFlatOverHours()
{
    StageMetrics metrics; // 10 minutes of 5-second buckets
    const qint64 start = T0;
    qint64 at = start;
    qint64 id = 0;
    qsizetype afterFirstHour = 0;
    // Four hours at 120 stage completions a second (a burst every 5th second) and an error a
    // second, in one-second batches as the live feed delivers them, with a count sample a second.
    for (int hour = 1; hour <= 4; ++hour) {
        for (int second = 0; second < 3600; ++second, at += 1000) {
            QList<JobEvent> batch;
            const int perStage = second % 5 == 0 ? 200 : 20;
            for (int i = 0; i < perStage; ++i) {
                for (const char *from : {"parsing", "chunking", "embedding"}) {
                    const Stage stage = *stageFromName(QString::fromLatin1(from));
                    JobEvent e;
                    e.id = ++id;
                    e.at = at + i;
                    e.kind = QStringLiteral("transition");
                    e.fromStage = QString::fromLatin1(from);
                    e.toStage = stageName(checkpointAfter(stage));
                    e.durationMs = 50 + i;
                    batch << e;
                }
            }
            JobEvent error;
            error.id = ++id;
            error.at = at;
            error.kind = QStringLiteral("retry");
            batch << error;
            metrics.addEvents(batch);
            metrics.sampleCounts(at, sampleWithWaiting(second, 1, 2));
        }
        if (hour == 1)
            afterFirstHour = metrics.storedValues();
        QCOMPARE(metrics.storedValues(), afterFirstHour);
        QCOMPARE(metrics.throughput(Stage::Parsing, at).size(), 120);
        QVERIFY(metrics.queueDepth(Stage::Parsing, at).size() <= 120);
    }
    // 121 buckets of 9 counters and at most 256 latency samples per stage.
    QVERIFY2(afterFirstHour <= 121 * (9 + 3 * 256), qPrintable(QString::number(afterFirstHour)));
    // Each 5-second bucket saw 200 + 4 * 20 = 280 completions per stage.
    const QList<TimePoint> points = metrics.throughput(Stage::Embedding, at);
    QCOMPARE(points.last().value, 280.0);
    // `at` starts a bucket nothing has reached yet: the 120 complete ones count.
    QCOMPARE(metrics.latency(Stage::Embedding, at).completions, qint64(120 * 280));
}

QTEST_GUILESS_MAIN(tst_StageMetrics)
#include "tst_stagemetrics.moc"
