// Watched folders with a running engine, on SQLite and PostgreSQL: files added, modified, deleted
// and renamed while the worker runs end as one current version each; a file that grows for
// seconds is read once, complete; drop rules apply; an unreachable folder loses nothing.
#include "engine/folderwatcher.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "pipelinerun.h"
#include "specialfiles.h"
#include "store/currentchunks.h"
#include "store/jobqueries.h"
#include "store/watchedfolders.h"
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QThreadPool>
#include <QTimer>

using namespace Docpipe;
using Docpipe::Test::startAndWait;
using Docpipe::Test::stopAndWait;

namespace {

void writeText(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(text.toUtf8());
}

QString prose(const QString &word)
{
    QString text;
    for (int i = 0; i < 8; ++i)
        text
            += QStringLiteral("The %1 report, paragraph %2, tells how the figures were gathered.\n\n").arg(word).arg(i);
    return text;
}

// Current chunks' text per document name.
QMap<QString, QString> currentText(const Store::Database &db)
{
    QMap<QString, QString> texts;
    auto visited = Store::forEachCurrentChunk(db, {}, [&](const Store::StoredChunk &chunk) {
        texts[chunk.document] += chunk.chunk.text;
        return true;
    });
    if (!visited)
        qFatal("reading current chunks failed");
    return texts;
}

QList<Store::JobRecord> jobsNamed(const Store::Database &db, const QString &name)
{
    QList<Store::JobRecord> named;
    for (const Store::JobRecord &job : Store::listJobs(db).value()) {
        if (job.name == name)
            named << job;
    }
    return named;
}

int activeJobs(const Store::Database &db)
{
    QSqlQuery query(db.sql());
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')")) || !query.next())
        qFatal("count failed");
    return query.value(0).toInt();
}

// The test's engine: quick to notice and to settle, so tests wait for work, not for timers.
Config watchingConfig(const QString &url)
{
    Config config = Test::fastTestConfig(url);
    config.watch.settleMs = 300;
    config.watch.rescanSeconds = 1;
    return config;
}

} // namespace

class tst_FolderWatcher final : public QObject
{
    Q_OBJECT
private slots:
    void addModifyDeleteRenameWhileRunning_data() { Test::addBackendRows(); }
    void addModifyDeleteRenameWhileRunning();
    void growingFileIsReadOnceComplete_data() { Test::addBackendRows(); }
    void growingFileIsReadOnceComplete();
    void dropRulesApplyToWatchedFolders_data() { Test::addBackendRows(); }
    void dropRulesApplyToWatchedFolders();
    void unreachableFolderLosesNothing_data() { Test::addBackendRows(); }
    void unreachableFolderLosesNothing();
};

void tst_FolderWatcher::addModifyDeleteRenameWhileRunning()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const QString folder = fixture.tempPath() + QStringLiteral("/inbox");
    QVERIFY(QDir().mkpath(folder + QStringLiteral("/sub")));
    const Config config = watchingConfig(fixture.url());
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QVERIFY(startAndWait(engine));
    QVERIFY(Store::addWatchedFolder(db, folder, Store::DeletePolicy::Remove).ok());
    engine.rescanWatchedFolders();

    // Added: two files, one in a subfolder.
    writeText(folder + QStringLiteral("/alpha.txt"), prose(QStringLiteral("alpha")));
    writeText(folder + QStringLiteral("/sub/beta.md"), prose(QStringLiteral("beta")));
    QTRY_COMPARE_WITH_TIMEOUT(currentText(db).keys(),
                              (QStringList{QStringLiteral("alpha.txt"), QStringLiteral("beta.md")}), 20000);

    // Modified: a second version replaces the first.
    writeText(folder + QStringLiteral("/alpha.txt"), prose(QStringLiteral("gamma")));
    QTRY_VERIFY_WITH_TIMEOUT(currentText(db).value(QStringLiteral("alpha.txt")).contains(QStringLiteral("gamma")),
                             20000);
    QVERIFY(!currentText(db).value(QStringLiteral("alpha.txt")).contains(QStringLiteral("alpha report")));
    const auto alphaJobs = jobsNamed(db, QStringLiteral("alpha.txt"));
    QCOMPARE(alphaJobs.size(), 2);
    QCOMPARE(alphaJobs.last().version, 2);
    QVERIFY(alphaJobs.last().isCurrent);

    // Deleted: its chunks go (this folder's policy).
    QVERIFY(QFile::remove(folder + QStringLiteral("/sub/beta.md")));
    QTRY_VERIFY_WITH_TIMEOUT(!currentText(db).contains(QStringLiteral("beta.md")), 20000);

    // Renamed: the old name's chunks go, the new name is a document of its own.
    QVERIFY(QFile::rename(folder + QStringLiteral("/alpha.txt"), folder + QStringLiteral("/delta.txt")));
    QTRY_COMPARE_WITH_TIMEOUT(currentText(db).keys(), QStringList{QStringLiteral("delta.txt")}, 20000);
    QVERIFY(currentText(db).value(QStringLiteral("delta.txt")).contains(QStringLiteral("gamma")));
    QTRY_COMPARE_WITH_TIMEOUT(activeJobs(db), 0, 20000);
    QVERIFY(stopAndWait(engine));
    QCOMPARE(Store::listJobs(db).value().size(), 4); // alpha v1 and v2, beta, delta: nothing twice
}

void tst_FolderWatcher::growingFileIsReadOnceComplete()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const QString folder = fixture.tempPath() + QStringLiteral("/inbox");
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(Store::addWatchedFolder(db, folder, Store::DeletePolicy::Remove).ok());
    Config config = watchingConfig(fixture.url());
    config.watch.settleMs = 1000;
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QVERIFY(startAndWait(engine));

    // A slow writer: a line every 150 ms for about 3.5 seconds, the file open all along.
    QFile file(folder + QStringLiteral("/growing.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    int lines = 0;
    QTimer writer;
    writer.setInterval(150);
    connect(&writer, &QTimer::timeout, this, [&] {
        file.write(
            QStringLiteral("Line %1 of the growing file says something about the figures.\n").arg(++lines).toUtf8());
        file.flush();
        if (lines == 24) {
            file.write("The last line.\n");
            file.close();
            writer.stop();
        }
    });
    writer.start();
    QTRY_VERIFY_WITH_TIMEOUT(!writer.isActive(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(activeJobs(db) == 0 && !jobsNamed(db, QStringLiteral("growing.txt")).isEmpty(), true,
                              20000);
    QVERIFY(stopAndWait(engine));
    const auto jobs = jobsNamed(db, QStringLiteral("growing.txt"));
    QCOMPARE(jobs.size(), 1);
    QCOMPARE(jobs.first().status, JobStatus::Done);
    QVERIFY(currentText(db).value(QStringLiteral("growing.txt")).contains(QStringLiteral("The last line.")));
    QVERIFY(currentText(db).value(QStringLiteral("growing.txt")).contains(QStringLiteral("Line 1 of")));
}

void tst_FolderWatcher::dropRulesApplyToWatchedFolders()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const QString folder = fixture.tempPath() + QStringLiteral("/inbox");
    QVERIFY(QDir().mkpath(folder + QStringLiteral("/.hidden")));
    writeText(folder + QStringLiteral("/.secret.txt"), prose(QStringLiteral("hidden")));
    writeText(folder + QStringLiteral("/.hidden/inside.txt"), prose(QStringLiteral("hidden")));
    writeText(folder + QStringLiteral("/data.xyz"), prose(QStringLiteral("unsupported")));
    writeText(folder + QStringLiteral("/kept.txt"), prose(QStringLiteral("kept")));
    QVERIFY(QFile::link(folder, folder + QStringLiteral("/loop"))); // a symbolic-link loop
    // A link out of the folder and a named pipe: skipped, the pipe never opened (it would block).
    writeText(fixture.tempPath() + QStringLiteral("/shadow.txt"), prose(QStringLiteral("private")));
    QVERIFY(QFile::link(fixture.tempPath() + QStringLiteral("/shadow.txt"), folder + QStringLiteral("/shadow.txt")));
    QVERIFY(Test::makeFifo(folder + QStringLiteral("/pipe.txt")));
    QVERIFY(Store::addWatchedFolder(db, folder, Store::DeletePolicy::Remove).ok());

    // The watcher alone (no engine): jobs are created, nothing runs them.
    QThreadPool pool;
    FolderWatcher watcher(db, watchingConfig(fixture.url()), &pool);
    QSignalSpy scans(&watcher, &FolderWatcher::scanned);
    watcher.start();
    QTRY_COMPARE_WITH_TIMEOUT(Store::listJobs(db).value().size(), 1, 20000);
    const int seen = int(scans.size());
    QTRY_VERIFY_WITH_TIMEOUT(scans.size() >= seen + 2, 20000); // more passes find nothing new
    watcher.stop();
    QTRY_VERIFY(!watcher.isScanning());
    const auto jobs = Store::listJobs(db).value();
    QCOMPARE(jobs.size(), 1);
    QCOMPARE(jobs.first().name, QStringLiteral("kept.txt"));

    // The operator allows links out of the folder (ingest/follow_symlinks): the link is read, the
    // pipe still never is.
    Config following = watchingConfig(fixture.url());
    following.ingest.followSymlinks = true;
    FolderWatcher again(db, following, &pool);
    QSignalSpy passes(&again, &FolderWatcher::scanned);
    again.start();
    QTRY_COMPARE_WITH_TIMEOUT(Store::listJobs(db).value().size(), 2, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(passes.size() >= 2, 20000);
    again.stop();
    QTRY_VERIFY(!again.isScanning());
    QStringList names;
    for (const Store::JobRecord &job : Store::listJobs(db).value())
        names << job.name;
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("kept.txt"), QStringLiteral("shadow.txt")}));
}

void tst_FolderWatcher::unreachableFolderLosesNothing()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const QString folder = fixture.tempPath() + QStringLiteral("/share");
    QVERIFY(QDir().mkpath(folder));
    writeText(folder + QStringLiteral("/report.txt"), prose(QStringLiteral("shared")));
    const Store::WatchedFolder watched = Store::addWatchedFolder(db, folder, Store::DeletePolicy::Remove).value();
    QThreadPool pool;
    FolderWatcher watcher(db, watchingConfig(fixture.url()), &pool);
    QSignalSpy scans(&watcher, &FolderWatcher::scanned);
    watcher.start();
    QTRY_COMPARE_WITH_TIMEOUT(Store::listJobs(db).value().size(), 1, 20000);

    // The share goes away (unmounted): its documents are not taken as deleted...
    const QString away = fixture.tempPath() + QStringLiteral("/away");
    QVERIFY(QDir().rename(folder, away));
    int seen = int(scans.size());
    QTRY_VERIFY_WITH_TIMEOUT(scans.size() >= seen + 2, 20000);
    auto known = Store::knownFiles(db, watched);
    QCOMPARE(known.value().size(), 1);
    QVERIFY(!known.value().first().removed);

    // ...and when it is back, nothing is read again.
    QVERIFY(QDir().rename(away, folder));
    seen = int(scans.size());
    QTRY_VERIFY_WITH_TIMEOUT(scans.size() >= seen + 2, 20000);
    watcher.stop();
    QTRY_VERIFY(!watcher.isScanning());
    QCOMPARE(Store::listJobs(db).value().size(), 1);
    QVERIFY(!Store::knownFiles(db, watched).value().first().removed);
}

QTEST_GUILESS_MAIN(tst_FolderWatcher)
#include "tst_folderwatcher.moc"
