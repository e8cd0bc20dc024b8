// The mock server over real HTTP: the request shapes the official OpenAI and LlamaParse SDKs send
// are answered in the real services' shapes; limits, faults, outages and the seed behave as the
// tests that rely on them expect; `docpipe-cli mock-server` announces its URL first.
#include "documentgenerator.h"
#include "mockvectors.h"
#include "services/ratelimitheaders.h"
#include "servicetesthelpers.h"
#include "stages/embedding/vectorcodec.h"
#include "stages/parsers/localparser.h"

#include <QFile>
#include <QHttpMultiPart>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>

#include <csignal>

using namespace Docpipe;
using namespace Docpipe::Services;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QHttpPart field(const QByteArray &name, const QByteArray &value, const QByteArray &fileName = {})
{
    QHttpPart part;
    QByteArray disposition = "form-data; name=\"" + name + '"';
    if (!fileName.isEmpty())
        disposition += "; filename=\"" + fileName + '"';
    part.setHeader(QNetworkRequest::ContentDispositionHeader, disposition);
    if (!fileName.isEmpty())
        part.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
    part.setBody(value);
    return part;
}

// The Python SDK's upload: the file as application/octet-stream and its parameters as fields.
HttpReply sdkUpload(const QUrl &base, const QString &prefix, const QByteArray &bytes, const QByteArray &fileName,
                    const QByteArray &separator)
{
    auto *form = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    form->append(field("file", bytes, fileName));
    form->append(field("language", "en"));
    form->append(field("parse_mode", "parse_page_with_llm"));
    form->append(field("page_separator", separator));
    form->append(field("do_not_cache", "true"));
    HttpSession session;
    return session.postMultipart(base.resolved(QUrl(prefix + u"/upload"_s)), form, {u"llx-key"_s, 5000, {}});
}

QString jobStatus(const QUrl &base, const QString &prefix, const QString &id)
{
    return jsonOf(get(base, prefix + u"/job/"_s + id)).value(u"status"_s).toString();
}

QList<int> statusesOf(MockServer &mock, int count)
{
    QList<int> statuses;
    for (int i = 0; i < count; ++i)
        statuses
            << postJson(mock.url(), u"/v1/embeddings"_s, json({{u"model"_s, u"m"_s}, {u"input"_s, u"x"_s}})).status;
    return statuses;
}

} // namespace

class tst_MockServer final : public QObject
{
    Q_OBJECT
private slots:
    void embeddingsAsThePythonSdkSendsThem();
    void embeddingsAsTheNodeSdkSendsThemWithFloats();
    void tokenArraysAndDimensions();
    void refusesWhatOpenAiRefuses_data();
    void refusesWhatOpenAiRefuses();
    void checksTheKeyAndMasksIt();
    void rateLimitsAnnounceAndRefuse();
    void tokenLimitCountsTokens();
    void faultsFromTheControlRoute();
    void transportFaults();
    void seedMakesFaultsReproducible();
    void parsesAsTheLlamaParseSdkUploads_data();
    void parsesAsTheLlamaParseSdkUploads();
    void parseJobFaults();
    void outageRefusesConnectionsThenRecovers();
    void cliAnnouncesItsUrlFirst();
};

void tst_MockServer::embeddingsAsThePythonSdkSendsThem()
{
    const auto mock = startMock();
    // openai-python sends encoding_format "base64" when the caller does not choose one.
    const HttpReply reply = postJson(mock->url(), u"/v1/embeddings"_s,
                                     json({{u"input"_s, strings({u"first text"_s, u"second text"_s})},
                                           {u"model"_s, u"text-embedding-3-small"_s},
                                           {u"encoding_format"_s, u"base64"_s}}),
                                     u"sk-anything"_s);
    QCOMPARE(reply.status, 200);
    const QJsonObject body = jsonOf(reply);
    QCOMPARE(body.value(u"object"_s).toString(), u"list"_s);
    QCOMPARE(body.value(u"model"_s).toString(), u"text-embedding-3-small"_s);
    QVERIFY(body.value(u"usage"_s).toObject().value(u"prompt_tokens"_s).toInt() > 0);
    const QJsonArray data = body.value(u"data"_s).toArray();
    QCOMPARE(data.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const QJsonObject item = data.at(i).toObject();
        QCOMPARE(item.value(u"object"_s).toString(), u"embedding"_s);
        QCOMPARE(item.value(u"index"_s).toInt(), i);
        auto vector = Stages::decodeVectorBase64(item.value(u"embedding"_s).toString().toLatin1(), 1536);
        QVERIFY(vector.ok());
        QCOMPARE(vector.value(), mockEmbedding(i == 0 ? u"first text"_s : u"second text"_s, 1536));
    }
}

void tst_MockServer::embeddingsAsTheNodeSdkSendsThemWithFloats()
{
    const auto mock = startMock();
    const HttpReply reply = postJson(mock->url(), u"/v1/embeddings"_s,
                                     json({{u"model"_s, u"text-embedding-3-small"_s},
                                           {u"input"_s, u"one string"_s},
                                           {u"encoding_format"_s, u"float"_s}}));
    QCOMPARE(reply.status, 200);
    const QJsonArray numbers
        = jsonOf(reply).value(u"data"_s).toArray().at(0).toObject().value(u"embedding"_s).toArray();
    const Vector expected = mockEmbedding(u"one string"_s, 1536);
    QCOMPARE(numbers.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(float(numbers.at(i).toDouble()), expected.at(i)); // float -> JSON -> float is exact
}

void tst_MockServer::tokenArraysAndDimensions()
{
    const auto mock = startMock();
    const HttpReply reply = postJson(mock->url(), u"/v1/embeddings"_s,
                                     json({{u"model"_s, u"m"_s},
                                           {u"input"_s, QJsonArray{QJsonArray{1, 2, 3}, QJsonArray{4}}},
                                           {u"dimensions"_s, 8}}));
    QCOMPARE(reply.status, 200);
    const QJsonArray data = jsonOf(reply).value(u"data"_s).toArray();
    QCOMPARE(data.size(), 2);
    QCOMPARE(data.at(0).toObject().value(u"embedding"_s).toArray().size(), 8);
    // A shorter vector is the longer one's prefix, re-normalised.
    const Vector longer = mockEmbedding(u"x"_s, 16);
    const Vector shorter = mockEmbedding(u"x"_s, 8);
    QVERIFY(qAbs(shorter.at(1) / shorter.at(0) - longer.at(1) / longer.at(0)) < 1e-4);
}

void tst_MockServer::refusesWhatOpenAiRefuses_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("says");
    const QString huge = u"word "_s.repeated(9000);
    QStringList many;
    for (int i = 0; i < 2049; ++i)
        many << u"x"_s;
    QTest::newRow("empty string") << json({{u"model"_s, u"m"_s}, {u"input"_s, strings({u"a"_s, QString()})}})
                                  << u"'$.input' is invalid"_s;
    QTest::newRow("empty array") << json({{u"model"_s, u"m"_s}, {u"input"_s, QJsonArray()}})
                                 << u"'$.input' is invalid"_s;
    QTest::newRow("no model") << json({{u"input"_s, u"a"_s}}) << u"must provide a model"_s;
    QTest::newRow("no input") << json({{u"model"_s, u"m"_s}}) << u"'input' is a required property"_s;
    QTest::newRow("too many inputs") << json({{u"model"_s, u"m"_s}, {u"input"_s, strings(many)}})
                                     << u"Maximum length is 2048"_s;
    QTest::newRow("input too long") << json({{u"model"_s, u"m"_s}, {u"input"_s, strings({u"ok"_s, huge})}})
                                    << u"Invalid 'input[1]': maximum input length is 8192 tokens."_s;
    QTest::newRow("bad encoding") << json(
        {{u"model"_s, u"m"_s}, {u"input"_s, u"a"_s}, {u"encoding_format"_s, u"hex"_s}})
                                  << u"encoding_format"_s;
    QTest::newRow("not json") << QByteArray("{\"model\":") << u"could not parse the JSON body"_s;
}

void tst_MockServer::refusesWhatOpenAiRefuses()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, says);
    const auto mock = startMock();
    const HttpReply reply = postJson(mock->url(), u"/v1/embeddings"_s, body);
    QCOMPARE(reply.status, 400);
    QVERIFY2(errorMessageOf(reply).contains(says), reply.body.constData());
    QCOMPARE(jsonOf(reply).value(u"error"_s).toObject().value(u"type"_s).toString(), u"invalid_request_error"_s);
    QCOMPARE(mock->stats().embeddedInputs, 0);
}

void tst_MockServer::checksTheKeyAndMasksIt()
{
    MockServerOptions options;
    options.apiKeys = {u"sk-right-key-0123456789"_s};
    const auto mock = startMock(options);
    const QByteArray body = json({{u"model"_s, u"m"_s}, {u"input"_s, u"a"_s}});
    QCOMPARE(postJson(mock->url(), u"/v1/embeddings"_s, body, options.apiKeys.first()).status, 200);
    const HttpReply none = postJson(mock->url(), u"/v1/embeddings"_s, body);
    QCOMPARE(none.status, 401);
    QVERIFY(errorMessageOf(none).contains(u"didn't provide an API key"_s));
    const HttpReply wrong = postJson(mock->url(), u"/v1/embeddings"_s, body, u"sk-wrong-key-9876543210"_s);
    QCOMPARE(wrong.status, 401);
    QCOMPARE(jsonOf(wrong).value(u"error"_s).toObject().value(u"code"_s).toString(), u"invalid_api_key"_s);
    QVERIFY(errorMessageOf(wrong).contains(u"sk-w"_s)); // echoed in part, as OpenAI does
    QVERIFY(!errorMessageOf(wrong).contains(u"wrong-key-9876"_s));
    QCOMPARE(get(mock->url(), u"/api/v1/parsing/job/x"_s, u"bad"_s).status, 401);
}

void tst_MockServer::rateLimitsAnnounceAndRefuse()
{
    MockServerOptions options;
    options.requestsPerMinute = 3;
    const auto mock = startMock(options);
    const QByteArray body = json({{u"model"_s, u"m"_s}, {u"input"_s, u"a"_s}});
    for (int remaining = 2; remaining >= 0; --remaining) {
        const HttpReply reply = postJson(mock->url(), u"/v1/embeddings"_s, body);
        QCOMPARE(reply.status, 200);
        const RateLimitInfo info = parseRateLimitHeaders(reply.headers);
        QCOMPARE(info.limitRequests, qint64(3));
        QCOMPARE(info.remainingRequests, qint64(remaining));
        QVERIFY(info.resetRequestsMs > 0);
    }
    const HttpReply refused = postJson(mock->url(), u"/v1/embeddings"_s, body);
    QCOMPARE(refused.status, 429);
    QCOMPARE(jsonOf(refused).value(u"error"_s).toObject().value(u"code"_s).toString(), u"rate_limit_exceeded"_s);
    QVERIFY(errorMessageOf(refused).contains(u"requests per min (RPM): Limit 3"_s));
    const RateLimitInfo info = parseRateLimitHeaders(refused.headers);
    QVERIFY2(info.retryAfterMs > 15000 && info.retryAfterMs <= 20000, qPrintable(QString::number(info.retryAfterMs)));
    QVERIFY(retryAfterFromMessage(errorMessageOf(refused)) > 15000);
    QCOMPARE(mock->stats().rateLimited, 1);
    QCOMPARE(mock->stats().refusedAfterFirst429, 0);
    QCOMPARE(postJson(mock->url(), u"/v1/embeddings"_s, body).status, 429);
    QCOMPARE(mock->stats().refusedAfterFirst429, 1);
    QVERIFY(mock->stats().first429AtMs >= 0);
}

void tst_MockServer::tokenLimitCountsTokens()
{
    MockServerOptions options;
    options.tokensPerMinute = 1000;
    const auto mock = startMock(options);
    const QString text = u"word "_s.repeated(300); // a few hundred tokens
    const QByteArray body = json({{u"model"_s, u"m"_s}, {u"input"_s, strings({text, text})}});
    const HttpReply first = postJson(mock->url(), u"/v1/embeddings"_s, body);
    QCOMPARE(first.status, 200);
    const qint64 used = jsonOf(first).value(u"usage"_s).toObject().value(u"prompt_tokens"_s).toInteger();
    QCOMPARE(parseRateLimitHeaders(first.headers).remainingTokens, 1000 - used);
    HttpReply second = postJson(mock->url(), u"/v1/embeddings"_s, body);
    QCOMPARE(second.status, 429);
    QVERIFY(errorMessageOf(second).contains(u"tokens per min (TPM)"_s));
    QCOMPARE(mock->stats().embeddedTokens, used);
}

void tst_MockServer::faultsFromTheControlRoute()
{
    const auto mock = startMock();
    const QByteArray embed = json({{u"model"_s, u"m"_s}, {u"input"_s, u"a"_s}});
    const HttpReply set = postJson(
        mock->url(), u"/_mock/faults"_s,
        json({{u"faults"_s,
               QJsonArray{QJsonObject{{u"route"_s, u"embeddings"_s}, {u"fault"_s, u"http_503"_s}, {u"count"_s, 2}}}}}));
    QCOMPARE(set.status, 200);
    QCOMPARE(postJson(mock->url(), u"/v1/embeddings"_s, embed).status, 503);
    QCOMPARE(postJson(mock->url(), u"/v1/embeddings"_s, embed).status, 503);
    QCOMPARE(postJson(mock->url(), u"/v1/embeddings"_s, embed).status, 200);
    const QJsonObject stats = jsonOf(get(mock->url(), u"/_mock/stats"_s));
    QCOMPARE(stats.value(u"faults"_s).toObject().value(u"http_503"_s).toInt(), 2);
    QCOMPARE(stats.value(u"requests"_s).toInt(), 3);
    const HttpReply wrong = postJson(mock->url(), u"/_mock/faults"_s,
                                     json({{u"faults"_s, QJsonArray{QJsonObject{{u"fault"_s, u"gremlins"_s}}}}}));
    QCOMPARE(wrong.status, 400);
    QVERIFY(jsonOf(wrong).value(u"error"_s).toString().contains(u"unknown fault 'gremlins'"_s));

    postJson(
        mock->url(), u"/_mock/faults"_s,
        json({{u"faults"_s,
               QJsonArray{QJsonObject{{u"fault"_s, u"http_429"_s}, {u"retry_after_ms"_s, 1500}, {u"count"_s, 1}}}}}));
    const HttpReply limited = postJson(mock->url(), u"/v1/embeddings"_s, embed);
    QCOMPARE(limited.status, 429);
    QCOMPARE(parseRateLimitHeaders(limited.headers).retryAfterMs, qint64(1500));
    // The announced wait is real: a request inside it is refused and counted.
    QCOMPARE(postJson(mock->url(), u"/v1/embeddings"_s, embed).status, 429);
    QCOMPARE(mock->stats().refusedAfterFirst429, 1);
}

void tst_MockServer::transportFaults()
{
    const auto mock = startMock();
    // Qt's network access sends a request again (twice) when the connection closes before any
    // answer: only the third drop in a row reaches the caller.
    mock->setFaults(QJsonArray{QJsonObject{{u"fault"_s, u"timeout"_s}, {u"count"_s, 1}},
                               QJsonObject{{u"fault"_s, u"drop"_s}, {u"count"_s, 3}},
                               QJsonObject{{u"fault"_s, u"malformed_json"_s}, {u"count"_s, 1}}});
    const QByteArray embed = json({{u"model"_s, u"m"_s}, {u"input"_s, u"a"_s}});
    HttpSession session;
    const HttpReply silent = session.postJson(mock->url().resolved(QUrl(u"/v1/embeddings"_s)), embed, {{}, 300, {}});
    QVERIFY(silent.timedOut);
    QCOMPARE(silent.status, 0);
    const HttpReply dropped = postJson(mock->url(), u"/v1/embeddings"_s, embed);
    QCOMPARE(dropped.status, 0);
    QCOMPARE(dropped.error, QNetworkReply::RemoteHostClosedError);
    const HttpReply garbled = postJson(mock->url(), u"/v1/embeddings"_s, embed);
    QCOMPARE(garbled.status, 200);
    QVERIFY(QJsonDocument::fromJson(garbled.body).isNull());
    QCOMPARE(postJson(mock->url(), u"/v1/embeddings"_s, embed).status, 200);
}

void tst_MockServer::seedMakesFaultsReproducible()
{
    MockServerOptions options;
    options.failRate = 0.5;
    options.seed = 42;
    const auto first = startMock(options);
    const auto second = startMock(options);
    options.seed = 43;
    const auto other = startMock(options);
    const QList<int> statuses = statusesOf(*first, 24);
    QCOMPARE(statusesOf(*second, 24), statuses);
    QVERIFY(statuses.contains(200) && (statuses.contains(500) || statuses.contains(503)));
    QVERIFY(statusesOf(*other, 24) != statuses);
}

void tst_MockServer::parsesAsTheLlamaParseSdkUploads_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::newRow("documented route") << u"/api/v1/parsing"_s;
    QTest::newRow("sdk route") << u"/api/parsing"_s;
}

void tst_MockServer::parsesAsTheLlamaParseSdkUploads()
{
    QFETCH(QString, prefix);
    QTemporaryDir dir;
    const GeneratedDocument pdf = writePdf(dir.path(), u"three.pdf"_s, 3, 5);
    QFile file(pdf.path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    MockServerOptions options;
    options.parseMs = 50;
    const auto mock = startMock(options);

    const HttpReply upload = sdkUpload(mock->url(), prefix, bytes, "three.pdf", "\n@@page@@\n");
    QCOMPARE(upload.status, 200);
    const QString id = jsonOf(upload).value(u"id"_s).toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(jsonOf(upload).value(u"status"_s).toString(), u"PENDING"_s);
    QTRY_COMPARE(jobStatus(mock->url(), prefix, id), u"SUCCESS"_s);

    const auto local = Stages::LocalParser().parse({bytes, u"three.pdf"_s}, {});
    QVERIFY(local.ok());
    const QJsonObject markdown = jsonOf(get(mock->url(), prefix + u"/job/%1/result/markdown"_s.arg(id)));
    const QStringList pages = markdown.value(u"markdown"_s).toString().split(u"\n@@page@@\n"_s);
    QCOMPARE(pages.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(pages.at(i), local.value().pages.at(i).text);
    QCOMPARE(markdown.value(u"job_metadata"_s).toObject().value(u"job_pages"_s).toInt(), 3);
    const QJsonArray jsonPages
        = jsonOf(get(mock->url(), prefix + u"/job/%1/result/json"_s.arg(id))).value(u"pages"_s).toArray();
    QCOMPARE(jsonPages.size(), 3);
    QCOMPARE(jsonPages.at(2).toObject().value(u"page"_s).toInt(), 3);
    QCOMPARE(jsonPages.at(2).toObject().value(u"md"_s).toString(), local.value().pages.at(2).text);
    QCOMPARE(get(mock->url(), prefix + u"/job/not-a-job"_s).status, 404);
    QCOMPARE(mock->stats().parseJobs, 1);
}

void tst_MockServer::parseJobFaults()
{
    MockServerOptions options;
    options.parseMs = 0;
    const auto mock = startMock(options);
    const QString prefix = u"/api/v1/parsing"_s;
    mock->setFaults(
        QJsonArray{QJsonObject{{u"route"_s, u"parse_upload"_s}, {u"fault"_s, u"never_finish"_s}, {u"count"_s, 1}},
                   QJsonObject{{u"route"_s, u"parse_upload"_s}, {u"fault"_s, u"job_failed"_s}, {u"count"_s, 1}}});
    const QString stuck = jsonOf(sdkUpload(mock->url(), prefix, "plain text", "a.txt", "\n")).value(u"id"_s).toString();
    const QString failing
        = jsonOf(sdkUpload(mock->url(), prefix, "plain text", "b.txt", "\n")).value(u"id"_s).toString();
    const QString fine = jsonOf(sdkUpload(mock->url(), prefix, "plain text", "c.txt", "\n")).value(u"id"_s).toString();
    QTRY_COMPARE(jobStatus(mock->url(), prefix, fine), u"SUCCESS"_s);
    QTRY_COMPARE(jobStatus(mock->url(), prefix, failing), u"ERROR"_s);
    QVERIFY(jsonOf(get(mock->url(), prefix + u"/job/"_s + failing))
                .value(u"error_message"_s)
                .toString()
                .contains(u"job_failed"_s));
    QCOMPARE(jobStatus(mock->url(), prefix, stuck), u"PENDING"_s); // the others are done: this one never will be
    QCOMPARE(get(mock->url(), prefix + u"/job/%1/result/markdown"_s.arg(stuck)).status, 404);

    // A document the parser cannot read ends the job in ERROR with the parser's reason.
    const QString empty = jsonOf(sdkUpload(mock->url(), prefix, QByteArray("\x89PNG\r\n\x1a\n", 8), "image.png", "\n"))
                              .value(u"id"_s)
                              .toString();
    QTRY_COMPARE(jobStatus(mock->url(), prefix, empty), u"ERROR"_s);
}

void tst_MockServer::outageRefusesConnectionsThenRecovers()
{
    const auto mock = startMock();
    QCOMPARE(postJson(mock->url(), u"/_mock/outage?seconds=1"_s, {}).status, 200);
    QTRY_COMPARE(get(mock->url(), u"/_mock/stats"_s).error, QNetworkReply::ConnectionRefusedError);
    QTRY_COMPARE_WITH_TIMEOUT(get(mock->url(), u"/_mock/stats"_s).status, 200, 10000);
    QCOMPARE(mock->stats().outages, 1);
}

void tst_MockServer::cliAnnouncesItsUrlFirst()
{
    QProcess process;
    process.start(qEnvironmentVariable("DOCPIPE_CLI"),
                  {u"mock-server"_s, u"--port"_s, u"0"_s, u"--seed"_s, u"7"_s, u"--dimensions"_s, u"64"_s});
    QVERIFY(process.waitForStarted());
    QVERIFY(QTest::qWaitFor([&] { return process.canReadLine(); }, 10000));
    const QString line = QString::fromUtf8(process.readLine()).trimmed();
    QVERIFY2(line.startsWith(u"listening on http://127.0.0.1:"_s), qPrintable(line));
    const QUrl url(line.mid(int(qstrlen("listening on "))));
    QVERIFY(url.port() > 0);
    const HttpReply reply = postJson(url, u"/v1/embeddings"_s, json({{u"model"_s, u"m"_s}, {u"input"_s, u"a"_s}}));
    QCOMPARE(reply.status, 200);
    QCOMPARE(jsonOf(reply).value(u"data"_s).toArray().at(0).toObject().value(u"embedding"_s).toArray().size(), 64);
    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);

    QProcess bad;
    bad.start(qEnvironmentVariable("DOCPIPE_CLI"), {u"mock-server"_s, u"--fail-rate"_s, u"2"_s});
    QVERIFY(bad.waitForFinished(10000));
    QCOMPARE(bad.exitCode(), 2);
    QVERIFY(bad.readAllStandardError().contains("--fail-rate must be a number from 0 to 1"));
}

QTEST_MAIN(tst_MockServer)
#include "tst_mockserver.moc"
