// The stage dashboard after a real pipeline run (on SQLite and PostgreSQL): metrics read from
// the event log reach the cards and every chart; the charts keep a bounded window.
#include "charts/axisscale.h"
#include "charts/barchart.h"
#include "charts/timeserieschart.h"
#include "dashboard/stagecard.h"
#include "dashboard/stagedashboard.h"
#include "documentgenerator.h"
#include "pipelinerun.h"
#include "store/jobqueries.h"
#include "testdatabase.h"

#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Ui;

namespace {

double sumY(const QList<QPointF> &points)
{
    double sum = 0;
    for (const QPointF &point : points)
        sum += point.y();
    return sum;
}

} // namespace

class tst_StageDashboard final : public QObject
{
    Q_OBJECT
private slots:
    void niceAxisScale_data();
    void niceAxisScale();
    void chartsHoldTheRunsPoints_data() { Test::addBackendRows(); }
    void chartsHoldTheRunsPoints();
    void oldPointsSlideOut();
};

void tst_StageDashboard::niceAxisScale_data()
{
    QTest::addColumn<double>("max");
    QTest::addColumn<double>("minStep");
    QTest::addColumn<double>("top");
    QTest::addColumn<int>("decimals");
    QTest::newRow("nothing yet") << 0.0 << 1.0 << 4.0 << 0;
    QTest::newRow("fits whole steps") << 3.5 << 1.0 << 4.0 << 0;
    QTest::newRow("step 2") << 5.0 << 1.0 << 8.0 << 0;
    QTest::newRow("step 5") << 13.0 << 1.0 << 20.0 << 0;
    QTest::newRow("exactly a nice top") << 20.0 << 1.0 << 20.0 << 0;
    QTest::newRow("thousands") << 1234.0 << 1.0 << 2000.0 << 0;
    QTest::newRow("small rates") << 0.3 << 0.1 << 0.4 << 1;
    QTest::newRow("half steps") << 1.9 << 0.5 << 2.0 << 1;
}

void tst_StageDashboard::niceAxisScale()
{
    QFETCH(double, max);
    QFETCH(double, minStep);
    QFETCH(double, top);
    QFETCH(int, decimals);
    const AxisScale scale = Ui::niceAxisScale(max, 4, minStep);
    QCOMPARE(scale.top, top);
    QCOMPARE(scale.decimals, decimals);
    QVERIFY(scale.top >= max);
}

void tst_StageDashboard::chartsHoldTheRunsPoints()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString dir = fixture.tempPath();
    QStringList paths;
    for (int i = 0; i < 3; ++i)
        paths << Test::writeMarkdown(dir, QStringLiteral("notes-%1.md").arg(i), 10 + i).path;
    paths << Test::writeHtml(dir, QStringLiteral("page.html"), 20).path;
    paths << Test::writeCorruptDocx(dir, QStringLiteral("corrupt.docx"));
    const int good = 4;
    const QString problem = Test::runPipelineToEnd(fixture.url(), paths);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // What the live feed hands the window: the event log and a count sample.
    const Store::Database db = fixture.database();
    const QList<Store::JobEvent> events = Store::listEvents(db).value();
    QVERIFY(!events.isEmpty());
    const qint64 now = events.last().at + 5000; // a moment later: the run's buckets are complete
    Metrics::StageMetrics metrics;
    metrics.addEvents(events);
    metrics.sampleCounts(now, Store::statusCounts(db).value());

    StageDashboard dashboard;
    dashboard.resize(1200, 700);
    dashboard.show();
    dashboard.showMetrics(metrics, now);

    // Throughput: one point per 5-second bucket, adding up to each stage's completions.
    TimeSeriesChart *throughput = dashboard.throughputChart();
    QCOMPARE(throughput->seriesCount(), 3);
    const double perMinute = 60000.0 / double(metrics.bucketMs());
    for (int series = 0; series < 3; ++series) {
        QCOMPARE(throughput->points(series).size(), metrics.windowBuckets());
        QCOMPARE(qRound(sumY(throughput->points(series)) / perMinute), good);
    }
    QVERIFY(throughput->valueAxisTop() >= 1);

    // Queue depth: the sample taken after the run (nothing waits any more).
    TimeSeriesChart *depth = dashboard.queueDepthChart();
    for (int series = 0; series < 3; ++series) {
        QCOMPARE(depth->points(series).size(), 1);
        QCOMPARE(depth->points(series).first().y(), 0.0);
    }

    // Latency: the bars show each stage's p50 and p95 (in ms: local stages are quick).
    const QList<qreal> p50 = dashboard.latencyChart()->values(0);
    const QList<qreal> p95 = dashboard.latencyChart()->values(1);
    const QList<Stage> stages = Metrics::StageMetrics::stages();
    for (int i = 0; i < stages.size(); ++i) {
        const Metrics::LatencySummary latency = metrics.latency(stages.at(i), now);
        QCOMPARE(latency.completions, qint64(good));
        QCOMPARE(p50.at(i), qreal(latency.p50Ms));
        QCOMPARE(p95.at(i), qreal(latency.p95Ms));
        QVERIFY(p95.at(i) >= p50.at(i));
    }

    // Errors: the corrupt document failed once, permanently.
    TimeSeriesChart *errors = dashboard.errorChart();
    QCOMPARE(errors->seriesCount(), 3);
    QCOMPARE(sumY(errors->points(int(Metrics::ErrorSeries::Failed))), 1.0);
    QCOMPARE(sumY(errors->points(int(Metrics::ErrorSeries::Retried))), 0.0);

    // Cards: everything got through but the corrupt file, which failed in parsing.
    StageCard *parsing = dashboard.card(Stage::Parsing);
    QCOMPARE(parsing->countText(QStringLiteral("failed")), QStringLiteral("1"));
    QCOMPARE(parsing->countText(QStringLiteral("done")), QString::number(good));
    QCOMPARE(parsing->countText(QStringLiteral("waiting")), QStringLiteral("0"));
    QCOMPARE(dashboard.card(Stage::Embedding)->countText(QStringLiteral("done")), QString::number(good));
    QCOMPARE(dashboard.card(Stage::Embedding)->countText(QStringLiteral("failed")), QStringLiteral("0"));
}

void tst_StageDashboard::oldPointsSlideOut()
{
    constexpr qint64 t0 = 1'700'000'000'000;
    Metrics::StageMetrics metrics;
    QList<Store::JobEvent> events;
    for (int i = 0; i < 30; ++i) {
        Store::JobEvent e;
        e.id = i + 1;
        e.at = t0 + i * 1000;
        e.kind = QStringLiteral("transition");
        e.fromStage = QStringLiteral("embedding");
        e.toStage = QStringLiteral("embedded");
        e.durationMs = 100;
        events << e;
    }
    metrics.addEvents(events);
    StageDashboard dashboard;
    Store::StatusCounts counts;
    counts.byStage = {{Stage::ChunksBuffered, 7}};
    // An hour of ticks, once a second.
    for (qint64 now = t0; now < t0 + 3600 * 1000; now += 1000) {
        metrics.sampleCounts(now, counts);
        dashboard.showMetrics(metrics, now);
        if (now == t0 + 60000)
            QCOMPARE(qRound(sumY(dashboard.throughputChart()->points(2)) / 12.0), 30);
    }
    const qint64 end = t0 + 3600 * 1000;
    QCOMPARE(dashboard.throughputChart()->seriesCount(), 3);
    QCOMPARE(dashboard.throughputChart()->points(2).size(), metrics.windowBuckets());
    QCOMPARE(sumY(dashboard.throughputChart()->points(2)), 0.0); // the run has slid out
    QCOMPARE(dashboard.queueDepthChart()->points(2).size(), metrics.windowBuckets());
    QCOMPARE(dashboard.latencyChart()->values(1).at(2), 0.0);
    QCOMPARE(metrics.latency(Stage::Embedding, end).completions, qint64(0));
}

QTEST_MAIN(tst_StageDashboard)
#include "tst_stagedashboard.moc"
