// The dashboard's time axis follows the work: Auto sizes it to the latest run (a batch that ran in
// the last 20 s fills a one-minute axis), the operator can pick 5 min, 1 h or 24 h, and a day of
// events keeps memory flat at every scale.
#include "charts/timeserieschart.h"
#include "dashboard/dashboardspans.h"
#include "dashboard/stagedashboard.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Ui;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kNow = 1'800'000'000'000; // a fixed clock

// A parse completion at `at` (the event that counts as work).
Store::JobEvent completion(qint64 at, qint64 job = 1)
{
    Store::JobEvent event;
    event.jobId = job;
    event.at = at;
    event.kind = QString::fromLatin1(Store::EventKind::Transition);
    event.fromStage = u"parsing"_s;
    event.toStage = u"parse_validated"_s;
    event.durationMs = 40;
    return event;
}

// Completions every `everyMs` from `fromAgoMs` ago until now.
QList<Store::JobEvent> work(qint64 fromAgoMs, qint64 everyMs)
{
    QList<Store::JobEvent> events;
    for (qint64 at = kNow - fromAgoMs; at <= kNow; at += everyMs)
        events << completion(at);
    return events;
}

} // namespace

class TestDashboardSpans : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void autoWidth_data()
    {
        QTest::addColumn<qint64>("ageMs");
        QTest::addColumn<qint64>("widthMs");
        QTest::newRow("no work yet") << qint64(-1) << 5 * kMinute;
        QTest::newRow("20 s") << 20'000LL << kMinute;
        QTest::newRow("55 s: a little room") << 55'000LL << 2 * kMinute;
        QTest::newRow("4 min") << 4 * kMinute << 5 * kMinute;
        QTest::newRow("40 min") << 40 * kMinute << kHour;
        QTest::newRow("3 h") << 3 * kHour << 6 * kHour;
        QTest::newRow("a day and more") << 30 * kHour << 24 * kHour;
    }
    void autoWidth()
    {
        QFETCH(qint64, ageMs);
        QFETCH(qint64, widthMs);
        QCOMPARE(autoWidthMs(ageMs), widthMs);
    }

    void autoFollowsTheLatestRun_data()
    {
        QTest::addColumn<QList<Store::JobEvent>>("events");
        QTest::addColumn<qint64>("widthMs");
        QTest::addColumn<int>("level");
        QTest::newRow("a batch in the last 20 s") << work(20'000, 1000) << kMinute << 0;
        QTest::newRow("steady work for 8 min") << work(8 * kMinute, 10'000) << 10 * kMinute << 0;
        QTest::newRow("steady work for 40 min") << work(40 * kMinute, 30'000) << kHour << 1;
        QTest::newRow("steady work for 5 h") << work(5 * kHour, kMinute) << 6 * kHour << 2;
        // An old batch, a long pause, then a new one: the axis shows the new one.
        QTest::newRow("a new batch after a pause") << QList<Store::JobEvent>{completion(kNow - 50 * kMinute),
                                                                             completion(kNow - 49 * kMinute)}
                + work(30'000, 2000) << kMinute << 0;
        // Nothing new since: the last run is shown with the quiet time after it.
        QTest::newRow("a batch 30 min ago")
            << QList<Store::JobEvent>{completion(kNow - 31 * kMinute), completion(kNow - 30 * kMinute)} << kHour << 1;
    }
    void autoFollowsTheLatestRun()
    {
        QFETCH(QList<Store::JobEvent>, events);
        QFETCH(qint64, widthMs);
        QFETCH(int, level);
        DashboardSpans spans;
        spans.addEvents(events);
        const ChartSpan span = spans.span(kNow);
        QCOMPARE(span.widthMs, widthMs);
        QCOMPARE(span.level, level);
    }

    void operatorPicksTheSpan()
    {
        DashboardSpans spans;
        spans.addEvents(work(20'000, 1000));
        StageDashboard dashboard;
        QSignalSpy chosen(&dashboard, &StageDashboard::spanChosen);
        dashboard.showSpans(spans, kNow);
        auto range = dashboard.throughputChart()->timeRange();
        QCOMPARE(range.second - range.first, kMinute); // Auto: the batch fills the axis
        // Its points are there, on the axis.
        double total = 0;
        for (const QPointF &point : dashboard.throughputChart()->points(0)) {
            if (point.x() >= double(range.first))
                total += point.y();
        }
        QVERIFY(total > 0);

        const QList<std::pair<int, qint64>> picks{{1, 5 * kMinute}, {2, kHour}, {3, 24 * kHour}};
        for (const auto &[index, width] : picks) {
            dashboard.spanBox()->setCurrentIndex(index);
            QCOMPARE(chosen.size(), index);
            spans.setChoice(chosen.last().at(0).value<SpanChoice>());
            dashboard.showSpans(spans, kNow);
            range = dashboard.queueDepthChart()->timeRange();
            QCOMPARE(range.second - range.first, width);
            range = dashboard.errorChart()->timeRange();
            QCOMPARE(range.second - range.first, width);
        }
    }

    void memoryIsFlatOverADay()
    {
        DashboardSpans spans;
        Store::StatusCounts counts;
        counts.byStage.insert(Stage::Uploaded, 3);
        qsizetype afterThirtyHours = 0;
        // Two days of work: a completion every 2 s and a count sample every 10 s.
        for (qint64 at = kNow - 48 * kHour; at <= kNow; at += 2000) {
            spans.addEvents({completion(at)});
            if (at % 10'000 == 0)
                spans.sampleCounts(at, counts);
            if (at == kNow - 18 * kHour)
                afterThirtyHours = spans.storedValues();
        }
        // The day-long scale filled up over the first day; after that nothing grows.
        QVERIFY(afterThirtyHours > 0);
        QCOMPARE(spans.storedValues(), afterThirtyHours);
        QVERIFY2(afterThirtyHours < 400'000, qPrintable(QString::number(afterThirtyHours)));
    }
};

QTEST_MAIN(TestDashboardSpans)
#include "tst_dashboardspans.moc"
