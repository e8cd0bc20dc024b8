// Documents with an identity and versions, on SQLite and PostgreSQL: a changed file is a new
// version of the same document; its chunks replace the old version's only once it is embedded;
// a failed or superseded version never takes the old chunks away; deleted files follow their
// folder's policy; export and search (current chunks) see one version per document.
#include "store/currentchunks.h"
#include "store/documentstore.h"
#include "store/documentversions.h"
#include "store/jobcontrol.h"
#include "store/jobqueries.h"
#include "store/jobqueue.h"
#include "store/watchedfolders.h"
#include "testdatabase.h"

#include <QFile>
#include <QSqlQuery>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Store;

namespace {

const QString kWorker = QStringLiteral("test-worker");

QString writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write test file");
    file.write(bytes);
    return file.fileName();
}

IngestResult ingest(const Database &db, const QString &path, IngestOptions options = {})
{
    auto result = ingestFile(db, path, options);
    if (!result)
        qFatal("ingest failed: %s", qPrintable(result.error().message));
    return result.value();
}

JobRecord claim(const Database &db, Stage stage)
{
    auto claimed = claimNext(db, stage, kWorker, 30000);
    if (!claimed || !claimed.value())
        qFatal("expected to claim a job in %s", qPrintable(stageName(stage)));
    return *claimed.value();
}

// Takes the next job through parsing, chunking and the vectors of every chunk, stopping before
// the last step (completeEmbedding) that makes its chunks final.
JobRecord runUpToFinalStep(const Database &db, const QStringList &chunkTexts)
{
    JobRecord job = claim(db, Stage::Parsing);
    ParsedDocument doc;
    doc.type = QStringLiteral("text");
    doc.pages = {{1, chunkTexts.join(u' ')}};
    if (!completeParsing(db, job, kWorker, doc, 1).value())
        qFatal("parsing not committed");
    job = claim(db, Stage::Chunking);
    QList<Chunk> chunks;
    for (int i = 0; i < chunkTexts.size(); ++i)
        chunks.append({i, chunkTexts.at(i), 3, 1, 1, 0, 1});
    if (!completeChunking(db, job, kWorker, chunks, 1).value())
        qFatal("chunking not committed");
    job = claim(db, Stage::Embedding);
    QList<int> indexes;
    QList<QByteArray> vectors;
    for (int i = 0; i < chunkTexts.size(); ++i) {
        indexes << i;
        vectors << QByteArray(8, char(i));
    }
    if (!storeVectors(db, job, kWorker, indexes, vectors, QStringLiteral("test-model"), 2).value())
        qFatal("vectors not stored");
    return job;
}

qint64 runToEmbedded(const Database &db, const QStringList &chunkTexts)
{
    const JobRecord job = runUpToFinalStep(db, chunkTexts);
    if (!completeEmbedding(db, job, kWorker, 1).value())
        qFatal("embedding not committed");
    return job.id;
}

QStringList currentTexts(const Database &db)
{
    QStringList texts;
    auto visited = forEachCurrentChunk(db, {}, [&](const StoredChunk &chunk) {
        texts << chunk.chunk.text;
        return true;
    });
    if (!visited)
        qFatal("reading current chunks failed: %s", qPrintable(visited.error().message));
    return texts;
}

JobRecord jobOf(const Database &db, qint64 id)
{
    return *findJob(db, id).value();
}

int chunkRows(const Database &db)
{
    QSqlQuery query(db.sql());
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM chunks")) || !query.next())
        qFatal("count failed");
    return query.value(0).toInt();
}

} // namespace

class tst_DocumentVersions final : public QObject
{
    Q_OBJECT
private slots:
    void changedFileIsNewVersionOfSameDocument_data() { Test::addBackendRows(); }
    void changedFileIsNewVersionOfSameDocument();
    void oldChunksStaySearchableUntilNewVersionIsEmbedded_data() { Test::addBackendRows(); }
    void oldChunksStaySearchableUntilNewVersionIsEmbedded();
    void failedNewVersionLeavesOldChunks_data() { Test::addBackendRows(); }
    void failedNewVersionLeavesOldChunks();
    void olderVersionInFlightIsSuperseded_data() { Test::addBackendRows(); }
    void olderVersionInFlightIsSuperseded();
    void olderVersionNeverReplacesNewer_data() { Test::addBackendRows(); }
    void olderVersionNeverReplacesNewer();
    void copiesAreDuplicatesForDropsButDocumentsInFolders_data() { Test::addBackendRows(); }
    void copiesAreDuplicatesForDropsButDocumentsInFolders();
    void deletedFileFollowsFolderPolicy_data();
    void deletedFileFollowsFolderPolicy();
    void identityCanBeAName_data() { Test::addBackendRows(); }
    void identityCanBeAName();
};

void tst_DocumentVersions::changedFileIsNewVersionOfSameDocument()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const QString path = writeFile(fixture.tempPath() + QStringLiteral("/report.txt"), "first words");
    const IngestResult v1 = ingest(db, path);
    QCOMPARE(v1.version, 1);
    QVERIFY(!v1.duplicate);

    const IngestResult same = ingest(db, path);
    QVERIFY(same.duplicate);
    QCOMPARE(same.jobId, v1.jobId);

    writeFile(path, "second words");
    const IngestResult v2 = ingest(db, path);
    QVERIFY(!v2.duplicate);
    QCOMPARE(v2.version, 2);
    QCOMPARE(v2.sourceId, v1.sourceId);
    QVERIFY(v2.jobId != v1.jobId);

    IngestOptions force;
    force.force = true;
    const IngestResult v3 = ingest(db, path, force);
    QCOMPARE(v3.version, 3);

    const JobRecord job = jobOf(db, v3.jobId);
    QCOMPARE(job.version, 3);
    QCOMPARE(job.sourceId, v1.sourceId);
    auto events = listEvents(db, {.jobId = v3.jobId});
    QVERIFY(events.value().first().message.contains(QStringLiteral("version 3")));
}

void tst_DocumentVersions::oldChunksStaySearchableUntilNewVersionIsEmbedded()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const QString path = writeFile(fixture.tempPath() + QStringLiteral("/report.txt"), "version one");
    const qint64 v1 = ingest(db, path).jobId;
    runToEmbedded(db, {QStringLiteral("old a"), QStringLiteral("old b")});
    QVERIFY(jobOf(db, v1).isCurrent);

    writeFile(path, "version two");
    const qint64 v2 = ingest(db, path).jobId;
    const JobRecord pending
        = runUpToFinalStep(db, {QStringLiteral("new a"), QStringLiteral("new b"), QStringLiteral("new c")});
    QCOMPARE(pending.id, v2);
    // Parsed, chunked and every vector stored: still the old version that search and export see.
    QCOMPARE(currentTexts(db), (QStringList{QStringLiteral("old a"), QStringLiteral("old b")}));

    QVERIFY(completeEmbedding(db, pending, kWorker, 1).value());
    QCOMPARE(currentTexts(db),
             (QStringList{QStringLiteral("new a"), QStringLiteral("new b"), QStringLiteral("new c")}));
    QCOMPARE(chunkRows(db), 3); // the old version's rows are gone, not hidden
    QVERIFY(jobOf(db, v2).isCurrent);
    QVERIFY(!jobOf(db, v1).isCurrent);
    auto events = listEvents(db, {.jobId = v2});
    QVERIFY(events.value().last().message.contains(QStringLiteral("replace version 1 (2 chunk(s))")));
    auto current = currentJobIds(db);
    QCOMPARE(current.value(), QList<qint64>{v2});
}

void tst_DocumentVersions::failedNewVersionLeavesOldChunks()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const QString path = writeFile(fixture.tempPath() + QStringLiteral("/report.txt"), "version one");
    const qint64 v1 = ingest(db, path).jobId;
    runToEmbedded(db, {QStringLiteral("old a")});

    writeFile(path, "version two");
    ingest(db, path);
    const JobRecord parsing = claim(db, Stage::Parsing);
    const StageError error = StageError::permanent(QStringLiteral("corrupt_pdf"), QStringLiteral("broken"));
    QVERIFY(recordFailure(db, parsing, kWorker, error, {}, 1).value());
    QCOMPARE(jobOf(db, parsing.id).status, JobStatus::Failed);
    QCOMPARE(currentTexts(db), QStringList{QStringLiteral("old a")});
    QVERIFY(jobOf(db, v1).isCurrent);
}

void tst_DocumentVersions::olderVersionInFlightIsSuperseded()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const QString path = writeFile(fixture.tempPath() + QStringLiteral("/report.txt"), "version one");
    const qint64 v1 = ingest(db, path).jobId;
    const JobRecord running = claim(db, Stage::Parsing); // a worker is on it
    QCOMPARE(running.id, v1);

    writeFile(path, "version two");
    const IngestResult v2 = ingest(db, path);
    QCOMPARE(v2.superseded, QList<qint64>{v1});
    const JobRecord old = jobOf(db, v1);
    QCOMPARE(old.status, JobStatus::Cancelled);
    QCOMPARE(old.errorCode, QStringLiteral("superseded"));
    // The worker that held it can no longer write.
    ParsedDocument doc;
    doc.type = QStringLiteral("text");
    doc.pages = {{1, QStringLiteral("text")}};
    QVERIFY(!completeParsing(db, running, kWorker, doc, 1).value());
    runToEmbedded(db, {QStringLiteral("two")});
    QCOMPARE(currentTexts(db), QStringList{QStringLiteral("two")});
}

void tst_DocumentVersions::olderVersionNeverReplacesNewer()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const QString path = writeFile(fixture.tempPath() + QStringLiteral("/report.txt"), "version one");
    const qint64 v1 = ingest(db, path).jobId;
    writeFile(path, "version two");
    const qint64 v2 = ingest(db, path).jobId; // v1 cancelled as superseded
    runToEmbedded(db, {QStringLiteral("two")});
    QVERIFY(jobOf(db, v2).isCurrent);

    // An operator retries the superseded version; it runs to the end but stays behind.
    QCOMPARE(retryJobs(db, {v1}, RetryFrom::LastCheckpoint, QStringLiteral("operator")).value(), 1);
    runToEmbedded(db, {QStringLiteral("one")});
    QCOMPARE(jobOf(db, v1).status, JobStatus::Done);
    QCOMPARE(jobOf(db, v1).chunks, 0);
    QCOMPARE(currentTexts(db), QStringList{QStringLiteral("two")});
    auto events = listEvents(db, {.jobId = v1});
    QVERIFY(events.value().last().message.contains(QStringLiteral("superseded")));
}

void tst_DocumentVersions::copiesAreDuplicatesForDropsButDocumentsInFolders()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const QString a = writeFile(fixture.tempPath() + QStringLiteral("/a.txt"), "same bytes");
    const QString b = writeFile(fixture.tempPath() + QStringLiteral("/b.txt"), "same bytes");
    const IngestResult first = ingest(db, a);
    const IngestResult dropped = ingest(db, b);
    QVERIFY(dropped.duplicate); // a drop of known content reports the existing job, as always
    QCOMPARE(dropped.jobId, first.jobId);

    IngestOptions watched;
    watched.duplicates = DuplicateScope::SameIdentity;
    const IngestResult found = ingest(db, b, watched);
    QVERIFY(!found.duplicate); // in a watched folder, every file is its own document
    QVERIFY(found.sourceId != first.sourceId);
}

void tst_DocumentVersions::deletedFileFollowsFolderPolicy_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("keep");
    for (const char *backend : {"sqlite", "postgres"}) {
        QTest::addRow("%s remove", backend) << QString::fromLatin1(backend) << false;
        QTest::addRow("%s keep", backend) << QString::fromLatin1(backend) << true;
    }
}

void tst_DocumentVersions::deletedFileFollowsFolderPolicy()
{
    DOCPIPE_TEST_DATABASE(fixture);
    QFETCH(bool, keep);
    const Database db = fixture.database();
    const DeletePolicy policy = keep ? DeletePolicy::Keep : DeletePolicy::Remove;
    const WatchedFolder folder = addWatchedFolder(db, fixture.tempPath(), policy).value();
    const QString path = writeFile(fixture.tempPath() + QStringLiteral("/report.txt"), "version one");
    IngestOptions options;
    options.folderId = folder.id;
    options.duplicates = DuplicateScope::SameIdentity;
    const IngestResult v1 = ingest(db, path, options);
    runToEmbedded(db, {QStringLiteral("one")});
    writeFile(path, "version two");
    const IngestResult v2 = ingest(db, path, options); // in flight when the file goes

    QVERIFY(removeSource(db, v1.sourceId, policy, QStringLiteral("watcher")).value());
    QVERIFY(!removeSource(db, v1.sourceId, policy, QStringLiteral("watcher")).value()); // once only
    QCOMPARE(jobOf(db, v2.jobId).status, JobStatus::Cancelled);
    QCOMPARE(jobOf(db, v2.jobId).errorCode, QStringLiteral("file_deleted"));
    QCOMPARE(currentTexts(db), keep ? QStringList{QStringLiteral("one")} : QStringList());
    QVERIFY(jobOf(db, v1.jobId).sourceRemoved);
    auto events = listEvents(db, {.jobId = v2.jobId});
    QCOMPARE(events.value().last().kind, QString::fromLatin1(EventKind::SourceRemoved));
    QVERIFY(events.value().last().message.contains(keep ? QStringLiteral("kept")
                                                        : QStringLiteral("1 chunk(s) were removed")));

    auto known = knownFiles(db, folder);
    QCOMPARE(known.value().size(), 1);
    QVERIFY(known.value().first().removed);

    // The file comes back with its old content: a new version, not a duplicate of a deleted one.
    writeFile(path, "version one");
    const IngestResult back = ingest(db, path, options);
    QVERIFY(!back.duplicate);
    QCOMPARE(back.version, 3);
    QVERIFY(!jobOf(db, back.jobId).sourceRemoved);
}

void tst_DocumentVersions::identityCanBeAName()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const QString first = writeFile(fixture.tempPath() + QStringLiteral("/upload-1.tmp"), "handbook, edition one");
    const QString second = writeFile(fixture.tempPath() + QStringLiteral("/upload-2.tmp"), "handbook, edition two");
    IngestOptions options;
    options.identity = QStringLiteral("api:handbook");
    const IngestResult v1 = ingest(db, first, options);
    const IngestResult v2 = ingest(db, second, options);
    QCOMPARE(v2.sourceId, v1.sourceId);
    QCOMPARE(v2.version, 2);
}

QTEST_GUILESS_MAIN(tst_DocumentVersions)
#include "tst_documentversions.moc"
