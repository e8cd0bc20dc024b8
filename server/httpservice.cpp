#include "httpservice.h"

#include "apiroutes.h"
#include "metrics/processcounters.h"
#include "metricspage.h"
#include "monitoring/readiness.h"
#include "requestgate.h"
#include "uploadreceiver.h"

#include <QDateTime>
#include <QHttpServer>
#include <QJsonDocument>
#include <QJsonObject>

namespace Docpipe::Server {

namespace {

constexpr qint64 kStalledLoopMs = 10000;

QHttpServerResponse methodNotAllowed(const char *allowed)
{
    QHttpServerResponse response = jsonError(405, QStringLiteral("method_not_allowed"),
                                             QStringLiteral("this path accepts %1").arg(QLatin1String(allowed)));
    response.setHeader("Allow", allowed);
    return response;
}

} // namespace

QHttpServerResponse jsonError(int status, const QString &code, const QString &message)
{
    const QJsonObject error{
        {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}}}};
    return QHttpServerResponse(error, static_cast<QHttpServerResponse::StatusCode>(status));
}

HttpService::HttpService(const ServiceOptions &options, std::shared_ptr<MainLoopPulse> pulse, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_tokens(ApiTokens::parse(options.config.server.apiToken))
    , m_pulse(std::move(pulse))
    , m_http(new QHttpServer(this))
    , m_gate(
          new RequestGate({options.config.server.maxConnections, 16 * 1024, 1024 * 1024, options.idleTimeoutMs}, this))
    , m_metrics(std::make_unique<MetricsPage>(options.config, options.role))
{
    addProbeRoutes();
    m_uploads = std::make_unique<UploadReceiver>(this);
    m_gate->streamRoute("POST", "/v1/documents",
                        [this](QTcpSocket *socket, const RequestHead &head) { m_uploads->accept(socket, head); });
    ApiRoutes::add(this, m_http);
    m_http->setMissingHandler([](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        Metrics::count(
            Metrics::Counter::HttpRequests,
            {{QStringLiteral("route"), QStringLiteral("other")}, {QStringLiteral("code"), QStringLiteral("404")}});
        const QJsonObject error{{QStringLiteral("error"),
                                 QJsonObject{{QStringLiteral("code"), QStringLiteral("not_found")},
                                             {QStringLiteral("message"),
                                              QStringLiteral("no such resource: %1").arg(request.url().path())}}}};
        responder.write(QJsonDocument(error), QHttpServerResponder::StatusCode::NotFound);
    });
}

HttpService::~HttpService() = default;

QString HttpService::refusal(const ServiceOptions &options)
{
    if (!options.address.isLoopback() && ApiTokens::parse(options.config.server.apiToken).isEmpty())
        return QStringLiteral("refusing to serve on %1 without an API token: set DOCPIPE_API_TOKEN (or "
                              "server/api_token), or listen on loopback (--listen PORT binds 127.0.0.1)")
            .arg(options.address.toString());
    return {};
}

bool HttpService::listen(QString *error)
{
    if (const QString refused = refusal(m_options); !refused.isEmpty()) {
        *error = refused;
        return false;
    }
    if (!m_gate->listen(m_options.address.host, m_options.address.port)) {
        *error = QStringLiteral("cannot listen on %1: %2").arg(m_options.address.toString(), m_gate->errorString());
        return false;
    }
    m_http->bind(m_gate);
    return true;
}

quint16 HttpService::port() const
{
    return m_gate->serverPort();
}

std::optional<QString> HttpService::authorizeHeader(const QByteArray &authorization, bool probe) const
{
    if (m_tokens.isEmpty()) // only possible on loopback (see refusal())
        return QStringLiteral("local");
    if (probe && m_options.config.server.openProbes)
        return QStringLiteral("probe");
    return m_tokens.labelFor(authorization);
}

std::optional<QString> HttpService::authorize(const QHttpServerRequest &request, bool probe) const
{
    return authorizeHeader(request.value("Authorization"), probe);
}

void HttpService::addProbeRoutes()
{
    const auto counted = [](const char *route, int code) {
        Metrics::count(
            Metrics::Counter::HttpRequests,
            {{QStringLiteral("route"), QLatin1String(route)}, {QStringLiteral("code"), QString::number(code)}});
    };
    m_http->route(QStringLiteral("/healthz"), [this, counted](const QHttpServerRequest &request) {
        if (request.method() != QHttpServerRequest::Method::Get && request.method() != QHttpServerRequest::Method::Head)
            return methodNotAllowed("GET, HEAD");
        if (!authorize(request, true))
            return jsonError(401, QStringLiteral("unauthorized"), QStringLiteral("a valid bearer token is needed"));
        const qint64 silentMs = QDateTime::currentMSecsSinceEpoch() - m_pulse->load();
        if (silentMs > kStalledLoopMs) {
            counted("/healthz", 503);
            return QHttpServerResponse("text/plain",
                                       QStringLiteral("stalled: the main event loop has not answered for %1 s\n")
                                           .arg(silentMs / 1000)
                                           .toUtf8(),
                                       QHttpServerResponse::StatusCode::ServiceUnavailable);
        }
        counted("/healthz", 200);
        return QHttpServerResponse("text/plain", QByteArray("ok\n"));
    });
    m_http->route(QStringLiteral("/readyz"), [this, counted](const QHttpServerRequest &request) {
        if (request.method() != QHttpServerRequest::Method::Get && request.method() != QHttpServerRequest::Method::Head)
            return methodNotAllowed("GET, HEAD");
        if (!authorize(request, true))
            return jsonError(401, QStringLiteral("unauthorized"), QStringLiteral("a valid bearer token is needed"));
        const Monitoring::ReadinessReport report = Monitoring::checkReadiness(m_options.config);
        const int code = report.ready() ? 200 : 503;
        counted("/readyz", code);
        return QHttpServerResponse(Monitoring::readinessToJson(report),
                                   static_cast<QHttpServerResponse::StatusCode>(code));
    });
    m_http->route(QStringLiteral("/metrics"), [this, counted](const QHttpServerRequest &request) {
        if (request.method() != QHttpServerRequest::Method::Get)
            return methodNotAllowed("GET");
        if (!authorize(request, true))
            return jsonError(401, QStringLiteral("unauthorized"), QStringLiteral("a valid bearer token is needed"));
        auto text = m_metrics->render();
        if (!text) {
            counted("/metrics", 503);
            return jsonError(503, QStringLiteral("database_unavailable"), text.error().message);
        }
        counted("/metrics", 200);
        return QHttpServerResponse("text/plain; version=0.0.4; charset=utf-8", std::move(text).value());
    });
}

} // namespace Docpipe::Server
