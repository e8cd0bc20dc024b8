// The window's panels are wired to what really happens: a run's failures reach the error log,
// its completions the dashboard, and saved settings restart the engine with them.
#include "charts/timeserieschart.h"
#include "dashboard/stagedashboard.h"
#include "documentgenerator.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "errorlog/errorlogdock.h"
#include "errorlog/errorlogmodel.h"
#include "i18n.h"
#include "mainwindow.h"
#include "pipelinerun.h"
#include "statusbar/statusindicators.h"
#include "store/jobqueries.h"
#include "testdatabase.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Ui;

namespace {

int queryInt(const Store::Database &db, const QString &sql)
{
    QSqlQuery query(db.sql());
    return query.exec(sql) && query.next() ? query.value(0).toInt() : -1;
}

double sum(const QList<QPointF> &points)
{
    double total = 0;
    for (const QPointF &point : points)
        total += point.y();
    return total;
}

bool closeAndWait(MainWindow &window, PipelineEngine &engine)
{
    window.close();
    return QTest::qWaitFor([&] { return !engine.isRunning() && !window.isVisible(); }, 20000);
}

} // namespace

class TestMainWindowPanels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { installTranslations(QStringLiteral("en")); }
    void panelsShowTheRun_data() { Test::addBackendRows(); }
    void panelsShowTheRun();
    void savedSettingsRestartTheEngine_data() { Test::addBackendRows(); }
    void savedSettingsRestartTheEngine();
};

void TestMainWindowPanels::panelsShowTheRun()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString docs = fixture.tempPath() + QStringLiteral("/docs");
    const auto good = Test::generateMixedCorpus(docs, 4, 71, 3);
    Test::writeCorruptDocx(docs, QStringLiteral("broken.docx"));
    const Config config = Test::fastTestConfig(fixture.url());
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    MainWindow window({config, fixture.tempPath() + QStringLiteral("/w.ini"), &engine});
    window.show();
    window.start();
    window.ingestPaths({docs});
    const Store::Database db = fixture.database();
    QTRY_COMPARE_WITH_TIMEOUT(Test::endedJobs(db), 5, 30000);

    auto *errors = window.findChild<ErrorLogDock *>();
    QVERIFY(errors);
    QTRY_COMPARE_WITH_TIMEOUT(errors->model()->rowCount(), 1, 10000);
    QCOMPARE(errors->model()->index(0, ErrorLogModel::CodeColumn).data().toString(), QStringLiteral("corrupt_docx"));
    QCOMPARE(errors->model()->index(0, ErrorLogModel::DocumentColumn).data().toString(), QStringLiteral("broken.docx"));

    auto *dashboard = window.findChild<StageDashboard *>();
    QVERIFY(dashboard);
    // Four embeddings completed within the charts' window: the dashboard's line adds up to them.
    const double perMinute = 60000.0 / 5000.0;
    QTRY_COMPARE_WITH_TIMEOUT(qRound(sum(dashboard->throughputChart()->points(2)) / perMinute), int(good.size()),
                              10000);
    QVERIFY(closeAndWait(window, engine));
}

void TestMainWindowPanels::savedSettingsRestartTheEngine()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Config config = Test::fastTestConfig(fixture.url());
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    MainWindow window({config, fixture.tempPath() + QStringLiteral("/w.ini"), &engine});
    window.show();
    window.start();
    QTRY_COMPARE_WITH_TIMEOUT(window.indicators()->engineText(), QStringLiteral("Engine: running"), 10000);
    const QString worker = engine.workerId();

    Config smaller = config;
    smaller.chunking.chunkTokens = 64;
    smaller.chunking.overlapTokens = 8;
    QSignalSpy stopped(&engine, &PipelineEngine::stopped);
    QSignalSpy started(&engine, &PipelineEngine::started);
    window.applyConfig(smaller);
    QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, 10000); // it stops first ...
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 10000); // ... and starts again with the new settings
    QTRY_COMPARE_WITH_TIMEOUT(window.indicators()->engineText(), QStringLiteral("Engine: running"), 10000);
    QCOMPARE(engine.workerId(), worker);

    const QString docs = fixture.tempPath() + QStringLiteral("/docs");
    Test::generateMixedCorpus(docs, 1, 72, 3); // a 3-page PDF of prose
    window.ingestPaths({docs});
    const Store::Database db = fixture.database();
    QTRY_COMPARE_WITH_TIMEOUT(Test::endedJobs(db), 1, 30000);
    QVERIFY(queryInt(db, QStringLiteral("SELECT COUNT(*) FROM chunks")) > 3);
    QVERIFY(queryInt(db, QStringLiteral("SELECT MAX(tokens) FROM chunks")) <= 64);
    QVERIFY(closeAndWait(window, engine));
}

QTEST_MAIN(TestMainWindowPanels)
#include "tst_mainwindow_panels.moc"
