// OCR counts against the engine's memory budget (engine/memory_budget_mb): a scanned page holds
// its estimate (the render and Tesseract's working set) while it is read and gives it back after,
// page by page for a multi-page TIFF too; the gauges (/metrics, the window's "Work" status) show
// it; a job that waits for OCR memory stops waiting when it is cancelled; and the engine's parse
// stage reserves it (on SQLite and PostgreSQL).
#include "engine/ingestor.h"
#include "engine/memorybudget.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "metrics/memoryadmission.h"
#include "pipelinerun.h"
#include "prosegenerator.h"
#include "scangenerator.h"
#include "stages/parsers/localparser.h"
#include "stages/parsers/ocrengine.h"
#include "store/jobqueries.h"
#include "testdatabase.h"

#include <QFile>
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

#include <algorithm>
#include <atomic>

using namespace Docpipe;
using namespace Docpipe::Stages;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 kMb = 1024 * 1024;
constexpr int kDpi = 200; // the scans' own resolution: faster than the default 300
// An A4 page at kDpi is about 1654 x 2339 pixels; bounds, so rounding of the page size is no matter.
constexpr qint64 kFewestPagePixels = 1600 * 2300;
constexpr qint64 kMostPagePixels = 1700 * 2400;

QString prose(quint32 seed)
{
    ProseGenerator generator(seed);
    return generator.paragraph(4);
}

OcrConfig ocrConfig()
{
    OcrConfig ocr;
    ocr.dpi = kDpi;
    return ocr;
}

QByteArray scannedPdf(const QString &dir, const QString &name)
{
    const QString path = dir + u'/' + name;
    if (!writeMixedPdf(path, {u"SCAN:"_s + prose(3)}))
        return {};
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Parses `bytes` on a pool thread with the engine's hook into `budget`, while this thread notes
// the most the budget and the process's gauge held.
struct ObservedParse
{
    Result<ParsedDocument> parsed = StageError::permanent(u"not_run"_s, {});
    qint64 mostAdmitted = 0;
    qint64 mostGauge = 0;
};

ObservedParse parseObserved(
    const QByteArray &bytes, const QString &name, const std::shared_ptr<MemoryBudget> &budget,
    const std::function<bool()> &mustStop = [] { return false; })
{
    StageContext context;
    context.isCancelled = mustStop;
    context.reserveMemory = extraMemoryReserver(budget, mustStop);
    QThreadPool pool;
    QFuture<Result<ParsedDocument>> future = QtConcurrent::run(&pool, [&] {
        return LocalParser({}, ocrConfig()).parse({bytes, name}, context);
    });
    ObservedParse observed;
    const qint64 gaugeBefore = Metrics::memoryAdmission().admittedBytes;
    (void)QTest::qWaitFor( // a parse that never ends fails the caller's checks
        [&] {
            observed.mostAdmitted = std::max(observed.mostAdmitted, budget->admittedBytes());
            observed.mostGauge = std::max(observed.mostGauge, Metrics::memoryAdmission().admittedBytes - gaugeBefore);
            return future.isFinished();
        },
        120000);
    if (future.isFinished())
        observed.parsed = future.result();
    return observed;
}

} // namespace

class tst_OcrBudget final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void scannedPageHoldsBudgetWhileRead();
    void everyTiffFrameHoldsBudgetInTurn();
    void cancelStopsTheWaitForOcrMemory();
    void engineCountsOcrMemory_data() { addBackendRows(); }
    void engineCountsOcrMemory();

private:
    QTemporaryDir m_dir;
};

void tst_OcrBudget::scannedPageHoldsBudgetWhileRead()
{
    const QByteArray pdf = scannedPdf(m_dir.path(), u"scan.pdf"_s);
    QVERIFY(!pdf.isEmpty());
    const auto budget = std::make_shared<MemoryBudget>(64 * kMb);
    const ObservedParse observed = parseObserved(pdf, u"scan.pdf"_s, budget);
    QVERIFY(observed.parsed);
    QVERIFY(observed.parsed.value().pages.first().ocr);
    // The 32-bit render and its reading were held, at least (about 35 MB at 200 dpi)...
    QVERIFY2(observed.mostAdmitted >= ocrPageBytes(kFewestPagePixels, 4)
                 && observed.mostAdmitted <= ocrPageBytes(kMostPagePixels, 4),
             qPrintable(QString::number(observed.mostAdmitted)));
    QCOMPARE(observed.mostGauge, observed.mostAdmitted); // ... and seen by /metrics and the window
    QCOMPARE(budget->admittedBytes(), 0); // and given back once the page was read
    QCOMPARE(budget->waiting(), 0);
}

void tst_OcrBudget::everyTiffFrameHoldsBudgetInTurn()
{
    const QByteArray tiff = multipageTiffOf({renderScan(prose(4)), renderScan(prose(5)), renderScan(prose(6))});
    QVERIFY(!tiff.isEmpty());
    const auto budget = std::make_shared<MemoryBudget>(64 * kMb);
    const ObservedParse observed = parseObserved(tiff, u"feeder.tif"_s, budget);
    QVERIFY(observed.parsed);
    QCOMPARE(observed.parsed.value().pages.size(), 3);
    // One frame at a time: a frame's estimate (1 to 4 bytes a pixel as decoded), never two.
    QVERIFY2(observed.mostAdmitted >= ocrPageBytes(kFewestPagePixels, 1)
                 && observed.mostAdmitted <= ocrPageBytes(kMostPagePixels, 4),
             qPrintable(QString::number(observed.mostAdmitted)));
    QCOMPARE(budget->admittedBytes(), 0);
}

// Another job's page holds the budget, so this job's page waits for memory; cancelling the job
// ends the wait (and the parse) at once, holding nothing.
void tst_OcrBudget::cancelStopsTheWaitForOcrMemory()
{
    const QByteArray pdf = scannedPdf(m_dir.path(), u"waits.pdf"_s);
    QVERIFY(!pdf.isEmpty());
    const auto budget = std::make_shared<MemoryBudget>(64 * kMb);
    QVERIFY(budget->reserveExtra(60 * kMb, {}));
    std::atomic<bool> cancelled{false};
    StageContext context;
    context.isCancelled = [&] { return cancelled.load(); };
    context.reserveMemory = extraMemoryReserver(budget, context.isCancelled);
    QThreadPool pool;
    QFuture<Result<ParsedDocument>> parse = QtConcurrent::run(&pool, [&] {
        return LocalParser({}, ocrConfig()).parse({pdf, u"waits.pdf"_s}, context);
    });
    QTRY_COMPARE_WITH_TIMEOUT(budget->waiting(), 1, 30000);
    QTest::qWait(300);
    QVERIFY(!parse.isFinished()); // it waits for memory rather than reading beside the other page
    cancelled = true;
    QTRY_VERIFY_WITH_TIMEOUT(parse.isFinished(), 2000);
    QVERIFY(!parse.result());
    QCOMPARE(parse.result().error().code, u"cancelled"_s);
    QCOMPARE(budget->waiting(), 0);
    QCOMPARE(budget->admittedBytes(), 60 * kMb);
    budget->releaseExtra(60 * kMb);
}

// Through the engine: the parse stage's own estimate for a small scanned PDF is a few MB; while
// its page is read, the page's estimate is admitted beside it.
void tst_OcrBudget::engineCountsOcrMemory()
{
    DOCPIPE_TEST_DATABASE(testDb);
    const QString path = testDb.tempPath() + u"/scan.pdf"_s;
    QVERIFY(writeMixedPdf(path, {u"SCAN:"_s + prose(7)}));
    const Store::Database db = testDb.database();
    const IngestReport report = ingestPaths(db, {path}, {});
    QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join(u'\n')));
    Config config = fastTestConfig(testDb.url());
    config.ocr.dpi = kDpi;
    config.engine.memoryBudgetMb = 64;
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QVERIFY(startAndWait(engine));
    qint64 mostAdmitted = 0;
    const bool ended = QTest::qWaitFor(
        [&] {
            mostAdmitted = std::max(mostAdmitted, engine.counters().memoryAdmittedBytes);
            return endedJobs(db) == 1;
        },
        120000);
    QTRY_COMPARE(engine.counters().memoryAdmittedBytes, 0); // given back with the stage
    QVERIFY(stopAndWait(engine));
    QVERIFY(ended);
    const Store::JobRecord job = Store::listJobs(db).value().first();
    QCOMPARE(job.stage, Stage::Embedded);
    QVERIFY2(mostAdmitted >= ocrPageBytes(kFewestPagePixels, 4), qPrintable(QString::number(mostAdmitted)));
}

QTEST_MAIN(tst_OcrBudget) // painting the scans needs fonts, so a QGuiApplication
#include "tst_ocrbudget.moc"
