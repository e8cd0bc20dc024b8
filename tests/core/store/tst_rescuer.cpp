// The rescuer: jobs of lost workers go back to their checkpoint, a job that keeps losing its
// worker fails as worker_lost, only one rescue pass runs at a time across the fleet, and a worker
// whose lease was taken over cannot touch the job's buffered vectors.
#include "store/jobcontrol.h"
#include "store/jobqueries.h"
#include "store/jobqueue.h"
#include "store/storeexecutor.h"
#include "storefixtures.h"
#include "testdatabase.h"

#include <QSqlQuery>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Store;
using namespace Docpipe::Test;

class tst_Rescuer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aJobThatKeepsLosingItsWorkerFailsAsWorkerLost_data() { addBackendRows(); }
    void aJobThatKeepsLosingItsWorkerFailsAsWorkerLost();
    void oneRescuePassAtATimeAcrossTheFleet();
    void staleWorkerCannotDropBufferedVectors_data() { addBackendRows(); }
    void staleWorkerCannotDropBufferedVectors();
};

namespace {

void expireAllLeases(const Database &db)
{
    QSqlQuery query(db.sql());
    if (!query.exec(QStringLiteral("UPDATE jobs SET lease_expires = 0 WHERE status = 'running'")))
        qFatal("cannot expire leases");
}

} // namespace

void tst_Rescuer::aJobThatKeepsLosingItsWorkerFailsAsWorkerLost()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    const qint64 id = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "kills its workers"));
    const int maxRescues = 2;

    claimOrFail(db, Stage::Parsing, QStringLiteral("w1"));
    expireAllLeases(db);
    QCOMPARE(recoverLeases(db, {}, maxRescues, QStringLiteral("rescuer")).value(), 1);
    JobRecord job = *findJob(db, id).value();
    QCOMPARE(job.status, JobStatus::Queued);
    QCOMPARE(job.rescues, 1);
    QCOMPARE(job.attempts, 0);

    claimOrFail(db, Stage::Parsing, QStringLiteral("w2"));
    expireAllLeases(db);
    QCOMPARE(recoverLeases(db, {}, maxRescues, QStringLiteral("rescuer")).value(), 1);
    job = *findJob(db, id).value();
    QCOMPARE(job.status, JobStatus::Failed);
    QCOMPARE(job.stage, Stage::Parsing);
    QCOMPARE(job.errorCode, QStringLiteral("worker_lost"));
    QVERIFY2(job.errorMessage.contains(QLatin1String("w2")), qPrintable(job.errorMessage));
    QCOMPARE(listEvents(db, {.jobId = id}).value().last().code, QStringLiteral("worker_lost"));
    QCOMPARE(recoverLeases(db, {}, maxRescues, QStringLiteral("rescuer")).value(), 0); // no loop

    // An operator's retry gives it a fresh count.
    QCOMPARE(retryJobs(db, {id}, RetryFrom::LastCheckpoint, QStringLiteral("operator")).value(), 1);
    QCOMPARE(findJob(db, id).value()->rescues, 0);
}

void tst_Rescuer::oneRescuePassAtATimeAcrossTheFleet()
{
    TestDatabase fixture(QStringLiteral("postgres"));
    if (!fixture.isReady()) {
        if (TestDatabase::postgresRequired())
            QFAIL(qPrintable(fixture.skipReason()));
        QSKIP(qPrintable(fixture.skipReason()));
    }
    const Database db = fixture.database();
    const qint64 id = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "lost"));
    claimOrFail(db, Stage::Parsing, QStringLiteral("lost-worker"));
    expireAllLeases(db);

    // Another worker's rescue pass is running (it holds the fleet's rescue lock on its connection).
    StoreExecutor otherWorker;
    const auto onOther = [&](const QString &sql) {
        auto done = otherWorker.run([db, sql] {
            QSqlQuery query(db.sql());
            return query.exec(sql) && query.next() && query.value(0).toBool();
        });
        return QTest::qWaitFor([&] { return done.isFinished(); }, 10000) && done.result();
    };
    QVERIFY(onOther(QStringLiteral("SELECT pg_try_advisory_lock(4242002)")));
    QCOMPARE(recoverLeases(db, {}, 3, QStringLiteral("rescuer")).value(), 0);
    QCOMPARE(findJob(db, id).value()->status, JobStatus::Running);

    QVERIFY(onOther(QStringLiteral("SELECT pg_advisory_unlock(4242002)")));
    QCOMPARE(recoverLeases(db, {}, 3, QStringLiteral("rescuer")).value(), 1);
    QCOMPARE(findJob(db, id).value()->status, JobStatus::Queued);
    // This pass let its lock go: the other worker can rescue next time.
    QVERIFY(onOther(QStringLiteral("SELECT pg_try_advisory_lock(4242002)")));
}

void tst_Rescuer::staleWorkerCannotDropBufferedVectors()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Database db = fixture.database();
    ingest(db, writeFile(fixture.tempPath(), QStringLiteral("doc.txt"), "hello"));
    JobRecord job = claimOrFail(db, Stage::Parsing, QStringLiteral("w1"));
    QVERIFY(completeParsing(db, job, QStringLiteral("w1"), twoPages(), 1).value());
    job = claimOrFail(db, Stage::Chunking, QStringLiteral("w1"));
    QVERIFY(completeChunking(db, job, QStringLiteral("w1"), threeChunks(), 1).value());
    const JobRecord stale = claimOrFail(db, Stage::Embedding, QStringLiteral("w1"));
    QCOMPARE(recoverLeases(db, {QStringLiteral("w1")}, 3, QStringLiteral("w2")).value(), 1);
    const JobRecord current = claimOrFail(db, Stage::Embedding, QStringLiteral("w2"));
    QVERIFY(storeVectors(db, current, QStringLiteral("w2"), {0}, {QByteArray(8, 'a')}, QStringLiteral("m"), 2).value());

    // The stale worker, configured with another model, would drop w2's vectors if it could.
    QCOMPARE(pendingChunks(db, stale, QStringLiteral("w1"), QStringLiteral("other"), 2).value().size(), 2);
    QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM vector_buffer")), 1);
    QCOMPARE(pendingChunks(db, current, QStringLiteral("w2"), QStringLiteral("m"), 2).value().size(), 2);
}

QTEST_GUILESS_MAIN(tst_Rescuer)
#include "tst_rescuer.moc"
