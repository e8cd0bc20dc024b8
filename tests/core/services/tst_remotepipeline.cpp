// The engine with remote parsing and remote embedding through the mock, over real HTTP, on
// SQLite and PostgreSQL: documents reach `embedded` with the server's vectors; each fault alone
// either ends in `embedded` with its retries in the event log (transient) or fails exactly one
// job with its own code and message (permanent); latency, random 5xx and an outage are ridden
// out; and the API keys appear in no log, event, table or error message.
#include "documentgenerator.h"
#include "engine/ingestor.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "pipelinerun.h"
#include "mockvectors.h"
#include "servicetesthelpers.h"
#include "stages/embedding/vectorcodec.h"
#include "store/jobqueries.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>

using namespace Docpipe;
using namespace Docpipe::Services;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

const QString kEmbedKey = u"sk-proj-EMBEDsecret-0123456789abcdef"_s;
const QString kParseKey = u"llx-PARSEsecret-0123456789abcdef"_s;

Config remoteConfig(const TestDatabase &fixture, const MockServer &mock, int remoteConcurrency)
{
    Config config;
    config.databaseUrl = fixture.url();
    config.engine.pollMs = 30;
    config.engine.heartbeatMs = 200;
    config.engine.remoteParseConcurrency = remoteConcurrency;
    config.engine.remoteEmbedConcurrency = remoteConcurrency;
    config.retry.maxAttempts = 6;
    config.retry.baseDelayMs = 20;
    config.retry.maxDelayMs = 400;
    config.chunking.chunkTokens = 64;
    config.chunking.overlapTokens = 8;
    config.parser = parserConfig(mock, kParseKey);
    config.parser.llamaTimeoutSeconds = 4; // what a never-ending job costs; more than a loaded machine needs
    config.embedder = embedderConfig(mock, kEmbedKey);
    config.embedder.batchSize = 4;
    config.embedder.requestTimeoutMs = 2000;
    return config;
}

QList<qint64> ingestCorpus(const TestDatabase &fixture, int count, quint32 seed)
{
    const QString dir = fixture.tempPath() + u"/docs"_s;
    generateMixedCorpus(dir, count, seed, 3);
    const IngestReport report = ingestPaths(fixture.database(), {dir}, {});
    return report.jobIds();
}

// Runs the engine until every job has ended (done, failed or cancelled); `midRun`, if given,
// runs once as soon as `due` holds.
bool runToTheEnd(PipelineEngine &engine, const Store::Database &db, int jobs, const std::function<bool()> &due = {},
                 const std::function<void()> &midRun = {})
{
    if (!startAndWait(engine))
        return false;
    bool acted = !midRun;
    const bool finished = QTest::qWaitFor(
        [&] {
            if (!acted && due()) {
                midRun();
                acted = true;
            }
            return endedJobs(db) == jobs;
        },
        60000);
    return stopAndWait(engine) && finished && acted;
}

QList<Store::JobRecord> jobsIn(const Store::Database &db)
{
    return Store::listJobs(db).value();
}

QList<Store::JobEvent> retriesWithCode(const Store::Database &db, const QString &code)
{
    QList<Store::JobEvent> found;
    for (const Store::JobEvent &event : Store::listEvents(db, {.errorsOnly = true}).value()) {
        if (event.kind == QLatin1String(Store::EventKind::Retry) && event.code == code)
            found << event;
    }
    return found;
}

// Every job is done and every stored vector is the one the server computed for that chunk's
// text; otherwise what is not.
QString notAllEmbedded(const Store::Database &db)
{
    for (const Store::JobRecord &job : jobsIn(db)) {
        if (job.status != JobStatus::Done)
            return u"job %1 ended %2: %3 %4"_s.arg(job.id).arg(statusName(job.status), job.errorCode, job.errorMessage);
    }
    QString problem;
    int chunks = 0;
    Store::forEachChunk(db, std::nullopt, [&](const Store::StoredChunk &row) {
        ++chunks;
        const auto vector = Stages::decodeVector(row.vector, row.dims);
        if (row.model != u"text-embedding-3-small"_s || row.dims != 1536 || !vector
            || vector.value() != mockEmbedding(row.chunk.text, 1536))
            problem = u"job %1 chunk %2 does not hold the server's vector"_s.arg(row.jobId).arg(row.chunk.index);
        return problem.isEmpty();
    });
    return chunks == 0 ? u"no chunks stored"_s : problem;
}

QMutex logMutex;
QByteArray capturedLog;

void captureMessage(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    const QMutexLocker locker(&logMutex);
    capturedLog += QByteArray(context.category ? context.category : "") + ": " + message.toUtf8() + '\n';
}

} // namespace

class tst_RemotePipeline final : public QObject
{
    Q_OBJECT
private slots:
    void documentsReachEmbeddedWithTheServersVectors_data() { addBackendRows(); }
    void documentsReachEmbeddedWithTheServersVectors();
    void eachFaultAlone_data();
    void eachFaultAlone();
    void latencyAndRandomServerErrorsAreRiddenOut_data() { addBackendRows(); }
    void latencyAndRandomServerErrorsAreRiddenOut();
    void outageMidRunNeedsNoOperator_data() { addBackendRows(); }
    void outageMidRunNeedsNoOperator();
    void apiKeysAppearNowhere_data() { addBackendRows(); }
    void apiKeysAppearNowhere();
};

void tst_RemotePipeline::documentsReachEmbeddedWithTheServersVectors()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const auto mock = startMock();
    const Store::Database db = fixture.database();
    const QList<qint64> ids = ingestCorpus(fixture, 10, 3);
    QCOMPARE(ids.size(), 10);
    const Config config = remoteConfig(fixture, *mock, 8);
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QVERIFY(runToTheEnd(engine, db, 10));
    const QString problem = notAllEmbedded(db);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // The long PDF kept its three pages through LlamaParse.
    const QList<Store::JobRecord> jobs = jobsIn(db);
    const auto longPdf = std::find_if(jobs.cbegin(), jobs.cend(),
                                      [](const Store::JobRecord &j) { return j.name == u"doc-0001.pdf"_s; });
    QVERIFY(longPdf != jobs.cend());
    QCOMPARE(Store::parsedPages(db, longPdf->id).value().size(), 3);
    QCOMPARE(mock->stats().parseJobs, 10);
    QCOMPARE(Store::listEvents(db, {.errorsOnly = true}).value().size(), 0);
}

void tst_RemotePipeline::eachFaultAlone_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("route");
    QTest::addColumn<QString>("fault");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("transient");
    QTest::addColumn<QString>("says");
    struct Row
    {
        const char *route;
        const char *fault;
        int count;
        const char *code;
        bool transient;
        const char *says;
    };
    const QList<Row> rows{
        {"embeddings", "http_500", 1, "server_error", true, "failed with HTTP 500"},
        {"embeddings", "http_503", 1, "server_error", true, "failed with HTTP 503"},
        {"parse_upload", "http_503", 1, "server_error", true, "failed with HTTP 503"},
        {"embeddings", "http_429", 1, "http_429", true, "rate limiting"},
        {"embeddings", "timeout", 1, "timeout", true, "did not answer in time"},
        {"parse_upload", "timeout", 1, "timeout", true, "did not answer in time"},
        {"embeddings", "drop", 3, "connection_closed", true, "closed the connection"},
        {"embeddings", "malformed_json", 1, "malformed_response", true, "not a JSON object"},
        {"parse_result", "malformed_json", 1, "malformed_response", true, "no \"markdown\" pages"},
        {"embeddings", "wrong_count", 1, "malformed_response", true, "embeddings for"},
        {"embeddings", "non_finite", 1, "malformed_response", true, "not a finite number"},
        {"parse_upload", "never_finish", 1, "llamaparse_timeout", true, "did not finish the document within 4 s"},
        {"embeddings", "wrong_dimensions", 1, "dimension_mismatch", false,
         "returned 1535-dimensional vectors where 1536"},
        {"embeddings", "auth_rejected", 1, "auth_rejected", false, "check OPENAI_API_KEY"},
        {"parse_upload", "auth_rejected", 1, "auth_rejected", false, "check LLAMA_CLOUD_API_KEY"},
        {"embeddings", "forbidden", 1, "forbidden", false, "HTTP 403"},
        {"embeddings", "insufficient_quota", 1, "insufficient_quota", false, "no quota or credits left"},
        {"embeddings", "model_not_found", 1, "model_not_found", false, "model not found: text-embedding-3-small"},
        {"embeddings", "bad_request", 1, "bad_request", false, "HTTP 400"},
        {"embeddings", "payload_too_large", 1, "payload_too_large", false, "HTTP 413"},
        {"embeddings", "unprocessable", 1, "invalid_request", false, "HTTP 422"},
        {"parse_upload", "job_failed", 1, "llamaparse_job_failed", false, "could not parse the document"},
    };
    for (const QString &backend : {u"sqlite"_s, u"postgres"_s}) {
        for (const Row &row : rows) {
            QTest::addRow("%s %s %s", qPrintable(backend), row.route, row.fault)
                << backend << QString::fromLatin1(row.route) << QString::fromLatin1(row.fault) << row.count
                << QString::fromLatin1(row.code) << row.transient << QString::fromUtf8(row.says);
        }
    }
}

void tst_RemotePipeline::eachFaultAlone()
{
    DOCPIPE_TEST_DATABASE(fixture);
    QFETCH(QString, route);
    QFETCH(QString, fault);
    QFETCH(int, count);
    QFETCH(QString, code);
    QFETCH(bool, transient);
    QFETCH(QString, says);
    MockServerOptions options;
    options.parseMs = 20;
    const auto mock = startMock(options);
    QVERIFY(!mock->setFaults(QJsonArray{QJsonObject{{u"route"_s, route}, {u"fault"_s, fault}, {u"count"_s, count}}}));
    const Store::Database db = fixture.database();
    const QList<qint64> ids = ingestCorpus(fixture, 3, 17);
    // One remote call at a time, so the fault lands on one job's one call.
    const Config config = remoteConfig(fixture, *mock, 1);
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QSignalSpy alerts(&engine, &PipelineEngine::alert);
    QVERIFY(runToTheEnd(engine, db, 3));
    QCOMPARE(mock->stats().faults.value(fault), count);

    const QList<Store::JobRecord> jobs = jobsIn(db);
    const auto failed = std::count_if(jobs.cbegin(), jobs.cend(),
                                      [](const Store::JobRecord &j) { return j.status == JobStatus::Failed; });
    if (transient) {
        QCOMPARE(failed, 0);
        const QList<Store::JobEvent> retries = retriesWithCode(db, code);
        QCOMPARE(retries.size(), 1);
        QVERIFY2(retries.first().message.contains(says), qPrintable(retries.first().message));
        const QString problem = notAllEmbedded(db);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    } else {
        QCOMPARE(failed, 1);
        const Store::JobRecord bad = *std::find_if(
            jobs.cbegin(), jobs.cend(), [](const Store::JobRecord &j) { return j.status == JobStatus::Failed; });
        QCOMPARE(bad.errorCode, code);
        QVERIFY2(bad.errorMessage.contains(says), qPrintable(bad.errorMessage));
        QCOMPARE(bad.attempts, 1); // permanent: never tried again
        QCOMPARE(Store::listEvents(db, {.errorsOnly = true}).value().size(), 1);
    }
    QCOMPARE(alerts.size(), code == u"insufficient_quota"_s ? 1 : 0);
    Q_UNUSED(ids);
}

void tst_RemotePipeline::latencyAndRandomServerErrorsAreRiddenOut()
{
    DOCPIPE_TEST_DATABASE(fixture);
    MockServerOptions options;
    options.latencyMs = 20;
    options.jitterMs = 40;
    options.failRate = 0.1;
    options.seed = 11;
    options.parseMs = 20;
    const auto mock = startMock(options);
    const Store::Database db = fixture.database();
    ingestCorpus(fixture, 6, 29);
    Config config = remoteConfig(fixture, *mock, 4);
    config.retry.maxAttempts = 10;
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QVERIFY(runToTheEnd(engine, db, 6));
    const QString problem = notAllEmbedded(db);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const MockStats stats = mock->stats();
    QVERIFY(stats.faults.value(u"http_500"_s) + stats.faults.value(u"http_503"_s) > 0);
    QVERIFY(!retriesWithCode(db, u"server_error"_s).isEmpty());
}

void tst_RemotePipeline::outageMidRunNeedsNoOperator()
{
    DOCPIPE_TEST_DATABASE(fixture);
    MockServerOptions options;
    options.latencyMs = 30;
    options.parseMs = 50;
    const auto mock = startMock(options);
    const Store::Database db = fixture.database();
    ingestCorpus(fixture, 8, 31);
    Config config = remoteConfig(fixture, *mock, 2);
    config.retry.maxAttempts = 20;
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    QVERIFY(runToTheEnd(
        engine, db, 8, [&] { return mock->stats().embeddedInputs > 0; }, [&] { mock->startOutage(2000); }));
    const QString problem = notAllEmbedded(db);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(mock->stats().outages, 1);
    QVERIFY(!retriesWithCode(db, u"connection_refused"_s).isEmpty()
            || !retriesWithCode(db, u"connection_closed"_s).isEmpty());
}

void tst_RemotePipeline::apiKeysAppearNowhere()
{
    DOCPIPE_TEST_DATABASE(fixture);
    MockServerOptions options;
    options.parseMs = 20;
    options.apiKeys = {kEmbedKey}; // LlamaParse calls carry another key: every one is refused
    const auto mock = startMock(options);
    const Store::Database db = fixture.database();
    ingestCorpus(fixture, 3, 37);
    Config config = remoteConfig(fixture, *mock, 2);
    capturedLog.clear();
    QLoggingCategory::setFilterRules(u"docpipe.*.debug=true"_s);
    const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
    {
        PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
        QVERIFY(runToTheEnd(engine, db, 3));
    }
    // Now the parser's key is right and the embedder's wrong: the server echoes it, masked.
    config.parser.llamaApiKey = kEmbedKey;
    config.embedder.apiKey = kParseKey;
    {
        PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
        const IngestReport more = ingestPaths(db, {fixture.tempPath() + u"/docs"_s}, {.force = true});
        QVERIFY(runToTheEnd(engine, db, 6));
        Q_UNUSED(more);
    }
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());

    const QList<Store::JobRecord> jobs = jobsIn(db);
    QStringList codes;
    QByteArray messages;
    for (const Store::JobRecord &job : jobs) {
        codes << job.errorCode;
        messages += job.errorMessage.toUtf8() + '\n';
    }
    QCOMPARE(codes.count(u"auth_rejected"_s), 6); // the first run's parses, the second run's embeddings
    QByteArray events;
    for (const Store::JobEvent &event : Store::listEvents(db).value())
        events += (event.code + u' ' + event.message + u' ' + event.worker).toUtf8() + '\n';
    QVERIFY(capturedLog.contains("docpipe.net")); // the debug log was on and saw the traffic
    const QByteArray stored = everythingStored(db);
    for (const QString &key : {kEmbedKey, kParseKey}) {
        QVERIFY2(!containsKey(capturedLog, key), "a key is in the log");
        QVERIFY2(!containsKey(events, key), "a key is in the event log");
        QVERIFY2(!containsKey(stored, key), "a key is in the database");
        QVERIFY2(!containsKey(messages, key), "a key is in an error message");
    }
}

QTEST_MAIN(tst_RemotePipeline)
#include "tst_remotepipeline.moc"
