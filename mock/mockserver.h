// Docpipe's stand-in for LlamaParse (v1 upload, job, result routes, also under the SDK's
// /api/parsing prefix; v2 upload, job with expand, cancel) and OpenAI's /v1/embeddings, on loopback, faithful enough in
// shape that the real clients (ours and the official SDKs) cannot tell the difference. It injects latency, rate limits
// (429 with Retry-After and x-ratelimit-* headers), 5xx answers, timeouts, dropped connections, malformed or wrong
// answers, never-ending parse jobs and outages, reproducibly from a seed. A small control API under /_mock serves
// tests: GET stats, POST/DELETE faults, POST outage?seconds=N, POST reset. Used in-process by tests and as `docpipe-cli
// mock-server`.
#pragma once

#include "mockfaults.h"
#include "services/ratewindow.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QTcpServer;
class QTcpSocket;
QT_END_NAMESPACE

namespace Docpipe::Services {

class MockParseJobs;
struct MockAnswer;

struct MockServerOptions
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0; // 0: any free port
    int latencyMs = 0;
    int jitterMs = 0; // added to the latency: uniform in [0, jitterMs]
    double failRate = 0; // share of API requests answered 500 or 503
    int requestsPerMinute = 0; // 0: no limit (per API: embeddings and parsing apart)
    int tokensPerMinute = 0; // embeddings only
    int burstSeconds = 60; // allowance that may pile up, as OpenAI's reset headers tell
    quint32 seed = 1;
    int dimensions = 1536; // when a request names none
    int parseMs = 200; // least time a parse job stays PENDING
    QStringList apiKeys; // the keys accepted; empty: any key (or none)
    bool base64 = true; // false: refuse encoding_format "base64", as older servers do
};

struct MockStats
{
    qint64 requests = 0; // API requests (the /_mock routes not counted)
    QMap<QString, qint64> byRoute;
    QMap<int, qint64> byStatus; // answers sent
    QMap<QString, qint64> faults; // injected, by name
    qint64 rateLimited = 0; // refused by the limits, or inside an announced Retry-After
    qint64 refusedAfterFirst429 = 0; // of those, arrived after the first 429 had been sent
    qint64 first429AtMs = -1; // since the server started
    qint64 embeddedInputs = 0; // in accepted embedding requests
    qint64 embeddedTokens = 0;
    qint64 parseJobs = 0;
    qint64 outages = 0;

    QJsonObject toJson() const;
};

class MockServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MockServer)

public:
    explicit MockServer(const MockServerOptions &options, QObject *parent = nullptr);
    ~MockServer() override;

    // Starts listening; false with `error` set when the address cannot be bound.
    bool listen(QString *error = nullptr);
    QUrl url() const; // http://host:port, valid after listen()
    quint16 port() const;

    std::optional<QString> setFaults(const QJsonArray &rules);
    void clearFaults();
    // Closes the listener and every connection, and listens again after `ms`.
    void startOutage(int ms);
    MockStats stats() const { return m_stats; }
    void resetStats();

private:
    enum class Api { Embeddings, Parsing };

    void addRoutes();
    void addParseV2Routes();
    void addControlRoutes();
    void serve(MockRoute route, const QHttpServerRequest &request, QHttpServerResponder &&responder,
               const std::function<MockAnswer(MockFault)> &work);
    MockAnswer embeddings(const QHttpServerRequest &request, MockFault fault);
    // A LlamaParse call within the parse limit.
    MockAnswer parsing(const std::function<MockAnswer()> &work);
    std::optional<MockAnswer> admit(Api api, double tokens, const QString &model);
    std::optional<MockAnswer> checkKey(const QHttpServerRequest &request, MockRoute route) const;
    void addRateHeaders(MockAnswer &answer, Api api) const;
    void deliver(QHttpServerResponder &&responder, MockAnswer answer, bool immediately = false);
    void holdForever(QHttpServerResponder &&responder);
    void count429(bool refusedByLimit);
    double nowMs() const { return double(m_clock.elapsed()); }

    MockServerOptions m_options;
    std::unique_ptr<QHttpServer> m_http;
    QTcpServer *m_listener = nullptr;
    quint16 m_port = 0;
    FaultPlan m_faults;
    std::unique_ptr<MockParseJobs> m_jobs;
    QElapsedTimer m_clock;
    RateWindow m_embedRequests;
    RateWindow m_embedTokens;
    RateWindow m_parseRequests;
    QMap<Api, double> m_blockedUntil;
    MockStats m_stats;
    struct Held
    {
        QPointer<QTcpSocket> socket;
        std::shared_ptr<QHttpServerResponder> responder;
    };
    std::vector<Held> m_held; // "timeout" answers: kept until the client gives up
};

} // namespace Docpipe::Services
