// A running job whose progress stops moving reads "stalled" in the jobs table (not "working…")
// and is counted on its stage's card; the latency chart's numbers never print over each other.
#include "charts/barchart.h"
#include "dashboard/stagecard.h"
#include "dashboard/stagedashboard.h"
#include "jobs/jobtablemodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace Docpipe;
using namespace Docpipe::Ui;

namespace {

constexpr qint64 kStart = 1'800'000'000'000;
constexpr qint64 kThresholdMs = 120'000;

Store::JobRecord runningJob(qint64 id, Stage stage, qint64 updatedAt)
{
    Store::JobRecord job;
    job.id = id;
    job.name = QStringLiteral("doc-%1.pdf").arg(id);
    job.stage = stage;
    job.status = JobStatus::Running;
    job.createdAt = updatedAt;
    job.updatedAt = updatedAt;
    return job;
}

QString progressText(const JobTableModel &model, qint64 jobId)
{
    return model.index(model.rowOfJob(jobId), JobTableModel::ProgressColumn).data().toString();
}

bool stalled(const JobTableModel &model, qint64 jobId)
{
    return model.index(model.rowOfJob(jobId), JobTableModel::ProgressColumn).data(JobTableModel::StalledRole).toBool();
}

bool intersectAny(const QList<QRectF> &rects)
{
    for (qsizetype i = 0; i < rects.size(); ++i) {
        for (qsizetype j = i + 1; j < rects.size(); ++j) {
            if (!rects[i].isEmpty() && !rects[j].isEmpty() && rects[i].intersects(rects[j]))
                return true;
        }
    }
    return false;
}

} // namespace

class tst_StalledJobs final : public QObject
{
    Q_OBJECT
private slots:
    void jobWithoutProgressTurnsStalled();
    void movingProgressKeepsAJobWorking();
    void finishedJobsAreNeverStalled();
    void dashboardCountsStalledJobs();
    void latencyLabelsNeverOverlap_data();
    void latencyLabelsNeverOverlap();
};

void tst_StalledJobs::jobWithoutProgressTurnsStalled()
{
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStalledAfterMs(kThresholdMs);
    model.setNow(kStart, {});
    // Job 1 runs in another process (no progress here); the window saw it start at kStart.
    model.applyJobs({runningJob(1, Stage::Parsing, kStart)});
    QCOMPARE(progressText(model, 1), QStringLiteral("working…"));
    QVERIFY(!stalled(model, 1));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setNow(kStart + kThresholdMs + 5'000, {0}); // the clock alone moves it on
    QVERIFY(!changed.isEmpty());
    QVERIFY(stalled(model, 1));
    QVERIFY2(progressText(model, 1).startsWith(QLatin1String("stalled for")), qPrintable(progressText(model, 1)));
    QVERIFY(model.index(0, JobTableModel::ProgressColumn).data(Qt::ToolTipRole).toString().contains(u"lease"));
    QCOMPARE(model.stalledByStage().value(Stage::Parsing), 1);

    // A stage change is movement: working again.
    Store::JobRecord moved = runningJob(1, Stage::Chunking, kStart + kThresholdMs + 6'000);
    model.applyJobs({moved});
    QVERIFY(!stalled(model, 1));
    QVERIFY(model.stalledByStage().isEmpty());

    model.setStalledAfterMs(0); // never
    model.setNow(kStart + 100 * kThresholdMs, {0});
    QVERIFY(!stalled(model, 1));
}

void tst_StalledJobs::movingProgressKeepsAJobWorking()
{
    JobTableModel model;
    model.setStalledAfterMs(kThresholdMs);
    model.setNow(kStart, {});
    model.applyJobs({runningJob(7, Stage::Embedding, kStart)});
    qint64 now = kStart;
    for (int done = 1; done <= 5; ++done) {
        now += kThresholdMs / 2;
        model.setNow(now, {0});
        model.setProgress({{7, Stage::Embedding, done, 10}});
        QVERIFY2(!stalled(model, 7), qPrintable(QStringLiteral("after %1 of 10").arg(done)));
    }
    QCOMPARE(progressText(model, 7), QStringLiteral("50 %"));
    // The engine still reports the job, but its count stopped at 5 of 10.
    for (int tick = 0; tick < 3; ++tick) {
        now += kThresholdMs / 2;
        model.setNow(now, {0});
        model.setProgress({{7, Stage::Embedding, 5, 10}});
    }
    QVERIFY(stalled(model, 7));
    QVERIFY(progressText(model, 7).startsWith(QLatin1String("stalled for")));
}

void tst_StalledJobs::finishedJobsAreNeverStalled()
{
    JobTableModel model;
    model.setStalledAfterMs(kThresholdMs);
    Store::JobRecord waiting = runningJob(3, Stage::ParseValidated, kStart);
    waiting.status = JobStatus::Queued;
    Store::JobRecord failed = runningJob(4, Stage::Parsing, kStart);
    failed.status = JobStatus::Failed;
    model.applyJobs({waiting, failed});
    model.setNow(kStart + 10 * kThresholdMs, {0, 1});
    QVERIFY(!stalled(model, 3));
    QVERIFY(!stalled(model, 4));
    QVERIFY(model.stalledByStage().isEmpty());
}

void tst_StalledJobs::dashboardCountsStalledJobs()
{
    StageDashboard dashboard;
    dashboard.showStalled({{Stage::Parsing, 2}});
    QCOMPARE(dashboard.card(Stage::Parsing)->countText(QStringLiteral("stalled")), QStringLiteral("2 stalled"));
    QCOMPARE(dashboard.card(Stage::Embedding)->countText(QStringLiteral("stalled")), QString());
    dashboard.showStalled({});
    QCOMPARE(dashboard.card(Stage::Parsing)->countText(QStringLiteral("stalled")), QString());
}

void tst_StalledJobs::latencyLabelsNeverOverlap_data()
{
    QTest::addColumn<QList<qreal>>("p50");
    QTest::addColumn<QList<qreal>>("p95");
    QTest::addColumn<int>("width");
    // The two cases seen: equal bars ("13431343") and close small ones ("0.0420.728").
    QTest::newRow("equal bars") << QList<qreal>{1343, 20, 880} << QList<qreal>{1343, 25, 900} << 420;
    QTest::newRow("close small bars") << QList<qreal>{0.042, 0.5, 1.2} << QList<qreal>{0.728, 0.6, 1.25} << 420;
    QTest::newRow("narrow chart") << QList<qreal>{123456, 99999, 88888} << QList<qreal>{234567, 99999, 99999} << 200;
}

void tst_StalledJobs::latencyLabelsNeverOverlap()
{
    QFETCH(QList<qreal>, p50);
    QFETCH(QList<qreal>, p95);
    QFETCH(int, width);
    BarChart chart(QStringLiteral("Latency"),
                   {QStringLiteral("Parsing"), QStringLiteral("Chunking"), QStringLiteral("Embedding")},
                   QStringLiteral("ms"));
    const int p50Set = chart.addSet(QStringLiteral("p50"), Qt::cyan);
    const int p95Set = chart.addSet(QStringLiteral("p95"), Qt::blue);
    chart.resize(width, 260);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setValues(p50Set, p50);
    chart.setValues(p95Set, p95);
    QApplication::processEvents();
    const QList<QRectF> rects = chart.valueLabelRects();
    QVERIFY2(!intersectAny(rects), qPrintable(chart.valueLabels().join(u'|')));
    const QStringList labels = chart.valueLabels();
    for (int i = 0; i < labels.size(); ++i) {
        if (labels[i].isEmpty())
            continue; // hidden where the group is too narrow for its numbers
        QVERIFY2(labels[i].contains(QString::number(p50[i], 'g', 4))
                     && labels[i].contains(QString::number(p95[i], 'g', 4)),
                 qPrintable(labels[i]));
    }
    if (width >= 400)
        QVERIFY(std::none_of(labels.cbegin(), labels.cend(), [](const QString &l) { return l.isEmpty(); }));
}

QTEST_MAIN(tst_StalledJobs)
#include "tst_stalledjobs.moc"
