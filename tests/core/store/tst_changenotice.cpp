// Change notices on PostgreSQL: a committed change reaches a listener on its own connection (a
// rolled-back one never does), the listener comes back after its connection is killed, and an
// engine that never polls still takes new work at once because it is told.
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "pipelinerun.h"
#include "store/changelistener.h"
#include "store/changenotice.h"
#include "store/jobcontrol.h"
#include "store/jobqueries.h"
#include "store/jobqueue.h"
#include "store/transition.h"
#include "storefixtures.h"
#include "testdatabase.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Store;
using namespace Docpipe::Test;

class tst_ChangeNotice final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void payloadsSayWhatBecameClaimable();
    void committedChangesReachListeners();
    void listenerComesBackAfterItsConnectionIsKilled();
    void engineThatNeverPollsIsWokenByNotices();
};

namespace {

#define POSTGRES_ONLY(var)                                                                                             \
    TestDatabase var(QStringLiteral("postgres"));                                                                      \
    if (!var.isReady()) {                                                                                              \
        if (TestDatabase::postgresRequired())                                                                          \
            QFAIL(qPrintable(var.skipReason()));                                                                       \
        QSKIP(qPrintable(var.skipReason()));                                                                           \
    }

QStringList payloadsOf(const QSignalSpy &spy)
{
    QStringList payloads;
    for (const QList<QVariant> &call : spy)
        payloads << call.at(0).toString();
    return payloads;
}

bool listening(ChangeListener &listener)
{
    return QTest::qWaitFor([&] { return listener.isListening(); }, 10000);
}

} // namespace

void tst_ChangeNotice::payloadsSayWhatBecameClaimable()
{
    const auto parsed = parseChangePayload(jobPayload(Stage::ParseValidated, JobStatus::Queued, 42, 1500));
    QVERIFY(parsed);
    QCOMPARE(parsed->jobId, 42);
    QCOMPARE(parsed->delayMs, 1500);
    QCOMPARE(parsed->claimableBy(), std::optional<Stage>(Stage::Chunking));
    QCOMPARE(parseChangePayload(jobPayload(Stage::Uploaded, JobStatus::Queued, 7))->claimableBy(),
             std::optional<Stage>(Stage::Parsing));
    // Running, failed or finished jobs are news for windows, not work for workers.
    QVERIFY(!parseChangePayload(jobPayload(Stage::Parsing, JobStatus::Running, 7))->claimableBy());
    QVERIFY(!parseChangePayload(jobPayload(Stage::Embedded, JobStatus::Done, 7))->claimableBy());
    QCOMPARE(parseChangePayload(controlPayload(QStringLiteral("resumed")))->word, QStringLiteral("resumed"));
    QCOMPARE(parseChangePayload(drainPayload(QStringLiteral("host:1:ab")))->word, QStringLiteral("host:1:ab"));
    QVERIFY(!parseChangePayload(QStringLiteral("nonsense")));
    QVERIFY(!parseChangePayload(QStringLiteral("parsing:queued:x")));
}

void tst_ChangeNotice::committedChangesReachListeners()
{
    POSTGRES_ONLY(fixture);
    const Database db = fixture.database();
    ChangeListener listener(db, 60000);
    QSignalSpy spy(&listener, &ChangeListener::changed);
    listener.start();
    QVERIFY(listening(listener));

    const qint64 id = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("a.txt"), "hello"));
    QTRY_VERIFY(payloadsOf(spy).contains(jobPayload(Stage::Uploaded, JobStatus::Queued, id)));
    const JobRecord job = claimOrFail(db, Stage::Parsing, QStringLiteral("w1"));
    QTRY_VERIFY(payloadsOf(spy).contains(jobPayload(Stage::Parsing, JobStatus::Running, id)));

    { // A transition rolled back tells nobody.
        Transaction tx(db);
        Transition t;
        t.jobId = id;
        t.fromStage = Stage::Parsing;
        t.fromStatus = JobStatus::Running;
        t.toStage = Stage::ParseValidated;
        t.toStatus = JobStatus::Queued;
        QVERIFY(applyTransition(tx.sql(), t).value());
        tx.rollback();
    }
    // A retry with backoff says how long the job waits, so a worker wakes when it may claim it.
    const StageError busy = StageError::transient(QStringLiteral("http_503"), QStringLiteral("unavailable"));
    QVERIFY(recordFailure(db, job, QStringLiteral("w1"), busy, {true, 1500}, 1).value());
    const QString retried = jobPayload(Stage::Uploaded, JobStatus::Queued, id, 1500);
    QTRY_VERIFY(payloadsOf(spy).contains(retried));
    QVERIFY(!payloadsOf(spy).contains(jobPayload(Stage::ParseValidated, JobStatus::Queued, id)));

    // Operator actions notify too.
    QVERIFY(setPaused(db, true).value());
    QTRY_VERIFY(payloadsOf(spy).contains(controlPayload(QStringLiteral("paused"))));
    QCOMPARE(cancelJobs(db, {id}, QStringLiteral("operator")).value(), 1);
    QTRY_VERIFY(payloadsOf(spy).contains(jobPayload(Stage::Uploaded, JobStatus::Cancelled, id)));
    QCOMPARE(retryJobs(db, {id}, RetryFrom::LastCheckpoint, QStringLiteral("operator")).value(), 1);
    QTRY_COMPARE(payloadsOf(spy).count(jobPayload(Stage::Uploaded, JobStatus::Queued, id)), 2);
}

void tst_ChangeNotice::listenerComesBackAfterItsConnectionIsKilled()
{
    POSTGRES_ONLY(fixture);
    const Database db = fixture.database();
    ChangeListener listener(db, 200);
    QSignalSpy states(&listener, &ChangeListener::listeningChanged);
    QSignalSpy spy(&listener, &ChangeListener::changed);
    listener.start();
    QVERIFY(listening(listener));

    QSqlQuery kill(db.sql());
    QVERIFY(kill.exec(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE datname = current_database() AND pid <> pg_backend_pid()")));
    QTRY_VERIFY_WITH_TIMEOUT(states.contains(QList<QVariant>{false}), 10000);
    QVERIFY(listening(listener));
    const qint64 id = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("b.txt"), "after the drop"));
    QTRY_VERIFY(payloadsOf(spy).contains(jobPayload(Stage::Uploaded, JobStatus::Queued, id)));
}

void tst_ChangeNotice::engineThatNeverPollsIsWokenByNotices()
{
    POSTGRES_ONLY(fixture);
    const Database db = fixture.database();
    Config config = fastTestConfig(fixture.url());
    config.engine.pollMs = 3600 * 1000; // an hour: only notices can wake it in this test
    config.engine.safetyPollSeconds = 3600;
    config.watch.enabled = false;
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QVERIFY(startAndWait(engine));
    QTRY_VERIFY_WITH_TIMEOUT(engine.isListening(), 10000);
    QTest::qWait(300); // the catch-up look for work has come back empty

    const qint64 id = ingest(db, writeFile(fixture.tempPath(), QStringLiteral("c.txt"), "notified, not polled"));
    QTRY_COMPARE_WITH_TIMEOUT(findJob(db, id).value()->stage, Stage::Embedded, 15000);
    QVERIFY(stopAndWait(engine));
}

QTEST_GUILESS_MAIN(tst_ChangeNotice)
#include "tst_changenotice.moc"
