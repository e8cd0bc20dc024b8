// The engine in-process, on SQLite and PostgreSQL: documents reach `embedded` exactly once;
// cancel, stop, crash recovery, transient failures and bad files behave as operators rely on.
#include "engine/ingestor.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "pipelinerun.h"
#include "stages/embedding/lexicalhashembedder.h"
#include "store/jobcontrol.h"
#include "store/jobqueries.h"
#include "store/jobqueue.h"
#include "store/workerregistry.h"
#include "testdatabase.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

#include <atomic>

using namespace Docpipe;
using Docpipe::Test::startAndWait;
using Docpipe::Test::stopAndWait;

namespace {

// Wraps the real local embedder; can hold every call until released, or fail the first N calls.
class ControlledEmbedder final : public Stages::Embedder
{
public:
    QString model() const override { return m_inner.model(); }
    int dimensions() const override { return m_inner.dimensions(); }
    int maxBatchSize() const override { return 2; }
    Result<QList<Vector>> embed(const QStringList &texts, const StageContext &context) const override
    {
        ++calls;
        while (hold.load()) {
            if (context.cancelled())
                return StageError::transient(QStringLiteral("interrupted"), QStringLiteral("interrupted"));
            QThread::msleep(5);
        }
        if (failuresLeft.fetch_sub(1) > 0)
            return StageError::transient(QStringLiteral("http_503"),
                                         QStringLiteral("the service is unavailable (HTTP 503)"));
        return m_inner.embed(texts, context);
    }

    mutable std::atomic<int> calls{0};
    std::atomic<bool> hold{false};
    mutable std::atomic<int> failuresLeft{0};

private:
    Stages::LexicalHashEmbedder m_inner;
};

QString prose(int n)
{
    QString text = QStringLiteral("# Report %1\n\n").arg(n);
    for (int p = 0; p < 6; ++p)
        text += QStringLiteral("Paragraph %1 of document %2 explains how the quarterly figures were gathered, checked "
                               "and reported to the board, and why the numbers differ from last year.\n\n")
                    .arg(p)
                    .arg(n);
    return text;
}

// Documents number `first` to `first + count - 1`; different numbers, different contents.
QStringList writeDocuments(const QString &dir, int count, int first = 0)
{
    QStringList paths;
    for (int i = first; i < first + count; ++i) {
        QFile file(
            QStringLiteral("%1/doc%2.%3").arg(dir).arg(i).arg(i % 2 ? QStringLiteral("md") : QStringLiteral("txt")));
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write");
        file.write(prose(i).toUtf8());
        paths << file.fileName();
    }
    return paths;
}

Config fastConfig(const QString &url, int threads = 2)
{
    Config config = Test::fastTestConfig(url);
    config.engine.parseConcurrency = threads;
    config.engine.chunkConcurrency = threads;
    config.engine.embedConcurrency = threads;
    return config;
}

int count(const Store::Database &db, const QString &sql)
{
    QSqlQuery query(db.sql());
    if (!query.exec(sql) || !query.next())
        qFatal("count failed: %s", qPrintable(sql));
    return query.value(0).toInt();
}

int doneCount(const Store::Database &db)
{
    return count(db, QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status = 'done'"));
}

Store::JobRecord job(const Store::Database &db, qint64 id)
{
    return *Store::findJob(db, id).value();
}

} // namespace

class tst_PipelineEngine final : public QObject
{
    Q_OBJECT
private slots:
    void runsEveryDocumentToEmbeddedOnce_data() { Test::addBackendRows(); }
    void runsEveryDocumentToEmbeddedOnce();
    void cancelIsNoticedMidStage_data() { Test::addBackendRows(); }
    void cancelIsNoticedMidStage();
    void stopHandsBackUnfinishedWork_data() { Test::addBackendRows(); }
    void stopHandsBackUnfinishedWork();
    void deadLocalWorkerIsRecoveredAtStart_data() { Test::addBackendRows(); }
    void deadLocalWorkerIsRecoveredAtStart();
    void forgottenLeaseIsHandedBackAtOnce_data() { Test::addBackendRows(); }
    void forgottenLeaseIsHandedBackAtOnce();
    void transientFailuresAreRetried_data() { Test::addBackendRows(); }
    void transientFailuresAreRetried();
    void pauseHoldsNewWork_data() { Test::addBackendRows(); }
    void pauseHoldsNewWork();
    void reconfiguredEngineUsesNewEmbedder_data() { Test::addBackendRows(); }
    void reconfiguredEngineUsesNewEmbedder();
    void stopWhileStartingStops_data() { Test::addBackendRows(); }
    void stopWhileStartingStops();
    void workMovesOnWithoutPolling_data() { Test::addBackendRows(); }
    void workMovesOnWithoutPolling();
};

void tst_PipelineEngine::runsEveryDocumentToEmbeddedOnce()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    constexpr int documents = 50;
    const IngestReport report = ingestPaths(db, writeDocuments(fixture.tempPath(), documents), {});
    QCOMPARE(report.created.size(), documents);

    const Config config = fastConfig(fixture.url(), 4);
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QVERIFY(startAndWait(engine));
    QTRY_COMPARE_WITH_TIMEOUT(doneCount(db), documents, 60000);
    QVERIFY(stopAndWait(engine));

    // No job was claimed twice in any stage, and every job moved exactly once per transition.
    QCOMPARE(count(db, QStringLiteral("SELECT COUNT(*) FROM job_events WHERE kind = 'transition'")), documents * 6);
    QCOMPARE(
        count(db,
              QStringLiteral("SELECT COUNT(*) FROM (SELECT job_id, to_stage FROM job_events WHERE kind = 'transition' "
                             "GROUP BY job_id, to_stage HAVING COUNT(*) > 1) AS twice")),
        0);
    QCOMPARE(count(db, QStringLiteral("SELECT COUNT(*) FROM chunks")),
             count(db, QStringLiteral("SELECT SUM(chunks) FROM jobs")));
    QCOMPARE(count(db, QStringLiteral("SELECT COUNT(*) FROM chunk_buffer")), 0);
    QCOMPARE(count(db, QStringLiteral("SELECT COUNT(*) FROM jobs WHERE lease_owner IS NOT NULL")), 0);
    QVERIFY(count(db, QStringLiteral("SELECT MIN(chunks) FROM jobs")) >= 1);
}

void tst_PipelineEngine::cancelIsNoticedMidStage()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const qint64 id = ingestPaths(db, writeDocuments(fixture.tempPath(), 1), {}).created.first().jobId;
    const Config config = fastConfig(fixture.url());
    auto embedder = std::make_shared<ControlledEmbedder>();
    embedder->hold = true;
    PipelineEngine engine(config, makeParser(config), embedder);
    QVERIFY(startAndWait(engine));
    QTRY_COMPARE_WITH_TIMEOUT(job(db, id).stage, Stage::Embedding, 20000);
    QTRY_VERIFY(embedder->calls.load() > 0);

    QCOMPARE(Store::cancelJobs(db, {id}, QStringLiteral("test")).value(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(engine.progress().isEmpty(), 10000); // the worker let go at its heartbeat
    embedder->hold = false;
    QVERIFY(stopAndWait(engine));
    const Store::JobRecord after = job(db, id);
    QCOMPARE(after.status, JobStatus::Cancelled);
    QCOMPARE(count(db, QStringLiteral("SELECT COUNT(*) FROM chunks")), 0);
    QCOMPARE(count(db, QStringLiteral("SELECT COUNT(*) FROM vector_buffer")), 0);
}

void tst_PipelineEngine::stopHandsBackUnfinishedWork()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const qint64 id = ingestPaths(db, writeDocuments(fixture.tempPath(), 1), {}).created.first().jobId;
    const Config config = fastConfig(fixture.url());
    auto embedder = std::make_shared<ControlledEmbedder>();
    embedder->hold = true;
    {
        PipelineEngine engine(config, makeParser(config), embedder);
        QVERIFY(startAndWait(engine));
        QTRY_COMPARE_WITH_TIMEOUT(job(db, id).stage, Stage::Embedding, 20000);
        QVERIFY(stopAndWait(engine));
    }
    const Store::JobRecord handedBack = job(db, id);
    QCOMPARE(handedBack.stage, Stage::ChunksBuffered);
    QCOMPARE(handedBack.status, JobStatus::Queued);
    QVERIFY(handedBack.leaseOwner.isEmpty());
    QCOMPARE(handedBack.attempts, 0); // handing back is not a failure
    QCOMPARE(Store::listEvents(db, {.jobId = id}).value().last().kind, QStringLiteral("released"));

    embedder->hold = false;
    PipelineEngine next(config, makeParser(config), embedder);
    QVERIFY(startAndWait(next));
    QTRY_COMPARE_WITH_TIMEOUT(job(db, id).status, JobStatus::Done, 20000);
    QVERIFY(stopAndWait(next));
}

void tst_PipelineEngine::deadLocalWorkerIsRecoveredAtStart()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const qint64 id = ingestPaths(db, writeDocuments(fixture.tempPath(), 1), {}).created.first().jobId;
    // A worker on this host whose process is gone, holding a long lease.
    const QString dead = Store::localHostName() + QStringLiteral(":999999:dead");
    QVERIFY(Store::registerWorker(db,
                                  {dead, Store::localHostName(), 999999, Store::nowMs(), Store::nowMs(),
                                   QStringLiteral("running"), QString()})
                .ok());
    QVERIFY(Store::claimNext(db, Stage::Parsing, dead, 3600 * 1000).value());

    const Config config = fastConfig(fixture.url());
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QVERIFY(startAndWait(engine));
    QTRY_COMPARE_WITH_TIMEOUT(job(db, id).status, JobStatus::Done, 20000);
    QVERIFY(stopAndWait(engine));
    const auto events = Store::listEvents(db, {.jobId = id}).value();
    QVERIFY(std::any_of(events.begin(), events.end(),
                        [](const Store::JobEvent &e) { return e.kind == QLatin1String("lease_expired"); }));
    QCOMPARE(job(db, id).rescues, 1); // its worker was lost: a rescue, not a failed attempt
    QCOMPARE(job(db, id).attempts, 0);
}

// The job the engine finished just before the database went away, as the server has it when it
// lost the last transition in a crash: running, leased to this very engine, which no longer works
// on it. The engine's heartbeat hands it back at once instead of leaving it until the lease
// expires (30 s here), without counting an attempt or a rescue.
void tst_PipelineEngine::forgottenLeaseIsHandedBackAtOnce()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const qint64 id = ingestPaths(db, writeDocuments(fixture.tempPath(), 1), {}).created.first().jobId;
    const Config config = fastConfig(fixture.url());
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    const qint64 leaseMs = qint64(config.engine.leaseSeconds) * 1000;
    QVERIFY(Store::claimNext(db, Stage::Parsing, engine.workerId(), leaseMs).value());
    QSqlQuery age(db.sql());
    QVERIFY(age.exec(QStringLiteral("UPDATE jobs SET lease_expires = lease_expires - 5000 WHERE id = %1").arg(id)));

    QElapsedTimer timer;
    timer.start();
    QVERIFY(startAndWait(engine));
    QTRY_COMPARE_WITH_TIMEOUT(job(db, id).status, JobStatus::Done, 15000);
    QVERIFY2(timer.elapsed() < leaseMs - 5000, "the job waited for its lease to expire");
    QVERIFY(stopAndWait(engine));
    const auto events = Store::listEvents(db, {.jobId = id}).value();
    QVERIFY(std::any_of(events.begin(), events.end(),
                        [](const Store::JobEvent &e) { return e.kind == QLatin1String("released"); }));
    QVERIFY(std::none_of(events.begin(), events.end(),
                         [](const Store::JobEvent &e) { return e.kind == QLatin1String("lease_expired"); }));
    QCOMPARE(job(db, id).rescues, 0);
    QCOMPARE(job(db, id).attempts, 0);
}

void tst_PipelineEngine::transientFailuresAreRetried()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const qint64 id = ingestPaths(db, writeDocuments(fixture.tempPath(), 1), {}).created.first().jobId;
    const Config config = fastConfig(fixture.url());
    auto embedder = std::make_shared<ControlledEmbedder>();
    embedder->failuresLeft = 2;
    PipelineEngine engine(config, makeParser(config), embedder);
    QVERIFY(startAndWait(engine));
    QTRY_COMPARE_WITH_TIMEOUT(job(db, id).status, JobStatus::Done, 20000);
    QVERIFY(stopAndWait(engine));
    const auto errors = Store::listEvents(db, {.jobId = id, .errorsOnly = true}).value();
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors.first().code, QStringLiteral("http_503"));
    QCOMPARE(errors.first().kind, QStringLiteral("retry"));
}

void tst_PipelineEngine::pauseHoldsNewWork()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    QVERIFY(Store::setPaused(db, true).ok());
    const qint64 id = ingestPaths(db, writeDocuments(fixture.tempPath(), 1), {}).created.first().jobId;
    const Config config = fastConfig(fixture.url());
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QVERIFY(startAndWait(engine));
    QTest::qWait(300); // several poll intervals: nothing may be claimed while paused
    QCOMPARE(job(db, id).stage, Stage::Uploaded);
    QVERIFY(Store::setPaused(db, false).ok());
    engine.wake();
    QTRY_COMPARE_WITH_TIMEOUT(job(db, id).status, JobStatus::Done, 20000);
    QVERIFY(stopAndWait(engine));
}

void tst_PipelineEngine::reconfiguredEngineUsesNewEmbedder()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const Config config = fastConfig(fixture.url());
    PipelineEngine engine(config, makeParser(config), std::make_shared<Stages::LexicalHashEmbedder>(384));
    QVERIFY(startAndWait(engine));
    // Settings change only while stopped: a running engine refuses.
    QVERIFY(!engine.reconfigure(config, makeParser(config), std::make_shared<Stages::LexicalHashEmbedder>(64)));
    const QString worker = engine.workerId();
    QVERIFY(stopAndWait(engine));
    QVERIFY(engine.reconfigure(config, makeParser(config), std::make_shared<Stages::LexicalHashEmbedder>(64)));
    QVERIFY(startAndWait(engine));
    QCOMPARE(engine.workerId(), worker);
    const qint64 id = ingestPaths(db, writeDocuments(fixture.tempPath(), 1), {}).created.first().jobId;
    engine.wake();
    QTRY_COMPARE_WITH_TIMEOUT(job(db, id).status, JobStatus::Done, 20000);
    QVERIFY(stopAndWait(engine));
    QCOMPARE(count(db, QStringLiteral("SELECT MIN(dims) FROM chunks")), 64);
    QCOMPARE(count(db, QStringLiteral("SELECT MAX(dims) FROM chunks")), 64);
}

void tst_PipelineEngine::stopWhileStartingStops()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Config config = fastConfig(fixture.url());
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QSignalSpy started(&engine, &PipelineEngine::started);
    QSignalSpy stopped(&engine, &PipelineEngine::stopped);
    engine.start(); // migrating and registering, off this thread
    engine.stop(); // the window closed at once
    QVERIFY(stopped.wait(10000));
    QCOMPARE(stopped.count(), 1);
    QCOMPARE(started.count(), 0);
    QVERIFY(!engine.isRunning());
    QTest::qWait(3 * config.engine.pollMs); // no claim loop was left running behind the stop
    QVERIFY(!engine.isRunning());
    auto workers = Store::listWorkers(fixture.database());
    QVERIFY(workers.ok());
    QCOMPARE(workers.value().size(), 1);
    QCOMPARE(workers.value().first().state, QStringLiteral("stopped"));
}

void tst_PipelineEngine::workMovesOnWithoutPolling()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    Config config = fastConfig(fixture.url());
    config.engine.pollMs = 3600 * 1000; // the poll never fires: only the engine's own hand-offs move work
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QVERIFY(startAndWait(engine));
    for (int round = 0; round < 3; ++round) {
        const QString dir = fixture.tempPath() + QStringLiteral("/round%1").arg(round);
        QVERIFY(QDir().mkpath(dir));
        QCOMPARE(ingestPaths(db, writeDocuments(dir, 10, 10 * round), {}).created.size(), 10);
        engine.wake(); // what the window and the CLI do after an ingest
        QTRY_COMPARE_WITH_TIMEOUT(doneCount(db), 10 * (round + 1), 20000);
    }
    QVERIFY(stopAndWait(engine));
}

QTEST_GUILESS_MAIN(tst_PipelineEngine)
#include "tst_pipelineengine.moc"
