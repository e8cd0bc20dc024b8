// The store's transitions against a real SQLite file and a real PostgreSQL database.
#include "store/documentstore.h"
#include "store/jobcontrol.h"
#include "store/jobqueries.h"
#include "store/jobqueue.h"
#include "storefixtures.h"
#include "testdatabase.h"

#include <QFile>
#include <QMutex>
#include <QSet>
#include <QSqlQuery>
#include <QtConcurrent/QtConcurrentRun>
#include <QTest>
#include <QThreadPool>

using namespace Docpipe;
using namespace Docpipe::Store;
using namespace Docpipe::Test;

namespace {

void runToEmbedded(const Database &db, const QString &worker, Stage from = Stage::Parsing)
{
    JobRecord job;
    if (from == Stage::Parsing) {
        job = claimOrFail(db, Stage::Parsing, worker);
        QVERIFY(completeParsing(db, job, worker, twoPages(), 5).value());
    }
    job = claimOrFail(db, Stage::Chunking, worker);
    QVERIFY(completeChunking(db, job, worker, threeChunks(), 5).value());
    job = claimOrFail(db, Stage::Embedding, worker);
    auto pending = pendingChunks(db, job, worker, QStringLiteral("m"), 2);
    QCOMPARE(pending.value().size(), 3);
    QList<int> indexes;
    QList<QByteArray> vectors;
    for (const PendingChunk &p : pending.value()) {
        indexes << p.index;
        vectors << QByteArray(8, char(p.index));
    }
    QVERIFY(storeVectors(db, job, worker, indexes, vectors, QStringLiteral("m"), 2).value());
    QVERIFY(completeEmbedding(db, job, worker, 5).value());
}

} // namespace

class tst_JobQueue final : public QObject
{
    Q_OBJECT
private slots:
    void ingestRecognisesIdenticalContent_data() { Test::addBackendRows(); }
    void ingestRecognisesIdenticalContent();
    void fullPathWritesOneEventPerTransition_data() { Test::addBackendRows(); }
    void fullPathWritesOneEventPerTransition();
    void blankPagesAreStored_data() { Test::addBackendRows(); }
    void blankPagesAreStored();
    void cancelledJobLosesItsResults_data() { Test::addBackendRows(); }
    void cancelledJobLosesItsResults();
    void transientFailureBacksOffThenFailsAfterLimit_data() { Test::addBackendRows(); }
    void transientFailureBacksOffThenFailsAfterLimit();
    void expiredLeaseReturnsToCheckpoint_data() { Test::addBackendRows(); }
    void expiredLeaseReturnsToCheckpoint();
    void resumedEmbeddingOnlyEmbedsMissingVectors_data() { Test::addBackendRows(); }
    void resumedEmbeddingOnlyEmbedsMissingVectors();
    void retryAndRerunFromStart_data() { Test::addBackendRows(); }
    void retryAndRerunFromStart();
    void pauseStopsClaims_data() { Test::addBackendRows(); }
    void pauseStopsClaims();
    void concurrentClaimsNeverShareAJob_data() { Test::addBackendRows(); }
    void concurrentClaimsNeverShareAJob();
    void oversizedFileFailsClearly_data() { Test::addBackendRows(); }
    void oversizedFileFailsClearly();
    void staleLeaseTokenIsFencedOff_data() { Test::addBackendRows(); }
    void staleLeaseTokenIsFencedOff();
    void heartbeatRenewsOnlyLeasesStillWorkedOn_data() { Test::addBackendRows(); }
    void heartbeatRenewsOnlyLeasesStillWorkedOn();
    void forgottenLeasesAreHandedBack_data() { Test::addBackendRows(); }
    void forgottenLeasesAreHandedBack();
    void leasesAndBackoffFollowTheServerClock_data() { Test::addBackendRows(); }
    void leasesAndBackoffFollowTheServerClock();
};

void tst_JobQueue::ingestRecognisesIdenticalContent()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const QString a = writeFile(fixture.tempPath(), QStringLiteral("a.txt"), "same bytes");
    const QString b = writeFile(fixture.tempPath(), QStringLiteral("b.txt"), "same bytes");
    const qint64 first = ingest(db, a);
    auto second = ingestFile(db, b, {});
    QVERIFY(second.ok());
    QVERIFY(second.value().duplicate);
    QCOMPARE(second.value().jobId, first);
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM jobs")), 1);
    const qint64 forced = ingest(db, b, true);
    QVERIFY(forced != first);
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM documents")), 1);
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM jobs")), 2);
    auto job = findJob(db, forced);
    QCOMPARE(job.value()->name, QStringLiteral("b.txt"));
    QCOMPARE(loadDocumentContent(db, forced).value(), QByteArray("same bytes"));
}

void tst_JobQueue::fullPathWritesOneEventPerTransition()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const qint64 id = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "hello"));
    runToEmbedded(db, QStringLiteral("w1"));

    const JobRecord job = *findJob(db, id).value();
    QCOMPARE(job.stage, Stage::Embedded);
    QCOMPARE(job.status, JobStatus::Done);
    QCOMPARE(job.pages, 2);
    QCOMPARE(job.chunks, 3);
    QVERIFY(job.leaseOwner.isEmpty());
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM chunks")), 3);
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM chunk_buffer")), 0);
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM vector_buffer")), 0);

    QStringList path;
    for (const JobEvent &e : listEvents(db, {.jobId = id}).value())
        path << e.kind + u':' + e.toStage;
    const QStringList expected{QStringLiteral("created:uploaded"),           QStringLiteral("transition:parsing"),
                               QStringLiteral("transition:parse_validated"), QStringLiteral("transition:chunking"),
                               QStringLiteral("transition:chunks_buffered"), QStringLiteral("transition:embedding"),
                               QStringLiteral("transition:embedded")};
    QCOMPARE(path, expected);

    // What the window's dashboard reads when it opens: the completions, not the intake or the claims.
    QStringList progress;
    for (const JobEvent &e : listEvents(db, {.jobId = id, .progressOnly = true}).value())
        progress << e.toStage;
    QCOMPARE(progress,
             (QStringList{QStringLiteral("parse_validated"), QStringLiteral("chunks_buffered"),
                          QStringLiteral("embedded")}));
}

void tst_JobQueue::blankPagesAreStored()
{
    // A blank page between text pages (R's reference manual has them) has a null text: it is a
    // page of the document, not a database error.
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "hello"));
    const JobRecord job = claimOrFail(db, Stage::Parsing, QStringLiteral("w1"));
    ParsedDocument doc = twoPages();
    doc.pages.insert(1, ParsedPage(2, QString()));
    doc.pages[2].number = 3;
    auto completed = completeParsing(db, job, QStringLiteral("w1"), doc, 5);
    QVERIFY2(completed.ok(), qPrintable(completed.ok() ? QString() : completed.error().message));
    QVERIFY(completed.value());
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM parsed_pages WHERE text = ''")), 1);
    QCOMPARE(parsedPages(db, job.id).value().size(), 3);
}

void tst_JobQueue::cancelledJobLosesItsResults()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const qint64 id = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "hello"));
    const JobRecord job = claimOrFail(db, Stage::Parsing, QStringLiteral("w1"));
    QCOMPARE(cancelJobs(db, {id}, QStringLiteral("operator")).value(), 1);
    QCOMPARE(renewLeases(db, QStringLiteral("w1"), {{job.id, job.leaseToken}}, 30000).value(), QList<qint64>());
    auto completed = completeParsing(db, job, QStringLiteral("w1"), twoPages(), 5);
    QVERIFY(completed.ok());
    QVERIFY(!completed.value());
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM parsed_pages")), 0);
    const JobRecord after = *findJob(db, id).value();
    QCOMPARE(after.status, JobStatus::Cancelled);
    QCOMPARE(after.stage, Stage::Parsing);
}

void tst_JobQueue::transientFailureBacksOffThenFailsAfterLimit()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const qint64 id = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "hello"));
    const StageError busy
        = StageError::transient(QStringLiteral("http_503"), QStringLiteral("the service is unavailable (HTTP 503)"));

    JobRecord job = claimOrFail(db, Stage::Parsing, QStringLiteral("w1"));
    QVERIFY(recordFailure(db, job, QStringLiteral("w1"), busy, {true, 60000}, 1).value());
    QVERIFY2(!claimNext(db, Stage::Parsing, QStringLiteral("w1"), 30000).value(), "not_before must hold the job back");
    QSqlQuery query(db.sql());
    QVERIFY(query.exec(QStringLiteral("UPDATE jobs SET not_before = 0")));

    job = claimOrFail(db, Stage::Parsing, QStringLiteral("w1"));
    QCOMPARE(job.attempts, 1);
    QVERIFY(recordFailure(db, job, QStringLiteral("w1"), busy, {false, 0}, 1).value());
    const JobRecord failed = *findJob(db, id).value();
    QCOMPARE(failed.status, JobStatus::Failed);
    QCOMPARE(failed.stage, Stage::Parsing);
    QCOMPARE(failed.errorCode, QStringLiteral("http_503"));
    QVERIFY(failed.errorMessage.contains(QLatin1String("gave up after 2 attempts")));
    QCOMPARE(listEvents(db, {.jobId = id, .errorsOnly = true}).value().size(), 2);
    QCOMPARE(listEvents(db, {.jobId = id, .progressOnly = true}).value().size(), 2); // the same two errors
}

void tst_JobQueue::expiredLeaseReturnsToCheckpoint()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const qint64 id = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "hello"));
    JobRecord job = claimOrFail(db, Stage::Parsing, QStringLiteral("dead"));
    QVERIFY(completeParsing(db, job, QStringLiteral("dead"), twoPages(), 1).value());
    job = claimOrFail(db, Stage::Chunking, QStringLiteral("dead"));

    QCOMPARE(recoverLeases(db, {}, 5, QStringLiteral("rescuer")).value(), 0); // lease still valid
    QCOMPARE(recoverLeases(db, {QStringLiteral("dead")}, 5, QStringLiteral("rescuer")).value(), 1);
    const JobRecord back = *findJob(db, id).value();
    QCOMPARE(back.stage, Stage::ParseValidated);
    QCOMPARE(back.status, JobStatus::Queued);
    QCOMPARE(back.rescues, 1);
    QCOMPARE(back.attempts, 0); // a lost worker is not the job's failure
    const auto events = listEvents(db, {.jobId = id}).value();
    QCOMPARE(events.last().kind, QStringLiteral("lease_expired"));
    QVERIFY(events.last().message.contains(QLatin1String("dead")));
    // The dead worker's late result is refused.
    QVERIFY(!completeChunking(db, job, QStringLiteral("dead"), threeChunks(), 1).value());
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM chunk_buffer")), 0);
}

void tst_JobQueue::resumedEmbeddingOnlyEmbedsMissingVectors()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "hello"));
    JobRecord job = claimOrFail(db, Stage::Parsing, QStringLiteral("w1"));
    QVERIFY(completeParsing(db, job, QStringLiteral("w1"), twoPages(), 1).value());
    job = claimOrFail(db, Stage::Chunking, QStringLiteral("w1"));
    QVERIFY(completeChunking(db, job, QStringLiteral("w1"), threeChunks(), 1).value());
    job = claimOrFail(db, Stage::Embedding, QStringLiteral("w1"));
    QVERIFY(storeVectors(db, job, QStringLiteral("w1"), {0}, {QByteArray(8, 'a')}, QStringLiteral("m"), 2).value());
    QCOMPARE(recoverLeases(db, {QStringLiteral("w1")}, 5, QStringLiteral("w2")).value(), 1);

    job = claimOrFail(db, Stage::Embedding, QStringLiteral("w2"));
    auto pending = pendingChunks(db, job, QStringLiteral("w2"), QStringLiteral("m"), 2).value();
    QCOMPARE(pending.size(), 2);
    QCOMPARE(pending.first().index, 1);
    QCOMPARE(bufferedVectorCount(db, job.id).value(), 1);
    // A long document is read a window at a time: after index 1, at most one chunk.
    const auto window = pendingChunks(db, job, QStringLiteral("w2"), QStringLiteral("m"), 2, 1, 1).value();
    QCOMPARE(window.size(), 1);
    QCOMPARE(window.first().index, 2);
    QCOMPARE(pendingChunks(db, job, QStringLiteral("w2"), QStringLiteral("m"), 2, -1, 1).value().first().index, 1);
    QVERIFY(!completeEmbedding(db, job, QStringLiteral("w2"), 1).ok()); // vectors missing
    // A different model invalidates what was buffered.
    QCOMPARE(pendingChunks(db, job, QStringLiteral("w2"), QStringLiteral("other"), 2).value().size(), 3);
}

void tst_JobQueue::retryAndRerunFromStart()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const qint64 id = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "hello"));
    JobRecord job = claimOrFail(db, Stage::Parsing, QStringLiteral("w1"));
    QVERIFY(completeParsing(db, job, QStringLiteral("w1"), twoPages(), 1).value());
    job = claimOrFail(db, Stage::Chunking, QStringLiteral("w1"));
    QVERIFY(recordFailure(db, job, QStringLiteral("w1"),
                          StageError::permanent(QStringLiteral("x"), QStringLiteral("bad")), {}, 1)
                .value());

    QCOMPARE(failedJobIds(db).value(), QList<qint64>{id});
    QCOMPARE(retryJobs(db, {id}, RetryFrom::LastCheckpoint, QStringLiteral("op")).value(), 1);
    JobRecord after = *findJob(db, id).value();
    QCOMPARE(after.stage, Stage::ParseValidated);
    QCOMPARE(after.status, JobStatus::Queued);
    QCOMPARE(after.attempts, 0);
    QVERIFY(after.errorCode.isEmpty());
    QCOMPARE(retryJobs(db, {id}, RetryFrom::LastCheckpoint, QStringLiteral("op")).value(), 0); // not failed any more

    QVERIFY(!claimNext(db, Stage::Parsing, QStringLiteral("w1"), 30000).value()); // parsing is not redone
    runToEmbedded(db, QStringLiteral("w1"), Stage::Chunking);
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM chunks")), 3);
    QCOMPARE(retryJobs(db, {id}, RetryFrom::Start, QStringLiteral("op")).value(), 1);
    after = *findJob(db, id).value();
    QCOMPARE(after.stage, Stage::Uploaded);
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM chunks")), 0);
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM parsed_pages")), 0);
    runToEmbedded(db, QStringLiteral("w1"));
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM chunks")), 3);
}

void tst_JobQueue::pauseStopsClaims()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "hello"));
    QVERIFY(setPaused(db, true).ok());
    QVERIFY(isPaused(db).value());
    QVERIFY(!claimNext(db, Stage::Parsing, QStringLiteral("w1"), 30000).value());
    QVERIFY(setPaused(db, false).ok());
    QVERIFY(claimNext(db, Stage::Parsing, QStringLiteral("w1"), 30000).value());
}

void tst_JobQueue::concurrentClaimsNeverShareAJob()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    constexpr int jobs = 50;
    for (int i = 0; i < jobs; ++i)
        ingest(db, writeFile(fixture.tempPath(), QStringLiteral("d%1.txt").arg(i), QByteArray::number(i)));

    QMutex mutex;
    QList<qint64> claimed;
    QStringList errors;
    QThreadPool pool;
    pool.setMaxThreadCount(4);
    QList<QFuture<void>> futures;
    for (int t = 0; t < 4; ++t) {
        futures << QtConcurrent::run(&pool, [&, t] {
            const QString worker = QStringLiteral("w%1").arg(t);
            for (;;) {
                auto next = claimNext(db, Stage::Parsing, worker, 30000);
                QMutexLocker lock(&mutex);
                if (!next) {
                    errors << next.error().message;
                    if (next.error().isTransient())
                        continue;
                    return;
                }
                if (!next.value())
                    return;
                claimed << next.value()->id;
            }
        });
    }
    QVERIFY(QTest::qWaitFor(
        [&] { return std::all_of(futures.begin(), futures.end(), [](const auto &f) { return f.isFinished(); }); },
        60000));
    QCOMPARE(claimed.size(), jobs);
    QCOMPARE(QSet<qint64>(claimed.begin(), claimed.end()).size(), jobs);
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM job_events WHERE to_stage = 'parsing'")), jobs);
}

void tst_JobQueue::oversizedFileFailsClearly()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const QString path = writeFile(fixture.tempPath(), QStringLiteral("big.txt"), QByteArray(4096, 'x'));
    IngestOptions options;
    options.maxBytes = 1024;
    auto result = ingestFile(db, path, options);
    QVERIFY(result.ok());
    QVERIFY(result.value().tooLarge);
    const JobRecord job = *findJob(db, result.value().jobId).value();
    QCOMPARE(job.status, JobStatus::Failed);
    QCOMPARE(job.errorCode, QStringLiteral("file_too_large"));
    QVERIFY(job.errorMessage.contains(QLatin1String("limit")));
    auto content = loadDocumentContent(db, job.id);
    QVERIFY(!content.ok());
    QCOMPARE(content.error().code, QStringLiteral("file_too_large"));
}

// A worker that lost a job and later claimed it again (same worker id) holds a new token: what it
// still does for the old claim is refused, whatever the write (vectors, transition, failure).
void tst_JobQueue::staleLeaseTokenIsFencedOff()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const qint64 id = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "hello"));
    const QString worker = QStringLiteral("w1");
    JobRecord job = claimOrFail(db, Stage::Parsing, worker);
    QVERIFY(completeParsing(db, job, worker, twoPages(), 1).value());
    job = claimOrFail(db, Stage::Chunking, worker);
    QVERIFY(completeChunking(db, job, worker, threeChunks(), 1).value());
    const JobRecord oldClaim = claimOrFail(db, Stage::Embedding, worker);

    QCOMPARE(recoverLeases(db, {worker}, 5, QStringLiteral("rescuer")).value(), 1);
    const JobRecord newClaim = claimOrFail(db, Stage::Embedding, worker);
    QCOMPARE(newClaim.leaseOwner, oldClaim.leaseOwner);
    QVERIFY(newClaim.leaseToken > oldClaim.leaseToken);

    QVERIFY(!storeVectors(db, oldClaim, worker, {0}, {QByteArray(8, 'x')}, QStringLiteral("m"), 2).value());
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM vector_buffer")), 0);
    const StageError busy = StageError::transient(QStringLiteral("http_503"), QStringLiteral("unavailable"));
    QVERIFY(!recordFailure(db, oldClaim, worker, busy, {true, 0}, 1).value());
    QVERIFY(!releaseJob(db, oldClaim, worker, QStringLiteral("stopping")).value());
    QCOMPARE(renewLeases(db, worker, {{oldClaim.id, oldClaim.leaseToken}}, 30000).value(), QList<qint64>());

    // The current claim goes through, and the final table holds each chunk once.
    QVERIFY(storeVectors(db, newClaim, worker, {0, 1, 2}, {QByteArray(8, 'a'), QByteArray(8, 'b'), QByteArray(8, 'c')},
                         QStringLiteral("m"), 2)
                .value());
    QVERIFY(!completeEmbedding(db, oldClaim, worker, 1).value());
    QVERIFY(completeEmbedding(db, newClaim, worker, 1).value());
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM chunks")), 3);
    QCOMPARE(findJob(db, id).value()->stage, Stage::Embedded);
}

// The stuck-job defect: a worker that gave up on a job (it could not write the outcome while the
// database was away) must not keep that job's lease alive with its heartbeat.
void tst_JobQueue::heartbeatRenewsOnlyLeasesStillWorkedOn()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const qint64 kept = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("a.txt"), "kept"));
    const qint64 abandoned = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("b.txt"), "abandoned"));
    const QString worker = QStringLiteral("w1");
    const JobRecord first = claimOrFail(db, Stage::Parsing, worker);
    const JobRecord second = claimOrFail(db, Stage::Parsing, worker);
    const JobRecord &keptJob = first.id == kept ? first : second;
    QCOMPARE((first.id == abandoned ? first : second).id, abandoned);

    QSqlQuery query(db.sql());
    QVERIFY(query.exec(QStringLiteral("UPDATE jobs SET lease_expires = 0"))); // both about to expire
    QCOMPARE(renewLeases(db, worker, {{keptJob.id, keptJob.leaseToken}}, 30000).value(), QList<qint64>{kept});
    QCOMPARE(recoverLeases(db, {}, 5, QStringLiteral("rescuer")).value(), 1);
    const JobRecord back = *findJob(db, abandoned).value();
    QCOMPARE(back.stage, Stage::Uploaded);
    QCOMPARE(back.status, JobStatus::Queued);
    QCOMPARE(back.rescues, 1);
    QCOMPARE(findJob(db, kept).value()->status, JobStatus::Running);
}

// A job whose lease this worker owns but that it no longer works on (its last transition was lost
// with the server, or a claim's answer never came back) is handed back at once, without waiting
// for the lease to expire and without counting a rescue; a lease granted a moment ago (a claim
// not yet counted as held) and the leases of other workers are left alone.
void tst_JobQueue::forgottenLeasesAreHandedBack()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    QList<qint64> ids;
    for (const char *name : {"held.txt", "forgotten.txt", "fresh.txt", "other.txt"})
        ids << ingest(db, writeFile(fixture.tempPath(), QString::fromLatin1(name), name));
    const QString worker = QStringLiteral("w1");
    QHash<qint64, JobRecord> claimed;
    for (int i = 0; i < 3; ++i) {
        const JobRecord job = claimOrFail(db, Stage::Parsing, worker);
        claimed.insert(job.id, job);
    }
    const JobRecord others = claimOrFail(db, Stage::Parsing, QStringLiteral("w2"));
    QCOMPARE(claimed.size(), 3);
    // Claims take the oldest first: the first three went to w1; two of its leases are old.
    const qint64 held = ids[0], forgotten = ids[1], fresh = ids[2];
    QVERIFY(claimed.contains(held) && claimed.contains(forgotten) && claimed.contains(fresh));
    QCOMPARE(others.id, ids[3]);
    QSqlQuery query(db.sql());
    QVERIFY(query.exec(QStringLiteral("UPDATE jobs SET lease_expires = lease_expires - 10000 WHERE id IN (%1, %2, %3)")
                           .arg(held)
                           .arg(forgotten)
                           .arg(ids[3])));

    QCOMPARE(releaseForgottenLeases(db, worker, {held}, 30000, 2000).value(), 1);
    const JobRecord back = *findJob(db, forgotten).value();
    QCOMPARE(back.stage, Stage::Uploaded);
    QCOMPARE(back.status, JobStatus::Queued);
    QCOMPARE(back.rescues, 0);
    QCOMPARE(back.attempts, 0);
    QCOMPARE(listEvents(db, {.jobId = forgotten}).value().last().kind, QStringLiteral("released"));
    QCOMPARE(findJob(db, held).value()->status, JobStatus::Running);
    QCOMPARE(findJob(db, fresh).value()->status, JobStatus::Running);
    QCOMPARE(findJob(db, ids[3]).value()->status, JobStatus::Running);
    // Its late result is refused; the job is claimed again and goes on.
    QVERIFY(!completeParsing(db, claimed.value(forgotten), worker, twoPages(), 1).value());
    QCOMPARE(releaseForgottenLeases(db, worker, {held}, 30000, 2000).value(), 0);
}

// Lease expiry and retry backoff are the database's now plus a duration: a job whose lease was
// written by a worker is judged by the server's clock, not by whoever reads it.
void tst_JobQueue::leasesAndBackoffFollowTheServerClock()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "hello"));
    QSqlQuery query(db.sql());
    QVERIFY(query.exec(QStringLiteral("SELECT ") + serverNowSql(db.dialect())));
    QVERIFY(query.next());
    const qint64 serverBefore = query.value(0).toLongLong();
    QVERIFY(qAbs(serverBefore - nowMs()) < 5000); // same host here

    const JobRecord job = claimOrFail(db, Stage::Parsing, QStringLiteral("w1"));
    QVERIFY(job.leaseExpires >= serverBefore + 30000);
    QVERIFY(job.leaseExpires < serverBefore + 30000 + 5000);
    const StageError busy = StageError::transient(QStringLiteral("http_503"), QStringLiteral("unavailable"));
    QVERIFY(recordFailure(db, job, QStringLiteral("w1"), busy, {true, 600000}, 1).value());
    const JobRecord back = *findJob(db, job.id).value();
    QVERIFY(back.notBefore >= serverBefore + 600000);
    QVERIFY(back.notBefore < serverBefore + 600000 + 5000);
    QVERIFY(back.updatedAt >= serverBefore);
}

QTEST_GUILESS_MAIN(tst_JobQueue)
#include "tst_jobqueue.moc"
