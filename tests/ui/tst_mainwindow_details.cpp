// Job details: the stage timeline built from the job's events (with durations), and the dialog
// showing a real job's timeline, parsed text, chunks and embedding model, or its full error; and
// which pages of a scanned document were read by OCR, with their confidence.
#include "details/jobdetails.h"
#include "details/jobdetailsdialog.h"
#include "documentgenerator.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "i18n.h"
#include "jobs/jobactions.h"
#include "jobs/jobsview.h"
#include "mainwindow.h"
#include "pdfgenerator.h"
#include "pipelinerun.h"
#include "scangenerator.h"
#include "stages/embedding/lexicalhashembedder.h"
#include "store/jobqueries.h"
#include "testdatabase.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

using namespace Docpipe;
using namespace Docpipe::Ui;

namespace {

Store::JobEvent ev(qint64 at, const char *kind, const char *from, const char *to, qint64 durationMs = -1,
                   const char *code = "")
{
    Store::JobEvent e;
    e.at = at;
    e.kind = QLatin1String(kind);
    e.fromStage = QLatin1String(from);
    e.toStage = QLatin1String(to);
    e.durationMs = durationMs;
    e.code = QLatin1String(code);
    e.worker = QStringLiteral("w1");
    return e;
}

QString describe(const QList<StageRun> &runs)
{
    QStringList parts;
    for (const StageRun &run : runs)
        parts << QStringLiteral("%1@%2:%3:%4")
                     .arg(stageName(run.stage))
                     .arg(run.startedAt)
                     .arg(run.durationMs)
                     .arg(run.outcome);
    return parts.join(u' ');
}

bool finished(const Store::Database &db, int expected)
{
    const auto jobs = Store::listJobs(db).value();
    return jobs.size() == expected && std::all_of(jobs.cbegin(), jobs.cend(), [](const Store::JobRecord &j) {
               return j.status == JobStatus::Done || j.status == JobStatus::Failed;
           });
}

template <typename T>
T *child(QWidget *parent, const char *name)
{
    auto *found = parent->findChild<T *>(QLatin1String(name));
    if (!found)
        qFatal("no %s", name);
    return found;
}

} // namespace

class TestMainWindowDetails : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { installTranslations(QStringLiteral("en")); }
    void stageRuns_data();
    void stageRuns();
    void furnitureSummary();
    void realJob_data() { Test::addBackendRows(); }
    void realJob();
    void ocrPages_data() { Test::addBackendRows(); }
    void ocrPages();
};

void TestMainWindowDetails::stageRuns_data()
{
    QTest::addColumn<QList<Store::JobEvent>>("events");
    QTest::addColumn<QString>("expected");

    QTest::newRow("straight through") << QList<Store::JobEvent>{
        ev(100, "created", "", "uploaded"),
        ev(110, "transition", "uploaded", "parsing"),
        ev(150, "transition", "parsing", "parse_validated", 38),
        ev(160, "transition", "parse_validated", "chunking"),
        ev(170, "transition", "chunking", "chunks_buffered", 9),
        ev(180, "transition", "chunks_buffered", "embedding"),
        ev(300, "transition", "embedding", "embedded",
           119)} << QStringLiteral("parsing@110:38:transition chunking@160:9:transition embedding@180:119:transition");
    QTest::newRow("transient retry, then success")
        << QList<Store::JobEvent>{ev(10, "transition", "uploaded", "parsing"),
                                  ev(20, "retry", "parsing", "uploaded", 9, "http_503"),
                                  ev(40, "transition", "uploaded", "parsing"),
                                  ev(45, "transition", "parsing", "parse_validated", 5)}
        << QStringLiteral("parsing@10:9:retry parsing@40:5:transition");
    QTest::newRow("worker died: duration from the clock")
        << QList<Store::JobEvent>{ev(1000, "transition", "chunks_buffered", "embedding"),
                                  ev(31000, "lease_expired", "embedding", "chunks_buffered")}
        << QStringLiteral("embedding@1000:30000:lease_expired");
    QTest::newRow("still running") << QList<Store::JobEvent>{ev(5, "transition", "uploaded", "parsing")}
                                   << QStringLiteral("parsing@5:-1:");
    QTest::newRow("failed at upload: no stage ran")
        << QList<Store::JobEvent>{ev(1, "created", "", "uploaded"),
                                  ev(1, "failed", "uploaded", "uploaded", -1, "file_too_large")}
        << QString();
    QTest::newRow("warnings do not end a run")
        << QList<Store::JobEvent>{ev(1, "transition", "uploaded", "parsing"), ev(2, "warning", "parsing", ""),
                                  ev(9, "transition", "parsing", "parse_validated", 8)}
        << QStringLiteral("parsing@1:8:transition");
}

void TestMainWindowDetails::stageRuns()
{
    QFETCH(QList<Store::JobEvent>, events);
    QFETCH(QString, expected);
    QCOMPARE(describe(Ui::stageRuns(events)), expected);
}

void TestMainWindowDetails::furnitureSummary()
{
    // Each line counts once per page; page numbers are one entry; the most frequent come first.
    const QList<ParsedPage> pages{
        {1, QStringLiteral("a"), {QStringLiteral("Guide"), QStringLiteral("1")}},
        {2, QStringLiteral("b"), {QStringLiteral("Guide"), QStringLiteral("Guide"), QStringLiteral(" 2 ")}},
        {3, QStringLiteral("c"), {QStringLiteral("Chapter 1")}},
        {4, QStringLiteral("d"), {}}};
    const QList<FurnitureLine> lines = Ui::furnitureSummary(pages);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0).text, QString()); // page numbers, 2 pages; ties by text, so before "Guide"
    QCOMPARE(lines.at(0).pages, 2);
    QCOMPARE(lines.at(1).text, QStringLiteral("Guide"));
    QCOMPARE(lines.at(1).pages, 2);
    QCOMPARE(lines.at(2).text, QStringLiteral("Chapter 1"));
    QCOMPARE(lines.at(2).pages, 1);
    QVERIFY(Ui::furnitureSummary({pages.at(3)}).isEmpty());
}

void TestMainWindowDetails::realJob()
{
    DOCPIPE_TEST_DATABASE(testDb);
    const Store::Database db = testDb.database();
    const QString docs = testDb.tempPath() + QStringLiteral("/docs");
    QDir().mkpath(docs);
    const Test::GeneratedDocument good = Test::writeMarkdown(docs, QStringLiteral("guide.md"), 7);
    const QString broken = Test::writeCorruptDocx(docs, QStringLiteral("broken.docx"));
    // A PDF whose pages carry a running head and a page number: the cleaner drops both from the
    // text, and the details say so.
    const QString book = docs + QStringLiteral("/book.pdf");
    QList<QList<Test::PlacedLine>> bookPages;
    const QStringList topics{QStringLiteral("uploads"),  QStringLiteral("parsing"),   QStringLiteral("validation"),
                             QStringLiteral("chunking"), QStringLiteral("buffering"), QStringLiteral("embedding")};
    for (int i = 0; i < 6; ++i)
        bookPages << QList<Test::PlacedLine>{
            {56, 40, QStringLiteral("Docpipe Field Guide"), 9},
            {56, 100, QStringLiteral("This chapter is about %1, and only about %1.").arg(topics.at(i))},
            {56, 115, QStringLiteral("Operators read about %1 here before they change a setting.").arg(topics.at(i))},
            {290, 810, QString::number(i + 1), 9}};
    QVERIFY(Test::paintPlacedPdf(book, bookPages));
    Config config;
    config.databaseUrl = testDb.url();
    config.engine.pollMs = 50;
    config.chunking.chunkTokens = 64; // several chunks from one short document
    config.chunking.overlapTokens = 8;
    {
        PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
        ingestPaths(db, {good.path, broken, book}, {});
        QSignalSpy started(&engine, &PipelineEngine::started);
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(finished(db, 3), 30000);
        QSignalSpy stopped(&engine, &PipelineEngine::stopped);
        engine.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!stopped.isEmpty(), 10000);
    }
    const Store::JobRecord job = *Store::findJob(db, 1).value();
    QCOMPARE(job.status, JobStatus::Done);
    QVERIFY(job.chunks > 1);

    MainWindow window({config, testDb.tempPath() + QStringLiteral("/w.ini"), nullptr});
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(window.jobsView()->model()->rowCount(), 3, 10000);
    window.selectJob(1);
    QVERIFY(window.jobActions()->details->isEnabled());
    window.jobActions()->details->trigger();
    JobDetailsDialog *dialog = window.detailsDialog();
    QVERIFY(dialog);
    QSignalSpy loaded(dialog, &JobDetailsDialog::loaded);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isLoading(), 10000); // it may even have loaded before the spy was made
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->windowTitle(), QStringLiteral("Job 1 — guide.md"));

    // Timeline: one run per active stage, each ended by its transition, with a duration.
    auto *runs = child<QTreeWidget>(dialog, "stageRuns");
    QVERIFY(runs);
    QCOMPARE(runs->topLevelItemCount(), 3);
    QCOMPARE(runs->topLevelItem(0)->text(0), QStringLiteral("Parsing"));
    QCOMPARE(runs->topLevelItem(1)->text(0), QStringLiteral("Chunking"));
    QCOMPARE(runs->topLevelItem(2)->text(0), QStringLiteral("Embedding"));
    for (int i = 0; i < 3; ++i) {
        QVERIFY(
            QRegularExpression(QStringLiteral("^[0-9.,]+ (ms|s)$")).match(runs->topLevelItem(i)->text(2)).hasMatch());
        QCOMPARE(runs->topLevelItem(i)->text(3), QStringLiteral("Completed"));
    }
    auto *events = child<QTreeWidget>(dialog, "eventLog");
    QCOMPARE(events->topLevelItemCount(), int(Store::listEvents(db, {.jobId = 1}).value().size()));
    // The parsed text: the document's words are there.
    auto *text = child<QPlainTextEdit>(dialog, "parsedText");
    const QString firstLine = good.pageTexts.first().section(u'\n', 0, 0).trimmed();
    QVERIFY2(text->toPlainText().contains(firstLine.left(40)), qPrintable(firstLine));
    // The chunks, and the model that embedded them.
    auto *chunks = child<QTableWidget>(dialog, "chunkTable");
    QCOMPARE(chunks->rowCount(), job.chunks);
    QCOMPARE(chunks->item(0, 0)->text(), QStringLiteral("0"));
    QVERIFY(chunks->item(0, 2)->text().toInt() > 0);
    const Stages::LexicalHashEmbedder embedder;
    QCOMPARE(child<QLabel>(dialog, "embeddingModel")->text(), embedder.model());
    QCOMPARE(child<QLabel>(dialog, "embeddingDimensions")->text(), QString::number(embedder.dimensions()));

    // The failed job: the full error, and no chunks.
    loaded.clear();
    window.showDetails(2);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
    QCOMPARE(loaded.at(0).at(0).toLongLong(), 2);
    auto *error = child<QPlainTextEdit>(dialog, "errorText");
    QVERIFY(error->toPlainText().startsWith(QStringLiteral("corrupt_docx\n")));
    QCOMPARE(dialog->tabs()->tabText(JobDetailsDialog::ErrorTab), QStringLiteral("Errors (1)"));
    QCOMPARE(chunks->rowCount(), 0);

    // The PDF: its running head and page numbers are out of the text and named under it.
    const Store::JobRecord bookJob = *Store::findJob(db, 3).value();
    QVERIFY2(bookJob.status == JobStatus::Done,
             qPrintable(bookJob.name + u' ' + bookJob.errorCode + u' ' + bookJob.errorMessage));
    loaded.clear();
    window.showDetails(3);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
    QVERIFY(!text->toPlainText().contains(QStringLiteral("Docpipe Field Guide")));
    QVERIFY2(text->toPlainText().contains(QStringLiteral("This chapter is about embedding")),
             qPrintable(text->toPlainText()));
    const QString note = child<QLabel>(dialog, "parsedTextNote")->text();
    QVERIFY2(note.contains(QStringLiteral("Dropped as running headers and footers: page numbers (6 pages), "
                                          "\u201cDocpipe Field Guide\u201d (6 pages)")),
             qPrintable(note));

    // A job that does not exist says so.
    loaded.clear();
    window.showDetails(99);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
    QCOMPARE(child<QLabel>(dialog, "jobFacts")->text(), QStringLiteral("There is no job 99."));
    db.closeThreadConnection();
}

void TestMainWindowDetails::ocrPages()
{
    DOCPIPE_TEST_DATABASE(testDb);
    const QString scan = testDb.tempPath() + QStringLiteral("/scan.pdf");
    QVERIFY(Test::writeMixedPdf(scan,
                                {QStringLiteral("The typed cover page lists what the letters ask for."),
                                 QStringLiteral("SCAN:The first letter asks the harbour office for a timetable."),
                                 QStringLiteral("SCAN:The second letter thanks the ferry crew for their help.")}));
    Config config = Test::fastTestConfig(testDb.url());
    config.ocr.dpi = 200;
    const QString failure = Test::runPipelineToEnd(config, {scan}, 120000);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    const Store::Database db = testDb.database();
    const Store::JobRecord job = *Store::findJob(db, 1).value();
    QVERIFY2(job.status == JobStatus::Done, qPrintable(job.errorCode + QStringLiteral(": ") + job.errorMessage));
    const auto pages = Store::parsedPages(db, 1).value();
    QCOMPARE(pages.size(), 3);

    const JobDetails details = loadJobDetails(db, 1);
    QCOMPARE(details.ocrPages.size(), 2);
    QCOMPARE(details.ocrPages.at(0).number, 2);
    QCOMPARE(details.ocrPages.at(1).number, 3);
    QCOMPARE(details.ocrPages.at(0).confidence, pages.at(1).ocrConfidence);

    JobDetailsDialog dialog(db);
    QSignalSpy loaded(&dialog, &JobDetailsDialog::loaded);
    dialog.showJob(1);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
    auto *note = child<QLabel>(&dialog, "ocrPages");
    dialog.tabs()->setCurrentIndex(JobDetailsDialog::TextTab);
    QVERIFY(note->isVisible());
    QCOMPARE(note->text(),
             QStringLiteral("Read by OCR (mean word confidence): page 2 (%1%), page 3 (%2%).")
                 .arg(pages.at(1).ocrConfidence)
                 .arg(pages.at(2).ocrConfidence));
    dialog.close();
    db.closeThreadConnection();
}

QTEST_MAIN(TestMainWindowDetails)
#include "tst_mainwindow_details.moc"
