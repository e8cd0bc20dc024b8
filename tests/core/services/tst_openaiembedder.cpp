// The OpenAI-compatible embedder against the mock over real HTTP: vectors arrive exactly as the
// server computed them (base64 or float), inputs over the limit are never sent, every fault ends
// in its own code and retry class, cancellation aborts a request in flight, and the key is only
// ever sent, never repeated.
#include "mockvectors.h"
#include "services/openaiembedder.h"
#include "servicetesthelpers.h"

#include <QFuture>
#include <QJsonArray>
#include <QtConcurrent/QtConcurrentRun>
#include <QThreadPool>

#include <atomic>

using namespace Docpipe;
using namespace Docpipe::Services;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

QStringList texts(int count, const QString &stem = u"chunk"_s)
{
    QStringList list;
    for (int i = 0; i < count; ++i)
        list << u"%1 number %2 about harbours, ledgers and the quiet audit of %2 boxes"_s.arg(stem).arg(i);
    return list;
}

void setFault(MockServer &mock, const QString &fault, int count = 1, int retryAfterMs = 1000)
{
    const auto problem = mock.setFaults(QJsonArray{QJsonObject{
        {u"route"_s, u"embeddings"_s}, {u"fault"_s, fault}, {u"count"_s, count}, {u"retry_after_ms"_s, retryAfterMs}}});
    if (problem)
        qFatal("%s", qPrintable(*problem));
}

} // namespace

class tst_OpenAiEmbedder final : public QObject
{
    Q_OBJECT
private slots:
    void vectorsAsTheServerComputedThem_data();
    void vectorsAsTheServerComputedThem();
    void baseUrlWithOrWithoutV1_data();
    void baseUrlWithOrWithoutV1();
    void learnsTheDimensionsOfAnUnknownModel();
    void neverSendsWhatTheServerWouldRefuse();
    void eachFaultHasItsCode_data();
    void eachFaultHasItsCode();
    void connectionRefused();
    void cancellationAbortsARequestInFlight();
    void rejectedKeyIsNotRepeated();
    void manyThreadsShareOneEndpoint();
};

void tst_OpenAiEmbedder::vectorsAsTheServerComputedThem_data()
{
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<bool>("serverHasBase64");
    QTest::addColumn<int>("dimensions");
    QTest::newRow("base64") << u"base64"_s << true << 0;
    QTest::newRow("float") << u"float"_s << true << 0;
    QTest::newRow("base64 refused: falls back to float") << u"base64"_s << false << 0;
    QTest::newRow("dimensions") << u"base64"_s << true << 256;
}

void tst_OpenAiEmbedder::vectorsAsTheServerComputedThem()
{
    QFETCH(QString, encoding);
    QFETCH(bool, serverHasBase64);
    QFETCH(int, dimensions);
    MockServerOptions options;
    options.base64 = serverHasBase64;
    const auto mock = startMock(options);
    EmbedderConfig config = embedderConfig(*mock);
    config.encodingFormat = encoding;
    config.dimensions = dimensions;
    const OpenAiEmbedder embedder(config);
    QCOMPARE(embedder.model(), u"text-embedding-3-small"_s);
    const int expected = dimensions > 0 ? dimensions : 1536;
    QCOMPARE(embedder.dimensions(), expected);
    const QStringList inputs = texts(5);
    for (int round = 0; round < 2; ++round) { // the second round goes straight to floats when base64 was refused
        const auto vectors = embedder.embed(inputs, {});
        QVERIFY2(vectors.ok(), qPrintable(vectors.ok() ? QString() : vectors.error().message));
        QCOMPARE(vectors.value().size(), inputs.size());
        for (qsizetype i = 0; i < inputs.size(); ++i)
            QCOMPARE(vectors.value().at(i), mockEmbedding(inputs.at(i), expected));
    }
    const qint64 refusals = mock->stats().byStatus.value(400);
    QCOMPARE(refusals, serverHasBase64 || encoding == u"float"_s ? 0 : 1);
}

void tst_OpenAiEmbedder::baseUrlWithOrWithoutV1_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::newRow("root") << QString();
    QTest::newRow("root slash") << u"/"_s;
    QTest::newRow("v1") << u"/v1"_s;
    QTest::newRow("v1 slash") << u"/v1/"_s;
}

void tst_OpenAiEmbedder::baseUrlWithOrWithoutV1()
{
    QFETCH(QString, suffix);
    const auto mock = startMock();
    EmbedderConfig config = embedderConfig(*mock);
    config.baseUrl = mock->url().toString() + suffix;
    QVERIFY(OpenAiEmbedder(config).embed({u"hello"_s}, {}).ok());
}

void tst_OpenAiEmbedder::learnsTheDimensionsOfAnUnknownModel()
{
    MockServerOptions options;
    options.dimensions = 768;
    const auto mock = startMock(options);
    EmbedderConfig config = embedderConfig(*mock);
    config.model = u"nomic-embed-text"_s;
    const OpenAiEmbedder embedder(config);
    QCOMPARE(embedder.dimensions(), 0);
    QVERIFY(embedder.embed({u"a"_s}, {}).ok());
    QCOMPARE(embedder.dimensions(), 768);
}

void tst_OpenAiEmbedder::neverSendsWhatTheServerWouldRefuse()
{
    const auto mock = startMock();
    const OpenAiEmbedder embedder(embedderConfig(*mock));
    const auto tooLong = embedder.embed({u"fine"_s, u"token "_s.repeated(9000)}, {});
    QVERIFY(!tooLong.ok());
    QCOMPARE(tooLong.error().code, u"input_too_long"_s);
    QVERIFY(!tooLong.error().isTransient());
    QVERIFY2(tooLong.error().message.contains(u"over the limit of 8192 tokens per input"_s),
             qPrintable(tooLong.error().message));
    const auto empty = embedder.embed({u"fine"_s, QString()}, {});
    QCOMPARE(empty.error().code, u"empty_input"_s);
    QCOMPARE(mock->stats().requests, 0);
    QVERIFY(embedder.maxBatchTokens() <= 300000);
    QVERIFY(embedder.maxBatchSize() <= 2048);
}

void tst_OpenAiEmbedder::eachFaultHasItsCode_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("transient");
    QTest::newRow("500") << u"http_500"_s << 1 << u"server_error"_s << true;
    QTest::newRow("503") << u"http_503"_s << 1 << u"server_error"_s << true;
    QTest::newRow("429") << u"http_429"_s << 1 << u"http_429"_s << true;
    QTest::newRow("timeout") << u"timeout"_s << 1 << u"timeout"_s << true;
    QTest::newRow("dropped connection") << u"drop"_s << 3 << u"connection_closed"_s << true;
    QTest::newRow("malformed json") << u"malformed_json"_s << 1 << u"malformed_response"_s << true;
    QTest::newRow("wrong count") << u"wrong_count"_s << 1 << u"malformed_response"_s << true;
    QTest::newRow("not finite") << u"non_finite"_s << 1 << u"malformed_response"_s << true;
    QTest::newRow("wrong dimensions") << u"wrong_dimensions"_s << 1 << u"dimension_mismatch"_s << false;
    QTest::newRow("401") << u"auth_rejected"_s << 1 << u"auth_rejected"_s << false;
    QTest::newRow("403") << u"forbidden"_s << 1 << u"forbidden"_s << false;
    QTest::newRow("quota") << u"insufficient_quota"_s << 1 << u"insufficient_quota"_s << false;
    QTest::newRow("404 model") << u"model_not_found"_s << 1 << u"model_not_found"_s << false;
    QTest::newRow("400") << u"bad_request"_s << 1 << u"bad_request"_s << false;
    QTest::newRow("413") << u"payload_too_large"_s << 1 << u"payload_too_large"_s << false;
    QTest::newRow("422") << u"unprocessable"_s << 1 << u"invalid_request"_s << false;
}

void tst_OpenAiEmbedder::eachFaultHasItsCode()
{
    QFETCH(QString, fault);
    QFETCH(int, count);
    QFETCH(QString, code);
    QFETCH(bool, transient);
    const auto mock = startMock();
    EmbedderConfig config = embedderConfig(*mock);
    config.requestTimeoutMs = 1500;
    const OpenAiEmbedder embedder(config);
    setFault(*mock, fault, count, 200);
    const auto failed = embedder.embed(texts(3), {});
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().code, code);
    QCOMPARE(failed.error().isTransient(), transient);
    QVERIFY(failed.error().message.contains(mock->url().host()) || code == u"model_not_found"_s);
    if (code == u"http_429"_s)
        QCOMPARE(failed.error().retryAfterMs, qint64(200));
    if (code == u"model_not_found"_s)
        QCOMPARE(failed.error().message,
                 u"model not found: text-embedding-3-small (the embedding service at %1:%2)"_s.arg(mock->url().host())
                     .arg(mock->port()));
    // The fault is spent: the next call succeeds (after the 429's announced wait, which the
    // limiter holds every caller to).
    const auto next = embedder.embed(texts(3), {});
    QVERIFY2(next.ok(), qPrintable(next.ok() ? QString() : next.error().message));
    QCOMPARE(mock->stats().refusedAfterFirst429, 0);
}

void tst_OpenAiEmbedder::connectionRefused()
{
    quint16 port = 0;
    {
        const auto gone = startMock();
        port = gone->port();
    }
    EmbedderConfig config;
    config.kind = u"openai"_s;
    config.baseUrl = u"http://127.0.0.1:%1"_s.arg(port);
    const auto failed = OpenAiEmbedder(config).embed({u"a"_s}, {});
    QCOMPARE(failed.error().code, u"connection_refused"_s);
    QVERIFY(failed.error().isTransient());
}

void tst_OpenAiEmbedder::cancellationAbortsARequestInFlight()
{
    const auto mock = startMock();
    EmbedderConfig config = embedderConfig(*mock);
    config.requestTimeoutMs = 120000;
    const OpenAiEmbedder embedder(config);
    QVERIFY(embedder.embed({u"warm-up"_s}, {}).ok());
    setFault(*mock, u"timeout"_s);
    std::atomic<bool> cancel{false};
    StageContext context;
    context.isCancelled = [&cancel] { return cancel.load(); };
    QThreadPool pool;
    QFuture<Result<QList<Vector>>> future
        = QtConcurrent::run(&pool, [&] { return embedder.embed({u"held"_s}, context); });
    QTRY_COMPARE(mock->stats().requests, 2);
    cancel = true;
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 5000)); // far below the 120 s timeout
    QCOMPARE(future.result().error().code, u"cancelled"_s);
}

void tst_OpenAiEmbedder::rejectedKeyIsNotRepeated()
{
    MockServerOptions options;
    options.apiKeys = {u"sk-the-right-key-0123456789"_s};
    const auto mock = startMock(options);
    const QString wrongKey = u"sk-proj-WRONGwrong9876543210"_s;
    const auto failed = OpenAiEmbedder(embedderConfig(*mock, wrongKey)).embed({u"a"_s}, {});
    QCOMPARE(failed.error().code, u"auth_rejected"_s);
    QVERIFY(failed.error().message.contains(u"OPENAI_API_KEY"_s));
    QVERIFY(!failed.error().message.contains(wrongKey));
    QVERIFY(!failed.error().message.contains(u"sk-p"_s)); // not even the server's masked echo
    QVERIFY(OpenAiEmbedder(embedderConfig(*mock, options.apiKeys.first())).embed({u"a"_s}, {}).ok());
}

void tst_OpenAiEmbedder::manyThreadsShareOneEndpoint()
{
    const auto mock = startMock();
    const OpenAiEmbedder embedder(embedderConfig(*mock));
    QThreadPool pool;
    pool.setMaxThreadCount(8);
    QList<QFuture<bool>> calls;
    for (int t = 0; t < 16; ++t) {
        calls << QtConcurrent::run(&pool, [&embedder, t] {
            const QStringList inputs = texts(4, u"thread %1"_s.arg(t));
            const auto vectors = embedder.embed(inputs, {});
            if (!vectors)
                return false;
            for (qsizetype i = 0; i < inputs.size(); ++i) {
                if (vectors.value().at(i) != mockEmbedding(inputs.at(i), 1536))
                    return false;
            }
            return true;
        });
    }
    QVERIFY(QTest::qWaitFor(
        [&] {
            return std::all_of(calls.cbegin(), calls.cend(), [](const QFuture<bool> &f) { return f.isFinished(); });
        },
        30000));
    for (const QFuture<bool> &call : calls)
        QVERIFY(call.result());
    QCOMPARE(mock->stats().embeddedInputs, 64);
}

QTEST_GUILESS_MAIN(tst_OpenAiEmbedder)
#include "tst_openaiembedder.moc"
