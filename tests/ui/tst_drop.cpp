// Dropping and pasting documents: what a QMimeData names, which files become jobs, and the whole
// path from a drop on the window to jobs that run to `embedded` (SQLite and PostgreSQL), with
// duplicates reported in the status bar and unsupported files in one notice; `docpipe PATH...`.
#include "documentgenerator.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "i18n.h"
#include "ingest/droppedpaths.h"
#include "ingest/ingestcontroller.h"
#include "ingest/ingestnotice.h"
#include "jobs/jobsview.h"
#include "jobs/jobtablemodel.h"
#include "mainwindow.h"
#include "pipelinerun.h"
#include "specialfiles.h"
#include "store/jobqueries.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QMimeData>
#include <QProcess>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Docpipe;
using namespace Docpipe::Ui;

namespace {

QString writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    file.write(bytes);
    return file.fileName();
}

// A GIF: a picture Docpipe does not read (PNG, JPEG and TIFF go to OCR).
QByteArray gifBytes()
{
    return QByteArray::fromHex(
        "4749463839610100010080000000000000ffffff21f90401000000002c00000000010001000002024401003b");
}

Config fastConfig(const QString &url)
{
    Config config = Test::fastTestConfig(url);
    config.retry.maxAttempts = 2;
    return config;
}

QList<Store::JobRecord> jobs(const Store::Database &db)
{
    auto list = Store::listJobs(db);
    if (!list)
        qFatal("listJobs: %s", qPrintable(list.error().message));
    return list.value();
}

bool allFinished(const Store::Database &db, int expected)
{
    const auto read = Store::listJobs(db); // may fail while another process creates the schema
    if (!read)
        return false;
    const auto &list = read.value();
    return list.size() == expected && std::all_of(list.cbegin(), list.cend(), [](const Store::JobRecord &job) {
               return job.status == JobStatus::Done || job.status == JobStatus::Failed;
           });
}

void drop(QWidget *target, const QMimeData &mime)
{
    QDragEnterEvent enter(QPoint(40, 40), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropped(QPointF(40, 40), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &dropped);
    QVERIFY(dropped.isAccepted());
}

// A window with its engine on a test database; closing it stops the engine first.
struct Running
{
    explicit Running(const Test::TestDatabase &db)
        : config(fastConfig(db.url()))
        , engine(config, makeParser(config), makeEmbedder(config))
        , window({config, db.tempPath() + QStringLiteral("/window.ini"), &engine})
    {
        window.show();
        window.start();
    }
    ~Running()
    {
        window.close(); // asks the engine to stop and closes once it has
        if (!QTest::qWaitFor([this] { return !engine.isRunning() && !window.isVisible(); }, 20000))
            qWarning("the window did not close within 20 s");
    }
    Config config;
    PipelineEngine engine;
    MainWindow window;
};

} // namespace

class TestDrop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { installTranslations(QStringLiteral("en")); } // English plural forms
    void pathsFromMime_data();
    void pathsFromMime();
    void droppableOnlyWithExistingPaths();
    void collectSkipsWhatIsNotADocument();
    void dropFollowsLinksWhenTheSettingAllows();
    void dropRunsToEmbedded_data() { Test::addBackendRows(); }
    void dropRunsToEmbedded();
    void dropsReachTheWindowFromAnywhere();
    void pasteAddsPaths();
    void commandLinePathsAreIngested();
};

void TestDrop::pathsFromMime_data()
{
    QTest::addColumn<QList<QUrl>>("urls");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("file urls") << QList<QUrl>{QUrl::fromLocalFile(QStringLiteral("/data/a.pdf")),
                                              QUrl::fromLocalFile(QStringLiteral("/data/folder"))}
                               << QString()
                               << QStringList{QStringLiteral("/data/a.pdf"), QStringLiteral("/data/folder")};
    QTest::newRow("remote urls ignored") << QList<QUrl>{QUrl(QStringLiteral("https://example.org/a.pdf")),
                                                        QUrl::fromLocalFile(QStringLiteral("/data/b.md"))}
                                         << QString() << QStringList{QStringLiteral("/data/b.md")};
    QTest::newRow("urls win over text") << QList<QUrl>{QUrl::fromLocalFile(QStringLiteral("/data/a.pdf"))}
                                        << QStringLiteral("/data/other.txt")
                                        << QStringList{QStringLiteral("/data/a.pdf")};
    QTest::newRow("plain text paths") << QList<QUrl>{}
                                      << QStringLiteral("/data/a.pdf\n/data/b c.docx\r\n\n  /data/d.md  ")
                                      << QStringList{QStringLiteral("/data/a.pdf"), QStringLiteral("/data/b c.docx"),
                                                     QStringLiteral("/data/d.md")};
    QTest::newRow("uri-list text with comment")
        << QList<QUrl>{} << QStringLiteral("# dragged from a browser\nfile:///data/x%20y.txt\n")
        << QStringList{QStringLiteral("/data/x y.txt")};
    QTest::newRow("relative and junk ignored")
        << QList<QUrl>{} << QStringLiteral("a.pdf\nhello world\nhttp://x/y\n/abs/ok.txt")
        << QStringList{QStringLiteral("/abs/ok.txt")};
    QTest::newRow("duplicates once") << QList<QUrl>{} << QStringLiteral("/data/a.pdf\n/data/a.pdf\nfile:///data/a.pdf")
                                     << QStringList{QStringLiteral("/data/a.pdf")};
    QTest::newRow("nothing") << QList<QUrl>{} << QString() << QStringList{};
}

void TestDrop::pathsFromMime()
{
    QFETCH(QList<QUrl>, urls);
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QMimeData mime;
    if (!urls.isEmpty())
        mime.setUrls(urls);
    if (!text.isEmpty())
        mime.setText(text);
    QCOMPARE(pathsFromMimeData(&mime), expected);
}

void TestDrop::droppableOnlyWithExistingPaths()
{
    QTemporaryDir dir;
    QMimeData missing;
    missing.setUrls({QUrl::fromLocalFile(dir.filePath(QStringLiteral("not-there.pdf")))});
    QVERIFY(!hasDroppablePaths(&missing));
    QMimeData text;
    text.setText(QStringLiteral("just some words"));
    QVERIFY(!hasDroppablePaths(&text));
    QMimeData folder;
    folder.setUrls({QUrl::fromLocalFile(dir.path())});
    QVERIFY(hasDroppablePaths(&folder));
}

void TestDrop::collectSkipsWhatIsNotADocument()
{
    QTemporaryDir dir;
    const QString gif = writeFile(dir.filePath(QStringLiteral("photo.gif")), gifBytes());
    const QString readme
        = writeFile(dir.filePath(QStringLiteral("README")), "A plain text file without an extension.\n");
    const QString misnamed = writeFile(dir.filePath(QStringLiteral("scan.pdf")), gifBytes()); // the parser's business
    writeFile(dir.filePath(QStringLiteral("sub/inner.md")), "# inner\n\ntext");
    writeFile(dir.filePath(QStringLiteral("sub/picture.bmp")), "BM\x3a\0\0\0\0\0\0\0\x36\0\0\0 bitmap");
    const CollectedFiles collected
        = collectDroppedDocuments({gif, readme, misnamed, dir.filePath(QStringLiteral("sub"))});
    QCOMPARE(collected.files, (QStringList{readme, misnamed, dir.filePath(QStringLiteral("sub/inner.md"))}));
    QCOMPARE(collected.notes.size(), 2);
    QVERIFY2(collected.notes.at(0).contains(QStringLiteral("picture.bmp")), qPrintable(collected.notes.join(u'\n')));
    QVERIFY2(collected.notes.at(1).contains(QStringLiteral("photo.gif"))
                 && collected.notes.at(1).contains(QStringLiteral("GIF"))
                 && collected.notes.at(1).contains(QStringLiteral("not a supported document")),
             qPrintable(collected.notes.at(1)));
}

void TestDrop::dropFollowsLinksWhenTheSettingAllows()
{
    Test::TestDatabase testDb(QStringLiteral("sqlite"));
    QVERIFY(testDb.isReady());
    const QString folder = testDb.tempPath() + QStringLiteral("/dropped");
    QVERIFY(QDir().mkpath(folder));
    Test::writeText(folder, QStringLiteral("notes.txt"), 1);
    const QString secret = writeFile(testDb.tempPath() + QStringLiteral("/private.txt"), "for the index after all\n");
    QVERIFY(QFile::link(secret, folder + QStringLiteral("/linked.txt")));
    QVERIFY(Test::makeFifo(folder + QStringLiteral("/pipe.txt")));

    IngestController controller(testDb.database(), {});
    QSignalSpy finished(&controller, &IngestController::finished);
    controller.ingest({folder}); // as the window starts: ingest/follow_symlinks off
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    auto report = finished.at(0).at(0).value<IngestReport>();
    QCOMPARE(report.created.size(), 1);
    QVERIFY(report.notes.join(u'\n').contains(QStringLiteral("linked.txt: a symbolic link")));

    controller.setCollectOptions({.followSymlinks = true}); // the setting, applied by the window
    controller.ingest({folder});
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 20000);
    report = finished.at(1).at(0).value<IngestReport>();
    QCOMPARE(report.created.size(), 1); // notes.txt is a duplicate now
    QCOMPARE(report.notes.size(), 1); // the pipe, still never opened
    QVERIFY(report.notes.first().contains(QStringLiteral("pipe.txt: a named pipe (FIFO)")));
}

void TestDrop::dropRunsToEmbedded()
{
    DOCPIPE_TEST_DATABASE(testDb);
    const Store::Database db = testDb.database();
    const QString folder = testDb.tempPath() + QStringLiteral("/dropped");
    QDir().mkpath(folder + QStringLiteral("/nested"));
    Test::writeText(folder, QStringLiteral("notes.txt"), 1);
    Test::writeMarkdown(folder + QStringLiteral("/nested"), QStringLiteral("guide.md"), 2);
    Test::writeHtml(folder + QStringLiteral("/nested"), QStringLiteral("page.html"), 3);
    Test::writeDocx(folder, QStringLiteral("letter.docx"), 2, 4);
    const QString single = Test::writePdf(testDb.tempPath(), QStringLiteral("report.pdf"), 2, 5).path;
    const QString broken = Test::writeCorruptDocx(testDb.tempPath(), QStringLiteral("broken.docx"));
    const QString gif = writeFile(testDb.tempPath() + QStringLiteral("/photo.gif"), gifBytes());
    // Hostile entries: a link out of the dropped folder and a named pipe are named, never read.
    const QString secret = writeFile(testDb.tempPath() + QStringLiteral("/private.txt"), "not for the index\n");
    QVERIFY(QFile::link(secret, folder + QStringLiteral("/passwords.txt")));
    QVERIFY(Test::makeFifo(folder + QStringLiteral("/pipe.txt")));

    Running run(testDb);
    // The live updates of a real run keep the model and its proxy consistent.
    QAbstractItemModelTester modelTester(run.window.jobsView()->model(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(run.window.jobsView()->proxy(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy ingested(&run.window, &MainWindow::ingestFinished);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(folder), QUrl::fromLocalFile(single), QUrl::fromLocalFile(broken),
                  QUrl::fromLocalFile(gif)});
    drop(&run.window, mime);
    QTRY_VERIFY_WITH_TIMEOUT(!ingested.isEmpty(), 20000);
    const auto report = ingested.at(0).at(0).value<IngestReport>();
    QCOMPARE(report.created.size(), 6);
    QCOMPARE(report.duplicates.size(), 0);
    // The GIF, the link and the pipe were not made jobs; the one notice says why.
    QVERIFY(run.window.ingestNotice());
    QTRY_VERIFY(run.window.ingestNotice()->isVisible());
    const QString notice = run.window.ingestNotice()->lines().join(u'\n');
    QCOMPARE(run.window.ingestNotice()->lines().size(), 3);
    QVERIFY2(notice.contains(QStringLiteral("photo.gif")), qPrintable(notice));
    QVERIFY2(notice.contains(QStringLiteral("passwords.txt: a symbolic link to %1, outside the folder").arg(secret)),
             qPrintable(notice));
    QVERIFY2(notice.contains(QStringLiteral("pipe.txt: a named pipe (FIFO)")), qPrintable(notice));
    QVERIFY2(run.window.statusBar()->currentMessage().contains(QStringLiteral("Added 6 document")),
             qPrintable(run.window.statusBar()->currentMessage()));

    QTRY_VERIFY_WITH_TIMEOUT(allFinished(db, 6), 60000);
    // The table shows every job with the stage the database has, once the feed has read it.
    JobTableModel *model = run.window.jobsView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            if (model->rowCount() != 6)
                return false;
            for (const Store::JobRecord &job : jobs(db)) {
                const int row = model->rowOfJob(job.id);
                if (row < 0 || model->jobAt(row).status != job.status || model->jobAt(row).stage != job.stage)
                    return false;
            }
            return true;
        }(),
        10000);
    for (const Store::JobRecord &job : jobs(db)) {
        const int row = model->rowOfJob(job.id);
        const QString stage = model->index(row, JobTableModel::StageColumn).data().toString();
        if (job.name == QLatin1String("broken.docx")) {
            QCOMPARE(job.status, JobStatus::Failed);
            QCOMPARE(stage, QStringLiteral("Failed"));
            QVERIFY(model->index(row, JobTableModel::ErrorColumn)
                        .data()
                        .toString()
                        .startsWith(QStringLiteral("corrupt_docx")));
        } else {
            QCOMPARE(job.stage, Stage::Embedded);
            QCOMPARE(model->index(row, JobTableModel::StageColumn).data(JobTableModel::StageRole).toInt(),
                     int(Stage::Embedded));
            QCOMPARE(stage, QStringLiteral("Embedded"));
            QVERIFY(job.chunks > 0);
        }
    }

    // The same content again: reported as a duplicate, nothing new.
    ingested.clear();
    QMimeData again;
    again.setUrls({QUrl::fromLocalFile(single)});
    drop(&run.window, again);
    QTRY_VERIFY_WITH_TIMEOUT(!ingested.isEmpty(), 20000);
    const auto second = ingested.at(0).at(0).value<IngestReport>();
    QCOMPARE(second.created.size(), 0);
    QCOMPARE(second.duplicates.size(), 1);
    const QString message = run.window.statusBar()->currentMessage();
    QVERIFY2(message.contains(QStringLiteral("1 duplicate")) && message.contains(QStringLiteral("report.pdf")),
             qPrintable(message));
    QCOMPARE(jobs(db).size(), 6);
}

void TestDrop::dropsReachTheWindowFromAnywhere()
{
    // Qt hands a drop to the nearest widget under the cursor that accepts drops: only the window
    // may, or a drop on the table or the search field would go astray.
    QTemporaryDir dir;
    Config config;
    config.databaseUrl = dir.filePath(QStringLiteral("db.sqlite"));
    MainWindow window({config, dir.filePath(QStringLiteral("w.ini")), nullptr});
    window.show();
    QVERIFY(window.acceptDrops());
    for (const QWidget *child : window.findChildren<QWidget *>())
        QVERIFY2(
            !child->acceptDrops(),
            qPrintable(child->objectName() + QStringLiteral(" ") + QLatin1String(child->metaObject()->className())));
}

void TestDrop::pasteAddsPaths()
{
    QTemporaryDir dir;
    const QString a
        = writeFile(dir.filePath(QStringLiteral("pasted/a.txt")), "first pasted document with enough words");
    const QString b = writeFile(dir.filePath(QStringLiteral("pasted/b.md")), "# second\n\npasted document");
    Config config;
    config.databaseUrl = dir.filePath(QStringLiteral("db.sqlite"));
    MainWindow window({config, dir.filePath(QStringLiteral("w.ini")), nullptr});
    QSignalSpy ingested(&window, &MainWindow::ingestFinished);
    QApplication::clipboard()->setText(a + QStringLiteral("\n") + b + QStringLiteral("\n"));
    QAction *paste = window.findChild<QAction *>(QStringLiteral("actionPaste"));
    QVERIFY(paste);
    paste->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!ingested.isEmpty(), 20000);
    QCOMPARE(ingested.at(0).at(0).value<IngestReport>().created.size(), 2);
    QTRY_COMPARE(window.jobsView()->model()->rowCount(), 2); // no engine: they wait at `uploaded`
    QCOMPARE(window.jobsView()->model()->jobAt(0).stage, Stage::Uploaded);

    ingested.clear();
    QApplication::clipboard()->setText(QStringLiteral("not a path at all"));
    paste->trigger();
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("no file or folder paths")));
    QCOMPARE(ingested.count(), 0);
}

void TestDrop::commandLinePathsAreIngested()
{
    // `docpipe --db URL PATH...` as a file manager's "Open with" runs it.
    QTemporaryDir dir;
    const QString dbPath = dir.filePath(QStringLiteral("db.sqlite"));
    const QString a = Test::writeText(dir.path(), QStringLiteral("opened.txt"), 9).path;
    const QString folder = dir.filePath(QStringLiteral("folder"));
    QDir().mkpath(folder);
    Test::writeMarkdown(folder, QStringLiteral("inside.md"), 10);
    QProcess app;
    app.setProgram(QStringLiteral(DOCPIPE_GUI));
    app.setArguments(
        {QStringLiteral("--config"), dir.filePath(QStringLiteral("w.ini")), QStringLiteral("--db"), dbPath, a, folder});
    app.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    app.start();
    QVERIFY(app.waitForStarted());
    const Store::Database db(dbPath);
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dbPath) && allFinished(db, 2), 60000);
    for (const Store::JobRecord &job : jobs(db))
        QCOMPARE(job.stage, Stage::Embedded);
    db.closeThreadConnection();
    app.terminate();
    if (!app.waitForFinished(10000)) {
        app.kill();
        app.waitForFinished(10000);
    }
    QCOMPARE(app.state(), QProcess::NotRunning);
}

QTEST_MAIN(TestDrop)
#include "tst_drop.moc"
