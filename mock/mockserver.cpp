#include "mockserver.h"

#include "mockanswer.h"
#include "mockembeddings.h"
#include "mockparsejobs.h"
#include "services/ratelimitheaders.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <cmath>

namespace Docpipe::Services {

namespace {

using Method = QHttpServerRequest::Method;

QJsonObject countsJson(const auto &map)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(QVariant(it.key()).toString(), it.value());
    return object;
}

// OpenAI echoes a rejected key masked like this; our clients must not repeat even that.
QString maskedKey(const QString &key)
{
    if (key.size() <= 8)
        return QStringLiteral("****");
    return key.left(4) + QString(key.size() - 8, u'*') + key.right(4);
}

// The answers of the HTTP-status faults, in each API's own shape.
std::optional<MockAnswer> statusFault(MockFault fault, MockRoute route, const QString &model)
{
    const bool openAi = route == MockRoute::Embeddings;
    const auto answer = [openAi](int status, const QString &message, const QString &type, const QString &code = {}) {
        return openAi ? MockAnswer::openAiError(status, message, type, code) : MockAnswer::llamaError(status, message);
    };
    switch (fault) {
    case MockFault::Http500:
        return answer(500, QStringLiteral("The server had an error while processing your request. Sorry about that!"),
                      QStringLiteral("server_error"));
    case MockFault::Http503:
        return answer(503, QStringLiteral("The engine is currently overloaded, please try again later."),
                      QStringLiteral("server_error"));
    case MockFault::AuthRejected:
        return answer(401, QStringLiteral("Invalid authentication credentials"),
                      QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key"));
    case MockFault::Forbidden:
        return answer(403, QStringLiteral("You are not allowed to use this resource with this key."),
                      QStringLiteral("invalid_request_error"));
    case MockFault::InsufficientQuota:
        return openAi
            ? MockAnswer::openAiError(
                429, QStringLiteral("You exceeded your current quota, please check your plan and billing details."),
                QStringLiteral("insufficient_quota"), QStringLiteral("insufficient_quota"))
            : MockAnswer::llamaError(402, QStringLiteral("You have no credits left. Please upgrade your plan."));
    case MockFault::ModelNotFound:
        return MockAnswer::openAiError(
            404, QStringLiteral("The model `%1` does not exist or you do not have access to it.").arg(model),
            QStringLiteral("invalid_request_error"), QStringLiteral("model_not_found"));
    case MockFault::BadRequest:
        return answer(400, QStringLiteral("The request was refused by the mock (fault bad_request)."),
                      QStringLiteral("invalid_request_error"));
    case MockFault::PayloadTooLarge:
        return answer(413, QStringLiteral("Request entity too large."), QStringLiteral("invalid_request_error"));
    case MockFault::Unprocessable:
        return answer(422, QStringLiteral("The request could not be processed (fault unprocessable)."),
                      QStringLiteral("invalid_request_error"));
    default:
        return std::nullopt;
    }
}

} // namespace

QJsonObject MockStats::toJson() const
{
    return {{QStringLiteral("requests"), requests},
            {QStringLiteral("by_route"), countsJson(byRoute)},
            {QStringLiteral("by_status"), countsJson(byStatus)},
            {QStringLiteral("faults"), countsJson(faults)},
            {QStringLiteral("rate_limited"), rateLimited},
            {QStringLiteral("refused_after_first_429"), refusedAfterFirst429},
            {QStringLiteral("first_429_at_ms"), first429AtMs},
            {QStringLiteral("embedded_inputs"), embeddedInputs},
            {QStringLiteral("embedded_tokens"), embeddedTokens},
            {QStringLiteral("parse_jobs"), parseJobs},
            {QStringLiteral("outages"), outages}};
}

MockServer::MockServer(const MockServerOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_http(std::make_unique<QHttpServer>())
    , m_faults(options.seed, options.failRate)
    , m_jobs(std::make_unique<MockParseJobs>(options.parseMs))
{
    m_clock.start();
    const double burstMs = std::max(1, options.burstSeconds) * 1000.0;
    m_embedRequests = {double(std::max(0, options.requestsPerMinute)), burstMs, 0};
    m_embedTokens = {double(std::max(0, options.tokensPerMinute)), burstMs, 0};
    m_parseRequests = m_embedRequests;
    addRoutes();
    addControlRoutes();
}

MockServer::~MockServer()
{
    m_held.clear();
}

bool MockServer::listen(QString *error)
{
    m_listener = new QTcpServer(m_http.get());
    if (!m_listener->listen(QHostAddress(m_options.host), m_options.port)) {
        if (error)
            *error = QStringLiteral("cannot listen on %1:%2: %3")
                         .arg(m_options.host)
                         .arg(m_options.port)
                         .arg(m_listener->errorString());
        return false;
    }
    m_port = m_listener->serverPort();
    m_http->bind(m_listener);
    return true;
}

QUrl MockServer::url() const
{
    return QUrl(QStringLiteral("http://%1:%2").arg(m_options.host).arg(m_port));
}

quint16 MockServer::port() const
{
    return m_port;
}

std::optional<QString> MockServer::setFaults(const QJsonArray &rules)
{
    return m_faults.setRules(rules);
}

void MockServer::clearFaults()
{
    m_faults.clear();
}

void MockServer::resetStats()
{
    m_stats = {};
}

void MockServer::addRoutes()
{
    m_http->route(QStringLiteral("/v1/embeddings"), Method::Post,
                  [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                      serve(MockRoute::Embeddings, request, std::move(responder),
                            [this, &request](MockFault fault) { return embeddings(request, fault); });
                  });
    // The official SDK uses /api/parsing/..., the documentation /api/v1/parsing/...: serve both.
    for (const QString &prefix : {QStringLiteral("/api/v1/parsing"), QStringLiteral("/api/parsing")}) {
        m_http->route(
            prefix + QStringLiteral("/upload"), Method::Post,
            [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                serve(MockRoute::ParseUpload, request, std::move(responder), [this, &request](MockFault fault) {
                    return parsing([&] {
                        MockAnswer answer = m_jobs->upload(request.value("Content-Type"), request.body(), fault);
                        m_stats.parseJobs = m_jobs->jobCount();
                        return answer;
                    });
                });
            });
        m_http->route(prefix + QStringLiteral("/job/<arg>"), Method::Get,
                      [this](const QString &id, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                          serve(MockRoute::ParseStatus, request, std::move(responder),
                                [this, id](MockFault) { return parsing([&] { return m_jobs->status(id); }); });
                      });
        m_http->route(prefix + QStringLiteral("/job/<arg>/result/<arg>"), Method::Get,
                      [this](const QString &id, const QString &kind, const QHttpServerRequest &request,
                             QHttpServerResponder &&responder) {
                          serve(MockRoute::ParseResult, request, std::move(responder), [this, id, kind](MockFault) {
                              return parsing([&] { return m_jobs->result(id, kind); });
                          });
                      });
    }
    addParseV2Routes();
    m_http->setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        deliver(std::move(responder),
                MockAnswer::openAiError(404, QStringLiteral("Invalid URL (%1)").arg(request.url().path()),
                                        QStringLiteral("invalid_request_error")),
                true);
    });
}

// LlamaParse v2. A GET that expands results counts as parse_result (it is the fetch), a plain one
// as parse_status, so faults aim at either as in v1.
void MockServer::addParseV2Routes()
{
    const QString prefix = QStringLiteral("/api/v2/parse");
    m_http->route(prefix + QStringLiteral("/upload"), Method::Post,
                  [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                      serve(MockRoute::ParseUpload, request, std::move(responder), [this, &request](MockFault fault) {
                          return parsing([&] {
                              MockAnswer answer
                                  = m_jobs->uploadV2(request.value("Content-Type"), request.body(), fault);
                              m_stats.parseJobs = m_jobs->jobCount();
                              return answer;
                          });
                      });
                  });
    m_http->route(prefix + QStringLiteral("/<arg>"), Method::Get,
                  [this](const QString &id, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                      // The SDK repeats the parameter (expand=a&expand=b); a comma list is read too.
                      QStringList expand;
                      for (const QString &value : request.query().allQueryItemValues(QStringLiteral("expand")))
                          expand << value.split(u',', Qt::SkipEmptyParts);
                      const MockRoute route = expand.isEmpty() ? MockRoute::ParseStatus : MockRoute::ParseResult;
                      serve(route, request, std::move(responder), [this, id, expand](MockFault) {
                          return parsing([&] { return m_jobs->getV2(id, expand); });
                      });
                  });
    m_http->route(prefix + QStringLiteral("/<arg>/cancel"), Method::Post,
                  [this](const QString &id, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                      serve(MockRoute::ParseCancel, request, std::move(responder),
                            [this, id](MockFault) { return parsing([&] { return m_jobs->cancelV2(id); }); });
                  });
}

void MockServer::addControlRoutes()
{
    m_http->route(QStringLiteral("/_mock/stats"), Method::Get,
                  [this] { return QHttpServerResponse(m_stats.toJson()); });
    m_http->route(QStringLiteral("/_mock/faults"), Method::Get, [this] {
        return QHttpServerResponse(QJsonObject{{QStringLiteral("faults"), m_faults.rulesJson()}});
    });
    m_http->route(QStringLiteral("/_mock/faults"), Method::Post, [this](const QHttpServerRequest &request) {
        const QJsonArray rules
            = QJsonDocument::fromJson(request.body()).object().value(QStringLiteral("faults")).toArray();
        if (const auto problem = m_faults.setRules(rules))
            return QHttpServerResponse(QJsonObject{{QStringLiteral("error"), *problem}},
                                       QHttpServerResponse::StatusCode::BadRequest);
        return QHttpServerResponse(QJsonObject{{QStringLiteral("faults"), m_faults.rulesJson()}});
    });
    m_http->route(QStringLiteral("/_mock/faults"), Method::Delete, [this] {
        m_faults.clear();
        return QHttpServerResponse(QJsonObject{{QStringLiteral("faults"), QJsonArray()}});
    });
    m_http->route(QStringLiteral("/_mock/outage"), Method::Post,
                  [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                      const double seconds = request.query().queryItemValue(QStringLiteral("seconds")).toDouble();
                      QTcpSocket *socket = responder.socket();
                      responder.write(QJsonDocument(QJsonObject{{QStringLiteral("down_for_seconds"), seconds}}));
                      socket->flush(); // the answer leaves before every connection is cut
                      startOutage(int(seconds * 1000));
                  });
    m_http->route(QStringLiteral("/_mock/reset"), Method::Post, [this] {
        m_stats = {};
        m_faults.clear();
        m_blockedUntil.clear();
        for (RateWindow *window : {&m_embedRequests, &m_embedTokens, &m_parseRequests})
            window->fullAt = 0;
        return QHttpServerResponse(QJsonObject{{QStringLiteral("reset"), true}});
    });
}

void MockServer::startOutage(int ms)
{
    if (!m_listener)
        return;
    ++m_stats.outages;
    m_listener->close();
    m_held.clear();
    for (QTcpSocket *socket : m_listener->findChildren<QTcpSocket *>())
        socket->abort();
    QTimer::singleShot(std::max(0, ms), this, [this] {
        if (!m_listener->listen(QHostAddress(m_options.host), m_port))
            qWarning("mock server: cannot listen again on port %u: %s", m_port, qPrintable(m_listener->errorString()));
    });
}

void MockServer::serve(MockRoute route, const QHttpServerRequest &request, QHttpServerResponder &&responder,
                       const std::function<MockAnswer(MockFault)> &work)
{
    ++m_stats.requests;
    ++m_stats.byRoute[routeName(route)];
    std::erase_if(m_held, [](const Held &held) { return held.socket.isNull(); });
    const FaultDecision decision = m_faults.decide(route);
    if (decision.fault != MockFault::None)
        ++m_stats.faults[faultName(decision.fault)];
    switch (decision.fault) {
    case MockFault::Timeout:
        return holdForever(std::move(responder));
    case MockFault::Drop:
        responder.socket()->abort();
        return;
    case MockFault::RateLimited: {
        MockAnswer answer
            = MockAnswer::openAiError(429,
                                      QStringLiteral("Rate limit reached (fault http_429). Please try again in %1.")
                                          .arg(QString::fromLatin1(formatGoDuration(decision.retryAfterMs))),
                                      QStringLiteral("requests"), QStringLiteral("rate_limit_exceeded"));
        answer.headers << std::pair{QByteArray("retry-after"), QByteArray::number((decision.retryAfterMs + 999) / 1000)}
                       << std::pair{QByteArray("retry-after-ms"), QByteArray::number(decision.retryAfterMs)};
        // The announced wait is real: requests before it are refused like any over the limit.
        const Api api = route == MockRoute::Embeddings ? Api::Embeddings : Api::Parsing;
        m_blockedUntil[api] = std::max(m_blockedUntil.value(api), nowMs() + decision.retryAfterMs);
        addRateHeaders(answer, api);
        count429(false);
        return deliver(std::move(responder), answer);
    }
    default:
        break;
    }
    const QString model = route == MockRoute::Embeddings
        ? QJsonDocument::fromJson(request.body()).object().value(QStringLiteral("model")).toString()
        : QString();
    if (auto answer = statusFault(decision.fault, route, model))
        return deliver(std::move(responder), *answer);
    if (auto refused = checkKey(request, route))
        return deliver(std::move(responder), *refused);
    MockAnswer answer = work(decision.fault);
    if (decision.fault == MockFault::MalformedJson && answer.status == 200)
        answer.body.chop(answer.body.size() / 2);
    deliver(std::move(responder), answer);
}

std::optional<MockAnswer> MockServer::checkKey(const QHttpServerRequest &request, MockRoute route) const
{
    if (m_options.apiKeys.isEmpty())
        return std::nullopt;
    const QByteArray authorization = request.value("Authorization");
    const QString given
        = authorization.startsWith("Bearer ") ? QString::fromUtf8(authorization.mid(7)).trimmed() : QString();
    if (m_options.apiKeys.contains(given))
        return std::nullopt;
    if (route != MockRoute::Embeddings)
        return MockAnswer::llamaError(401, QStringLiteral("Invalid authentication token"));
    const QString message = given.isEmpty() ? QStringLiteral("You didn't provide an API key. You need to provide your "
                                                             "API key in an Authorization header using Bearer auth.")
                                            : QStringLiteral("Incorrect API key provided: %1. You can find your API "
                                                             "key at https://platform.openai.com/account/api-keys.")
                                                  .arg(maskedKey(given));
    return MockAnswer::openAiError(401, message, QStringLiteral("invalid_request_error"),
                                   QStringLiteral("invalid_api_key"));
}

MockAnswer MockServer::parsing(const std::function<MockAnswer()> &work)
{
    if (auto refused = admit(Api::Parsing, 0, {}))
        return *refused;
    MockAnswer answer = work();
    addRateHeaders(answer, Api::Parsing);
    return answer;
}

MockAnswer MockServer::embeddings(const QHttpServerRequest &request, MockFault fault)
{
    auto read = readEmbeddingsRequest(request.body(), m_options.dimensions, m_options.base64);
    if (auto *refused = std::get_if<MockAnswer>(&read))
        return *refused;
    const auto &accepted = std::get<MockEmbeddingsRequest>(read);
    if (auto refused = admit(Api::Embeddings, double(accepted.tokens), accepted.model))
        return *refused;
    m_stats.embeddedInputs += accepted.inputs.size();
    m_stats.embeddedTokens += accepted.tokens;
    MockAnswer answer = embeddingsAnswer(accepted, fault);
    addRateHeaders(answer, Api::Embeddings);
    return answer;
}

// The limits, as OpenAI applies them: a request that does not fit now is refused with the time
// until it would fit; so is every request inside a Retry-After the server announced.
std::optional<MockAnswer> MockServer::admit(Api api, double tokens, const QString &model)
{
    const double now = nowMs();
    RateWindow &requests = api == Api::Embeddings ? m_embedRequests : m_parseRequests;
    RateWindow *tokenWindow = api == Api::Embeddings ? &m_embedTokens : nullptr;
    const bool requestsFit = requests.fits(now, 1);
    const bool tokensFit = !tokenWindow || tokenWindow->fits(now, tokens);
    const double blockedFor = m_blockedUntil.value(api) - now;
    if (requestsFit && tokensFit && blockedFor <= 0) {
        requests.charge(now, 1);
        if (tokenWindow)
            tokenWindow->charge(now, tokens);
        return std::nullopt;
    }
    const double waitMs = std::max({blockedFor, requests.earliest(now, 1) - now,
                                    tokenWindow ? tokenWindow->earliest(now, tokens) - now : 0.0, 1.0});
    const qint64 wait = qint64(std::ceil(waitMs));
    const bool onTokens = !tokensFit;
    const RateWindow &window = onTokens ? *tokenWindow : requests;
    const QString unit = onTokens ? QStringLiteral("tokens per min (TPM)") : QStringLiteral("requests per min (RPM)");
    MockAnswer answer = api == Api::Embeddings
        ? MockAnswer::openAiError(
            429,
            QStringLiteral("Rate limit reached for %1 in organization org-mock on %2: Limit %3, Used %4, Requested %5. "
                           "Please try again in %6.")
                .arg(model, unit)
                .arg(qint64(window.perMinute))
                .arg(qint64(window.capacity() - window.remaining(now)))
                .arg(onTokens ? qint64(tokens) : 1)
                .arg(QString::fromLatin1(formatGoDuration(wait))),
            onTokens ? QStringLiteral("tokens") : QStringLiteral("requests"), QStringLiteral("rate_limit_exceeded"))
        : MockAnswer::llamaError(429, QStringLiteral("Too many requests"));
    answer.headers << std::pair{QByteArray("retry-after"), QByteArray::number((wait + 999) / 1000)}
                   << std::pair{QByteArray("retry-after-ms"), QByteArray::number(wait)};
    addRateHeaders(answer, api);
    count429(true);
    return answer;
}

// LlamaParse itself sends no such headers; the mock announces its parse limit the same way as
// the embeddings one, so clients can pace by it.
void MockServer::addRateHeaders(MockAnswer &answer, Api api) const
{
    const double now = nowMs();
    const auto add = [&](const char *what, const RateWindow &window) {
        if (!window.isLimited())
            return;
        const QByteArray suffix(what);
        answer.headers << std::pair{"x-ratelimit-limit-" + suffix, QByteArray::number(qint64(window.perMinute))}
                       << std::pair{"x-ratelimit-remaining-" + suffix,
                                    QByteArray::number(qint64(std::floor(window.remaining(now))))}
                       << std::pair{"x-ratelimit-reset-" + suffix,
                                    formatGoDuration(qint64(std::ceil(window.backlogMs(now))))};
    };
    if (api == Api::Parsing) {
        add("requests", m_parseRequests);
        return;
    }
    add("requests", m_embedRequests);
    add("tokens", m_embedTokens);
}

void MockServer::count429(bool refusedByLimit)
{
    if (refusedByLimit) {
        ++m_stats.rateLimited;
        if (m_stats.first429AtMs >= 0)
            ++m_stats.refusedAfterFirst429;
    }
    if (m_stats.first429AtMs < 0)
        m_stats.first429AtMs = qint64(nowMs());
}

void MockServer::deliver(QHttpServerResponder &&responder, MockAnswer answer, bool immediately)
{
    ++m_stats.byStatus[answer.status];
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    const QPointer<QTcpSocket> socket = held->socket();
    const auto send = [held, socket, answer = std::move(answer)] {
        // The client may have gone (timed out, aborted) while the answer waited.
        if (!socket || socket->state() != QAbstractSocket::ConnectedState)
            return;
        QHttpServerResponse response(QByteArrayLiteral("application/json"), answer.body,
                                     QHttpServerResponse::StatusCode(answer.status));
        for (const auto &[name, value] : answer.headers)
            response.addHeader(name, value);
        response.write(std::move(*held));
    };
    const int delay = immediately ? 0 : m_options.latencyMs + m_faults.jitter(m_options.jitterMs);
    if (delay <= 0)
        send();
    else
        QTimer::singleShot(delay, this, send);
}

void MockServer::holdForever(QHttpServerResponder &&responder)
{
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    m_held.push_back({held->socket(), held});
}

} // namespace Docpipe::Services
