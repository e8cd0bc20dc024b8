// Every way a remote call can fail ends in one specific code, the right retry class, the
// server's wait, and a sentence that names the cause and never the key.
#include "services/embeddinganswer.h"
#include "services/serviceerror.h"
#include "stages/embedding/vectorcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <limits>

using namespace Docpipe;
using namespace Qt::Literals::StringLiterals;
using namespace Docpipe::Services;

namespace {

const QString kKey = QStringLiteral("sk-proj-SECRETsecret0123456789");

ServiceIdentity identity()
{
    return {QStringLiteral("the embedding service"), QStringLiteral("api.example.com:443"),
            QStringLiteral("OPENAI_API_KEY"), QStringLiteral("text-embedding-3-small"), kKey};
}

HttpReply httpReply(int status, const QByteArray &body, const RawHeaders &headers = {})
{
    HttpReply reply;
    reply.status = status;
    reply.body = body;
    reply.headers = headers;
    return reply;
}

QByteArray openAiError(const QString &message, const QString &code = {},
                       const QString &type = QStringLiteral("invalid_request_error"))
{
    return QJsonDocument(QJsonObject{{QStringLiteral("error"),
                                      QJsonObject{{QStringLiteral("message"), message},
                                                  {QStringLiteral("type"), type},
                                                  {QStringLiteral("code"), code}}}})
        .toJson();
}

QByteArray answerWith(const QJsonArray &data)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("data"), data},
                                     {QStringLiteral("usage"), QJsonObject{{QStringLiteral("prompt_tokens"), 7}}}})
        .toJson();
}

QJsonObject item(int index, const QJsonValue &embedding)
{
    return {{QStringLiteral("object"), QStringLiteral("embedding")},
            {QStringLiteral("index"), index},
            {QStringLiteral("embedding"), embedding}};
}

} // namespace

Q_DECLARE_METATYPE(Docpipe::Services::HttpReply)

class tst_ServiceError final : public QObject
{
    Q_OBJECT
private slots:
    void classifies_data();
    void classifies();
    void keyNeverInMessages();
    void serverMessageShapes();
    void readsFloatAndBase64Answers();
    void refusesBadAnswers_data();
    void refusesBadAnswers();
    void requestBodyAsTheSdkSendsIt();
};

void tst_ServiceError::classifies_data()
{
    QTest::addColumn<HttpReply>("reply");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("transient");
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::addColumn<QString>("says");

    HttpReply refused;
    refused.error = QNetworkReply::ConnectionRefusedError;
    QTest::newRow("connection refused") << refused << u"connection_refused"_s << true << qint64(-1)
                                        << u"connection refused"_s;
    HttpReply closed;
    closed.error = QNetworkReply::RemoteHostClosedError;
    QTest::newRow("connection closed") << closed << u"connection_closed"_s << true << qint64(-1)
                                       << u"closed the connection"_s;
    HttpReply timedOut;
    timedOut.error = QNetworkReply::OperationCanceledError;
    timedOut.timedOut = true;
    QTest::newRow("timeout") << timedOut << u"timeout"_s << true << qint64(-1) << u"did not answer in time"_s;
    HttpReply unknownHost;
    unknownHost.error = QNetworkReply::HostNotFoundError;
    QTest::newRow("host not found") << unknownHost << u"host_not_found"_s << true << qint64(-1)
                                    << u"cannot find the host"_s;
    HttpReply cancelled;
    cancelled.cancelled = true;
    QTest::newRow("cancelled") << cancelled << u"cancelled"_s << true << qint64(-1) << u"cancelled"_s;

    QTest::newRow("500") << httpReply(500, openAiError(QStringLiteral("The server had an error"))) << u"server_error"_s
                         << true << qint64(-1) << u"HTTP 500: The server had an error"_s;
    QTest::newRow("503 with retry-after") << httpReply(503, "<html>busy</html>", {{"Retry-After", "3"}})
                                          << u"server_error"_s << true << qint64(3000) << u"HTTP 503"_s;
    QTest::newRow("408") << httpReply(408, {}) << u"http_408"_s << true << qint64(-1) << u"HTTP 408"_s;
    QTest::newRow("429 rate limit, header")
        << httpReply(429, openAiError(QStringLiteral("Rate limit reached"), QStringLiteral("rate_limit_exceeded")),
                     {{"retry-after-ms", "250"}})
        << u"http_429"_s << true << qint64(250) << u"rate limiting"_s;
    QTest::newRow("429 rate limit, message")
        << httpReply(429,
                     openAiError(QStringLiteral("Limit 1000, Used 999. Please try again in 1.5s."),
                                 QStringLiteral("rate_limit_exceeded")))
        << u"http_429"_s << true << qint64(1500) << u"rate limiting"_s;
    QTest::newRow("429 quota") << httpReply(429,
                                            openAiError(QStringLiteral("You exceeded your current quota"),
                                                        QStringLiteral("insufficient_quota"),
                                                        QStringLiteral("insufficient_quota")))
                               << u"insufficient_quota"_s << false << qint64(-1) << u"no quota or credits left"_s;
    QTest::newRow("402 llamaparse credits") << httpReply(402, R"({"detail":"no credits"})") << u"insufficient_quota"_s
                                            << false << qint64(-1) << u"HTTP 402"_s;
    QTest::newRow("401")
        << httpReply(401,
                     openAiError(QStringLiteral("Incorrect API key provided: sk-pr**********6789."),
                                 QStringLiteral("invalid_api_key")))
        << u"auth_rejected"_s << false << qint64(-1)
        << u"the API key was rejected by the embedding service at api.example.com:443 (HTTP 401); check OPENAI_API_KEY"_s;
    QTest::newRow("403") << httpReply(403, R"({"detail":"Project not allowed"})") << u"forbidden"_s << false
                         << qint64(-1) << u"Project not allowed"_s;
    QTest::newRow("404 model") << httpReply(
        404, openAiError(QStringLiteral("The model `x` does not exist"), QStringLiteral("model_not_found")))
                               << u"model_not_found"_s << false << qint64(-1)
                               << u"model not found: text-embedding-3-small"_s;
    QTest::newRow("404 route") << httpReply(404, "Not Found") << u"not_found"_s << false << qint64(-1)
                               << u"check the base URL"_s;
    QTest::newRow("400 input too long") << httpReply(
        400, openAiError(QStringLiteral("Invalid 'input[3]': maximum input length is 8192 tokens.")))
                                        << u"input_too_long"_s << false << qint64(-1) << u"input[3]"_s;
    QTest::newRow("400 other") << httpReply(400, openAiError(QStringLiteral("'$.input' is invalid.")))
                               << u"bad_request"_s << false << qint64(-1) << u"'$.input' is invalid."_s;
    QTest::newRow("413") << httpReply(413, {}) << u"payload_too_large"_s << false << qint64(-1) << u"too large"_s;
    QTest::newRow("422 fastapi") << httpReply(
        422, R"({"detail":[{"loc":["body","file"],"msg":"field required","type":"value_error.missing"}]})")
                                 << u"invalid_request"_s << false << qint64(-1) << u"field required"_s;
    QTest::newRow("418") << httpReply(418, {}) << u"http_418"_s << false << qint64(-1) << u"HTTP 418"_s;
}

void tst_ServiceError::classifies()
{
    QFETCH(HttpReply, reply);
    QFETCH(QString, code);
    QFETCH(bool, transient);
    QFETCH(qint64, retryAfterMs);
    QFETCH(QString, says);
    const StageError error = classifyFailure(reply, identity());
    QCOMPARE(error.code, code);
    QCOMPARE(error.isTransient(), transient);
    QCOMPARE(error.retryAfterMs, retryAfterMs);
    QVERIFY2(error.message.contains(says), qPrintable(error.message));
}

void tst_ServiceError::keyNeverInMessages()
{
    // A server that quotes the key back, whole or in part, in several shapes.
    const QList<HttpReply> replies{
        httpReply(400, openAiError(QStringLiteral("bad key %1 given").arg(kKey))),
        httpReply(500, openAiError(QStringLiteral("upstream said Authorization: Bearer %1").arg(kKey))),
        httpReply(403, openAiError(QStringLiteral("key sk-proj-SECR****6789 is not allowed"))),
        httpReply(422, QJsonDocument(QJsonObject{{QStringLiteral("detail"), kKey}}).toJson()),
    };
    for (const HttpReply &reply : replies) {
        const StageError error = classifyFailure(reply, identity());
        QVERIFY2(!error.message.contains(kKey), qPrintable(error.message));
        QVERIFY2(!error.message.contains(QLatin1String("SECR")), qPrintable(error.message));
    }
    QCOMPARE(redactSecrets(QStringLiteral("x llx-abcdef123456 y"), {}), QStringLiteral("x [redacted] y"));
}

void tst_ServiceError::serverMessageShapes()
{
    QCOMPARE(serverMessage(openAiError(QStringLiteral("m1"))), QStringLiteral("m1"));
    QCOMPARE(serverMessage(R"({"detail":"m2"})"), QStringLiteral("m2"));
    QCOMPARE(serverMessage(R"({"message":"m3","code":424,"type":"backend"})"),
             QStringLiteral("m3")); // text-embeddings-inference
    QCOMPARE(serverMessage(R"({"error":"m4"})"), QStringLiteral("m4")); // ollama
    QCOMPARE(serverMessage("<html>"), QString());
    QCOMPARE(serverErrorCode(openAiError(QStringLiteral("m"), QStringLiteral("insufficient_quota"))),
             QStringLiteral("insufficient_quota"));
}

void tst_ServiceError::readsFloatAndBase64Answers()
{
    const Vector first{0.5f, -0.25f, 0.125f};
    const Vector second{1.0f, 0.0f, -1.0f};
    QJsonArray floats;
    for (const float value : first)
        floats.append(double(value));
    // Out of order on purpose: the index decides.
    const QByteArray body
        = answerWith({item(1, QString::fromLatin1(Stages::encodeVector(second).toBase64())), item(0, floats)});
    auto answer = readEmbeddingAnswer(body, 2, 3, identity());
    QVERIFY2(answer.ok(), qPrintable(answer.ok() ? QString() : answer.error().message));
    QCOMPARE(answer.value().vectors.at(0), first);
    QCOMPARE(answer.value().vectors.at(1), second);
    QCOMPARE(answer.value().promptTokens, qint64(7));
}

void tst_ServiceError::refusesBadAnswers_data()
{
    const QString good = QString::fromLatin1(Stages::encodeVector({1, 2, 3}).toBase64());
    const QString nan
        = QString::fromLatin1(Stages::encodeVector({1, std::numeric_limits<float>::quiet_NaN(), 3}).toBase64());
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("expectedDimensions");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("says");
    QTest::newRow("not json") << QByteArray(R"({"data":[{"index":0,"emb)") << 3 << u"malformed_response"_s
                              << u"not a JSON object"_s;
    QTest::newRow("no data") << QByteArray(R"({"object":"list"})") << 3 << u"malformed_response"_s
                             << u"no \"data\" array"_s;
    QTest::newRow("too few") << answerWith({item(0, good)}) << 3 << u"malformed_response"_s
                             << u"1 embeddings for 2 inputs"_s;
    QTest::newRow("index twice") << answerWith({item(0, good), item(0, good)}) << 3 << u"malformed_response"_s
                                 << u"indexes"_s;
    QTest::newRow("index out of range") << answerWith({item(0, good), item(2, good)}) << 3 << u"malformed_response"_s
                                        << u"indexes"_s;
    QTest::newRow("nan in base64") << answerWith({item(0, good), item(1, nan)}) << 3 << u"malformed_response"_s
                                   << u"not a finite number"_s;
    QTest::newRow("null in floats") << answerWith({item(0, good), item(1, QJsonArray{1.0, QJsonValue(), 3.0})}) << 3
                                    << u"malformed_response"_s << u"not a finite number"_s;
    QTest::newRow("bad base64") << answerWith({item(0, good), item(1, QStringLiteral("!!!"))}) << 3
                                << u"malformed_response"_s << u"base64"_s;
    QTest::newRow("other dimensions") << answerWith({item(0, good), item(1, good)}) << 4 << u"dimension_mismatch"_s
                                      << u"returned 3-dimensional vectors where 4 were expected"_s;
    QTest::newRow("mixed dimensions") << answerWith({item(0, good), item(1, QJsonArray{1.0, 2.0})}) << 0
                                      << u"malformed_response"_s << u"different dimensions"_s;
}

void tst_ServiceError::refusesBadAnswers()
{
    QFETCH(QByteArray, body);
    QFETCH(int, expectedDimensions);
    QFETCH(QString, code);
    QFETCH(QString, says);
    auto answer = readEmbeddingAnswer(body, 2, expectedDimensions, identity());
    QVERIFY(!answer.ok());
    QCOMPARE(answer.error().code, code);
    QVERIFY2(answer.error().message.contains(says), qPrintable(answer.error().message));
    QCOMPARE(answer.error().isTransient(), code == QLatin1String("malformed_response"));
}

void tst_ServiceError::requestBodyAsTheSdkSendsIt()
{
    const QJsonObject body
        = QJsonDocument::fromJson(
              embeddingRequestBody({QStringLiteral("m"), {QStringLiteral("a"), QStringLiteral("b")}, 256, true}))
              .object();
    QCOMPARE(body.value(QStringLiteral("model")).toString(), QStringLiteral("m"));
    QCOMPARE(body.value(QStringLiteral("input")).toArray(), (QJsonArray{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(body.value(QStringLiteral("dimensions")).toInt(), 256);
    QCOMPARE(body.value(QStringLiteral("encoding_format")).toString(), QStringLiteral("base64"));
    const QJsonObject plain
        = QJsonDocument::fromJson(embeddingRequestBody({QStringLiteral("m"), {QStringLiteral("a")}, 0, false}))
              .object();
    QVERIFY(!plain.contains(QStringLiteral("dimensions")));
    QCOMPARE(plain.value(QStringLiteral("encoding_format")).toString(), QStringLiteral("float"));
}

QTEST_GUILESS_MAIN(tst_ServiceError)
#include "tst_serviceerror.moc"
