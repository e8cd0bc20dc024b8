// End to end with remote services: the real docpipe-cli parses through LlamaParse and embeds
// through an OpenAI-compatible API, both served by a real `docpipe-cli mock-server` process over
// loopback, on SQLite and PostgreSQL. Twenty documents reach `embedded` with the server's
// vectors; the server going away for ten seconds mid-run needs no operator; after a 429 nothing
// is sent that the server would refuse; an exhausted quota is shouted; the keys appear nowhere.
#include "../core/services/servicetesthelpers.h"
#include "clirunner.h"
#include "documentgenerator.h"
#include "mockprocess.h"
#include "mockvectors.h"
#include "store/jobqueries.h"
#include "testdatabase.h"

#include <QFile>
#include <QJsonArray>
#include <QSettings>

using namespace Docpipe;
using namespace Docpipe::Services;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

const QString kEmbedKey = u"sk-proj-E2Esecret-abcdef0123456789"_s;
const QString kParseKey = u"llx-E2Eparsekey-abcdef0123456789"_s;
constexpr int kOutageMs = 10000;

// The environment an existing OpenAI / LlamaParse set-up already has, pointed at the mock.
void pointEnvironmentAt(const QUrl &mock)
{
    qputenv("OPENAI_API_KEY", kEmbedKey.toUtf8());
    qputenv("OPENAI_BASE_URL", (mock.toString() + u"/v1"_s).toUtf8());
    qputenv("LLAMA_CLOUD_API_KEY", kParseKey.toUtf8());
    qputenv("LLAMA_CLOUD_BASE_URL", mock.toString().toUtf8());
}

QString writeIni(const QString &dir, int maxAttempts, int batchSize = 64)
{
    const QString path = dir + u"/remote.ini"_s;
    QSettings ini(path, QSettings::IniFormat);
    ini.setValue(u"engine/poll_ms"_s, 50);
    ini.setValue(u"engine/heartbeat_ms"_s, 500);
    ini.setValue(u"engine/remote_parse_concurrency"_s, 4);
    ini.setValue(u"engine/remote_embed_concurrency"_s, 4);
    ini.setValue(u"retry/max_attempts"_s, maxAttempts);
    ini.setValue(u"retry/base_delay_ms"_s, 250);
    ini.setValue(u"retry/max_delay_ms"_s, 2000);
    ini.setValue(u"parser/llamaparse_poll_interval_ms"_s, 50);
    ini.setValue(u"parser/llamaparse_timeout_seconds"_s, 60);
    ini.setValue(u"parser/llamaparse_request_timeout_ms"_s, 5000);
    ini.setValue(u"embedder/request_timeout_ms"_s, 5000);
    ini.setValue(u"embedder/batch_size"_s, batchSize);
    ini.sync();
    return path;
}

QStringList remoteArgs(const TestDatabase &fixture, const QString &ini, int dimensions)
{
    return {u"-v"_s,
            u"--db"_s,
            fixture.url(),
            u"--config"_s,
            ini,
            u"--parser"_s,
            u"llamaparse"_s,
            u"--embedder"_s,
            u"openai"_s,
            u"--embedding-model"_s,
            u"text-embedding-3-small"_s,
            u"--embedding-dimensions"_s,
            QString::number(dimensions)};
}

// Checks the export: every vector is the server's for its chunk's text. Returns the line count.
int checkExport(const QString &path, int dimensions, QString *problem)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = u"no export"_s;
        return 0;
    }
    int lines = 0;
    while (!file.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(file.readLine()).object();
        ++lines;
        const QJsonArray values = line.value(u"vector"_s).toArray();
        const Vector expected = mockEmbedding(line.value(u"text"_s).toString(), dimensions);
        bool same = values.size() == expected.size() && line.value(u"dims"_s).toInt() == dimensions
            && line.value(u"model"_s).toString() == u"text-embedding-3-small"_s;
        for (qsizetype i = 0; same && i < expected.size(); ++i)
            same = float(values.at(i).toDouble()) == expected.at(i);
        if (!same) {
            *problem = u"chunk %1 of %2 does not hold the server's vector"_s.arg(line.value(u"index"_s).toInt())
                           .arg(line.value(u"document"_s).toString());
            return lines;
        }
    }
    return lines;
}

int embeddedCount(const Store::Database &db)
{
    auto counts = Store::statusCounts(db);
    return counts ? counts.value().byStage.value(Stage::Embedded) : -1;
}

QList<Store::JobEvent> retriesWithCodes(const Store::Database &db, const QStringList &codes)
{
    QList<Store::JobEvent> found;
    for (const Store::JobEvent &event : Store::listEvents(db, {.errorsOnly = true}).value()) {
        if (event.kind == QLatin1String(Store::EventKind::Retry) && codes.contains(event.code))
            found << event;
    }
    return found;
}

} // namespace

class tst_Remote final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void twentyDocumentsThroughRemoteServices_data() { addBackendRows(); }
    void twentyDocumentsThroughRemoteServices();
    void tenSecondOutageNeedsNoOperator_data() { addBackendRows(); }
    void tenSecondOutageNeedsNoOperator();
    void afterA429NothingTheServerWouldRefuse_data() { addBackendRows(); }
    void afterA429NothingTheServerWouldRefuse();
    void exhaustedQuotaIsShouted_data() { addBackendRows(); }
    void exhaustedQuotaIsShouted();
};

void tst_Remote::initTestCase()
{
    QVERIFY2(QFile::exists(cliPath()), "DOCPIPE_CLI must point at the built docpipe-cli");
}

void tst_Remote::twentyDocumentsThroughRemoteServices()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString docs = fixture.tempPath() + u"/docs"_s;
    const auto corpus = generateMixedCorpus(docs, 20, 41, 8);
    QCOMPARE(corpus.size(), 20);
    MockProcess mock({kEmbedKey, kParseKey});
    QVERIFY(mock.start({u"--latency-ms"_s, u"5"_s, u"--jitter-ms"_s, u"10"_s, u"--parse-ms"_s, u"50"_s}));
    pointEnvironmentAt(mock.url());
    const QStringList args = remoteArgs(fixture, writeIni(fixture.tempPath(), 5), 256);
    QByteArray everythingPrinted;

    const CliResult check = runCli(args + QStringList{u"check"_s});
    everythingPrinted += check.out + check.err;
    QVERIFY2(check.exitCode == 0, qPrintable(check.describe()));
    QVERIFY(check.out.contains("parser: ok (llamaparse): LlamaParse at 127.0.0.1"));
    QVERIFY(check.out.contains("embedder: ok (openai)")
            && check.out.contains("model text-embedding-3-small, 256 dimensions"));

    const CliResult ingest = runCli(args + QStringList{u"ingest"_s, u"--wait"_s, docs}, 300000);
    everythingPrinted += ingest.out + ingest.err;
    QVERIFY2(ingest.exitCode == 0, qPrintable(ingest.describe()));
    QVERIFY2(ingest.out.contains("20 document(s): 20 embedded, 0 failed"), qPrintable(ingest.describe()));

    const CliResult jobs = runCli({u"--db"_s, fixture.url(), u"jobs"_s, u"--json"_s});
    everythingPrinted += jobs.out + jobs.err;
    int chunks = 0;
    for (const QJsonValue &job : jobs.json().array()) {
        chunks += job.toObject().value(u"chunks"_s).toInt();
        if (job.toObject().value(u"document"_s).toString() == u"doc-0001.pdf"_s)
            QCOMPARE(job.toObject().value(u"pages"_s).toInt(), 8); // page boundaries kept through LlamaParse
    }
    const QString exported = fixture.tempPath() + u"/out.jsonl"_s;
    const CliResult exportRun = runCli({u"--db"_s, fixture.url(), u"export"_s, u"-o"_s, exported});
    QCOMPARE(exportRun.exitCode, 0);
    QString problem;
    QCOMPARE(checkExport(exported, 256, &problem), chunks);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(mock.stats().value(u"parse_jobs"_s).toInt(), 20);

    // A wrong key: the check says so, without the key.
    qputenv("OPENAI_API_KEY", "sk-proj-WRONGe2e-abcdef0123456789");
    const CliResult rejected = runCli(args + QStringList{u"check"_s});
    everythingPrinted += rejected.out + rejected.err;
    QCOMPARE(rejected.exitCode, 1);
    QVERIFY(rejected.out.contains("embedder: FAILED (openai): the API key was rejected"));

    const CliResult events = runCli({u"--db"_s, fixture.url(), u"events"_s, u"--json"_s});
    QFile exportFile(exported);
    QVERIFY(exportFile.open(QIODevice::ReadOnly));
    const QByteArray exportBytes = exportFile.readAll();
    const QByteArray stored = everythingStored(fixture.database());
    fixture.database().closeThreadConnection();
    for (const QString &key : {kEmbedKey, kParseKey, u"sk-proj-WRONGe2e-abcdef0123456789"_s}) {
        QVERIFY2(!containsKey(everythingPrinted, key), "a key is in the CLI's output or log");
        QVERIFY2(!containsKey(events.out, key), "a key is in the event log");
        QVERIFY2(!containsKey(exportBytes, key), "a key is in the export");
        QVERIFY2(!containsKey(stored, key), "a key is in the database");
    }
}

void tst_Remote::tenSecondOutageNeedsNoOperator()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString docs = fixture.tempPath() + u"/docs"_s;
    generateMixedCorpus(docs, 12, 43, 4);
    const QStringList serverOptions{u"--latency-ms"_s, u"60"_s, u"--parse-ms"_s, u"300"_s};
    MockProcess mock({kEmbedKey, kParseKey});
    QVERIFY(mock.start(serverOptions));
    const quint16 port = quint16(mock.url().port());
    pointEnvironmentAt(mock.url());
    const QStringList args = remoteArgs(fixture, writeIni(fixture.tempPath(), 30, 8), 64);
    const Store::Database db = fixture.database();

    QProcess *run = startCli(args + QStringList{u"ingest"_s, u"--wait"_s, docs}, this);
    QVERIFY(run->waitForStarted());
    QVERIFY(QTest::qWaitFor([&] { return embeddedCount(db) >= 2; }, 120000));
    mock.stop();
    QVERIFY2(embeddedCount(db) < 12, "the run ended before the outage; it cannot show recovery");
    QTest::qWait(kOutageMs); // the outage itself
    QVERIFY(mock.start(serverOptions, port));
    QVERIFY(run->waitForFinished(180000));
    const QByteArray out = run->readAllStandardOutput();
    QVERIFY2(run->exitCode() == 0, out.constData());
    QVERIFY2(out.contains("12 document(s): 12 embedded, 0 failed"), out.constData());
    QVERIFY(
        !retriesWithCodes(db, {u"connection_refused"_s, u"connection_closed"_s, u"llamaparse_job_lost"_s}).isEmpty());
    db.closeThreadConnection();
    const QString exported = fixture.tempPath() + u"/out.jsonl"_s;
    QCOMPARE(runCli({u"--db"_s, fixture.url(), u"export"_s, u"-o"_s, exported}).exitCode, 0);
    QString problem;
    QVERIFY(checkExport(exported, 64, &problem) > 0);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void tst_Remote::afterA429NothingTheServerWouldRefuse()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString docs = fixture.tempPath() + u"/docs"_s;
    generateMixedCorpus(docs, 6, 47, 3);
    MockProcess mock({kEmbedKey, kParseKey});
    // Five requests at once, then five a second, per API: far below what four workers would send.
    QVERIFY(mock.start(
        {u"--rpm"_s, u"300"_s, u"--burst-seconds"_s, u"1"_s, u"--tpm"_s, u"200000"_s, u"--parse-ms"_s, u"50"_s}));
    mock.setFaults({QJsonObject{
        {u"route"_s, u"embeddings"_s}, {u"fault"_s, u"http_429"_s}, {u"count"_s, 1}, {u"retry_after_ms"_s, 1500}}});
    pointEnvironmentAt(mock.url());
    const QString ini = writeIni(fixture.tempPath(), 5, 2);
    {
        QSettings small(ini, QSettings::IniFormat); // many small chunks: many requests
        small.setValue(u"chunking/chunk_tokens"_s, 64);
        small.setValue(u"chunking/overlap_tokens"_s, 8);
    }
    const CliResult ingest = runCli(remoteArgs(fixture, ini, 32) + QStringList{u"ingest"_s, u"--wait"_s, docs}, 300000);
    QVERIFY2(ingest.exitCode == 0, qPrintable(ingest.describe()));
    QVERIFY(ingest.out.contains("6 document(s): 6 embedded, 0 failed"));

    const QJsonObject stats = mock.stats();
    QCOMPARE(stats.value(u"by_status"_s).toObject().value(u"429"_s).toInt(), 1);
    QCOMPARE(stats.value(u"refused_after_first_429"_s).toInt(), 0);
    QCOMPARE(stats.value(u"rate_limited"_s).toInt(), 0);
    QVERIFY2(stats.value(u"by_route"_s).toObject().value(u"embeddings"_s).toInt() >= 20,
             "too few requests for the limit to bind");
    QCOMPARE(retriesWithCodes(fixture.database(), {u"http_429"_s}).size(), 1);
    fixture.database().closeThreadConnection();
    qInfo("%d embedding and %d parse requests in %s",
          stats.value(u"by_route"_s).toObject().value(u"embeddings"_s).toInt(),
          stats.value(u"requests"_s).toInt() - stats.value(u"by_route"_s).toObject().value(u"embeddings"_s).toInt(),
          ingest.out.right(60).constData());
}

void tst_Remote::exhaustedQuotaIsShouted()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString docs = fixture.tempPath() + u"/docs"_s;
    generateMixedCorpus(docs, 3, 53, 2);
    MockProcess mock({kEmbedKey, kParseKey});
    QVERIFY(mock.start({u"--parse-ms"_s, u"20"_s}));
    mock.setFaults(
        {QJsonObject{{u"route"_s, u"embeddings"_s}, {u"fault"_s, u"insufficient_quota"_s}, {u"count"_s, 1}}});
    pointEnvironmentAt(mock.url());
    const QString ini = writeIni(fixture.tempPath(), 5);
    QSettings(ini, QSettings::IniFormat).setValue(u"engine/remote_embed_concurrency"_s, 1);
    const CliResult ingest = runCli(remoteArgs(fixture, ini, 32) + QStringList{u"ingest"_s, u"--wait"_s, docs}, 120000);
    QCOMPARE(ingest.exitCode, 1);
    QVERIFY2(ingest.err.contains("ALERT [insufficient_quota]"), qPrintable(ingest.describe()));
    QVERIFY(ingest.out.contains("3 document(s): 2 embedded, 1 failed"));
    QVERIFY(ingest.out.contains("insufficient_quota: the embedding service at 127.0.0.1"));
}

QTEST_MAIN(tst_Remote)
#include "tst_remote.moc"
