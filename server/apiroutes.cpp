#include "apiroutes.h"

#include "httpservice.h"
#include "metrics/processcounters.h"
#include "store/alertstore.h"
#include "store/jobcontrol.h"
#include "store/jobqueries.h"
#include "store/recordjson.h"

#include <QFile>
#include <QHttpServer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace Docpipe::Server {

namespace {

using Method = QHttpServerRequest::Method;
using Response = QHttpServerResponse;

constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 1000;

Response json(const QJsonObject &object, int status = 200)
{
    return Response(object, static_cast<Response::StatusCode>(status));
}

Response notAllowed(const char *allowed)
{
    Response response = jsonError(405, QStringLiteral("method_not_allowed"),
                                  QStringLiteral("this path accepts %1").arg(QLatin1String(allowed)));
    response.setHeader("Allow", allowed);
    return response;
}

Response unauthorized()
{
    Response response = jsonError(401, QStringLiteral("unauthorized"),
                                  QStringLiteral("a valid bearer token is needed (Authorization: Bearer ...)"));
    response.setHeader("WWW-Authenticate", "Bearer");
    return response;
}

Response storeFailed(const StageError &error)
{
    return jsonError(503, QStringLiteral("database_unavailable"), error.message);
}

// The request's JSON object body; an empty body is an empty object. nullopt (and `error` set) when
// it is not a JSON object.
std::optional<QJsonObject> bodyObject(const QHttpServerRequest &request, Response *error)
{
    const QByteArray body = request.body();
    if (body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = jsonError(400, QStringLiteral("bad_json"),
                           QStringLiteral("the body is not JSON: %1 at offset %2")
                               .arg(parseError.errorString())
                               .arg(parseError.offset));
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = jsonError(400, QStringLiteral("bad_json"), QStringLiteral("the body must be a JSON object"));
        return std::nullopt;
    }
    return document.object();
}

// A boolean member (absent: `fallback`); nullopt and `error` when it has another type.
std::optional<bool> boolMember(const QJsonObject &object, const char *name, bool fallback, Response *error)
{
    const QJsonValue value = object.value(QLatin1String(name));
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isBool()) {
        *error = jsonError(400, QStringLiteral("bad_request"),
                           QStringLiteral("%1 must be true or false").arg(QLatin1String(name)));
        return std::nullopt;
    }
    return value.toBool();
}

// Only the members named may be present: a misspelt option is an error, not silently ignored.
bool onlyMembers(const QJsonObject &object, const QStringList &allowed, Response *error)
{
    for (const QString &key : object.keys()) {
        if (!allowed.contains(key)) {
            *error = jsonError(400, QStringLiteral("bad_request"),
                               QStringLiteral("unknown member '%1' (expected: %2)")
                                   .arg(key.left(100), allowed.join(QStringLiteral(", "))));
            return false;
        }
    }
    return true;
}

class Api final
{
public:
    explicit Api(HttpService *service)
        : m_service(service)
        , m_db(service->options().config.effectiveDatabaseUrl())
    { }

    // Wraps a handler: counts the request, checks the token, passes the caller's actor name.
    template <typename Handler>
    auto guarded(const char *route, Handler handler)
    {
        return [this, route, handler](const QHttpServerRequest &request) {
            Response response = [&] {
                const std::optional<QString> label = m_service->authorize(request, false);
                if (!label)
                    return unauthorized();
                return handler(request, QStringLiteral("api:%1@%2").arg(*label, request.remoteAddress().toString()));
            }();
            count(route, response);
            return response;
        };
    }
    template <typename Handler>
    auto guardedId(const char *route, Handler handler)
    {
        return [this, route, handler](qint64 id, const QHttpServerRequest &request) {
            Response response = [&] {
                const std::optional<QString> label = m_service->authorize(request, false);
                if (!label)
                    return unauthorized();
                return handler(id, request,
                               QStringLiteral("api:%1@%2").arg(*label, request.remoteAddress().toString()));
            }();
            count(route, response);
            return response;
        };
    }

    static void count(const char *route, const Response &response)
    {
        Metrics::count(Metrics::Counter::HttpRequests,
                       {{QStringLiteral("route"), QLatin1String(route)},
                        {QStringLiteral("code"), QString::number(int(response.statusCode()))}});
    }

    Response status(const QHttpServerRequest &request, const QString &)
    {
        if (request.method() != Method::Get)
            return notAllowed("GET");
        auto counts = Store::statusCounts(m_db);
        if (!counts)
            return storeFailed(counts.error());
        auto paused = Store::isPaused(m_db);
        if (!paused)
            return storeFailed(paused.error());
        QJsonObject body = Store::statusToJson(counts.value());
        body.insert(QStringLiteral("paused"), paused.value());
        return json(body);
    }

    Response jobs(const QHttpServerRequest &request, const QString &)
    {
        if (request.method() != Method::Get)
            return notAllowed("GET");
        const QUrlQuery query = request.query();
        Store::JobFilter filter;
        filter.limit = kDefaultPage;
        const auto number
            = [&](const QString &name, qint64 minimum, qint64 maximum, qint64 *out) -> std::optional<Response> {
            if (!query.hasQueryItem(name))
                return std::nullopt;
            bool ok = false;
            const qint64 value = query.queryItemValue(name).toLongLong(&ok);
            if (!ok || value < minimum || value > maximum)
                return jsonError(
                    400, QStringLiteral("bad_request"),
                    QStringLiteral("%1 must be an integer from %2 to %3").arg(name).arg(minimum).arg(maximum));
            *out = value;
            return std::nullopt;
        };
        qint64 limit = kDefaultPage;
        if (auto bad = number(QStringLiteral("limit"), 1, kMaxPage, &limit))
            return std::move(*bad);
        filter.limit = int(limit);
        if (auto bad = number(QStringLiteral("after_id"), 0, std::numeric_limits<qint64>::max(), &filter.afterId))
            return std::move(*bad);
        if (query.hasQueryItem(QStringLiteral("stage"))) {
            filter.stage = stageFromName(query.queryItemValue(QStringLiteral("stage")));
            if (!filter.stage)
                return jsonError(
                    400, QStringLiteral("bad_request"),
                    QStringLiteral("unknown stage '%1'").arg(query.queryItemValue(QStringLiteral("stage")).left(100)));
        }
        if (query.hasQueryItem(QStringLiteral("status"))) {
            filter.status = statusFromName(query.queryItemValue(QStringLiteral("status")));
            if (!filter.status)
                return jsonError(400, QStringLiteral("bad_request"),
                                 QStringLiteral("unknown status '%1'")
                                     .arg(query.queryItemValue(QStringLiteral("status")).left(100)));
        }
        auto jobs = Store::listJobs(m_db, filter);
        if (!jobs)
            return storeFailed(jobs.error());
        QJsonArray array;
        for (const Store::JobRecord &job : jobs.value())
            array.append(Store::jobToJson(job));
        QJsonObject body{{QStringLiteral("jobs"), array}};
        // A full page may have a next one: ask again with after_id.
        body.insert(QStringLiteral("next_after_id"),
                    jobs.value().size() == filter.limit ? QJsonValue(jobs.value().constLast().id) : QJsonValue());
        return json(body);
    }

    std::optional<Response> missingJob(qint64 id)
    {
        auto job = Store::findJob(m_db, id);
        if (!job)
            return storeFailed(job.error());
        if (!job.value())
            return jsonError(404, QStringLiteral("not_found"), QStringLiteral("no job %1").arg(id));
        return std::nullopt;
    }

    Response job(qint64 id, const QHttpServerRequest &request, const QString &)
    {
        if (request.method() != Method::Get)
            return notAllowed("GET");
        auto job = Store::findJob(m_db, id);
        if (!job)
            return storeFailed(job.error());
        if (!job.value())
            return jsonError(404, QStringLiteral("not_found"), QStringLiteral("no job %1").arg(id));
        auto events = Store::listEvents(m_db, {.jobId = id});
        if (!events)
            return storeFailed(events.error());
        QJsonArray array;
        for (const Store::JobEvent &event : events.value())
            array.append(Store::eventToJson(event));
        return json({{QStringLiteral("job"), Store::jobToJson(*job.value())}, {QStringLiteral("events"), array}});
    }

    Response chunks(qint64 id, const QHttpServerRequest &request, const QString &)
    {
        if (request.method() != Method::Get)
            return notAllowed("GET");
        if (auto missing = missingJob(id))
            return std::move(*missing);
        QJsonArray array;
        auto visited = Store::forEachChunk(m_db, id, [&](const Store::StoredChunk &row) {
            array.append(QJsonObject{{QStringLiteral("index"), row.chunk.index},
                                     {QStringLiteral("text"), row.chunk.text},
                                     {QStringLiteral("tokens"), row.chunk.tokens},
                                     {QStringLiteral("page_start"), row.chunk.pageStart},
                                     {QStringLiteral("page_end"), row.chunk.pageEnd},
                                     {QStringLiteral("model"), row.model},
                                     {QStringLiteral("dims"), row.dims}});
            return true;
        });
        if (!visited)
            return storeFailed(visited.error());
        return json({{QStringLiteral("job"), id}, {QStringLiteral("chunks"), array}});
    }

    Response retry(qint64 id, const QHttpServerRequest &request, const QString &actor)
    {
        if (request.method() != Method::Post)
            return notAllowed("POST");
        Response error = jsonError(400, QString(), QString());
        const auto body = bodyObject(request, &error);
        if (!body || !onlyMembers(*body, {QStringLiteral("from_start")}, &error))
            return error;
        const auto fromStart = boolMember(*body, "from_start", false, &error);
        if (!fromStart)
            return error;
        if (auto missing = missingJob(id))
            return std::move(*missing);
        auto retried = Store::retryJobs(m_db, {id},
                                        *fromStart ? Store::RetryFrom::Start : Store::RetryFrom::LastCheckpoint, actor);
        if (!retried)
            return storeFailed(retried.error());
        if (retried.value() == 0)
            return jsonError(
                409, QStringLiteral("not_retryable"),
                QStringLiteral("job %1 is not failed or cancelled; retry with {\"from_start\":true} to re-run it")
                    .arg(id));
        Q_EMIT m_service->workArrived();
        return json({{QStringLiteral("retried"), retried.value()}, {QStringLiteral("from_start"), *fromStart}});
    }

    Response cancel(qint64 id, const QHttpServerRequest &request, const QString &actor)
    {
        if (request.method() != Method::Post)
            return notAllowed("POST");
        if (auto missing = missingJob(id))
            return std::move(*missing);
        auto cancelled = Store::cancelJobs(m_db, {id}, actor);
        if (!cancelled)
            return storeFailed(cancelled.error());
        if (cancelled.value() == 0)
            return jsonError(409, QStringLiteral("not_cancellable"),
                             QStringLiteral("job %1 has already finished, failed or been cancelled").arg(id));
        return json({{QStringLiteral("cancelled"), cancelled.value()}});
    }

    Response retryFailed(const QHttpServerRequest &request, const QString &actor)
    {
        if (request.method() != Method::Post)
            return notAllowed("POST");
        Response error = jsonError(400, QString(), QString());
        const auto body = bodyObject(request, &error);
        if (!body || !onlyMembers(*body, {QStringLiteral("code")}, &error))
            return error;
        const QJsonValue code = body->value(QStringLiteral("code"));
        if (!code.isUndefined() && !code.isNull() && !code.isString())
            return jsonError(400, QStringLiteral("bad_request"),
                             QStringLiteral("code must be a string (an error code)"));
        QList<qint64> ids;
        if (code.isString()) {
            auto failed = Store::listJobs(m_db, {.status = JobStatus::Failed});
            if (!failed)
                return storeFailed(failed.error());
            for (const Store::JobRecord &job : failed.value()) {
                if (job.errorCode == code.toString())
                    ids << job.id;
            }
        } else {
            auto failed = Store::failedJobIds(m_db);
            if (!failed)
                return storeFailed(failed.error());
            ids = failed.value();
        }
        auto retried = Store::retryJobs(m_db, ids, Store::RetryFrom::LastCheckpoint, actor);
        if (!retried)
            return storeFailed(retried.error());
        if (retried.value() > 0)
            Q_EMIT m_service->workArrived();
        return json({{QStringLiteral("retried"), retried.value()}});
    }

    Response pause(const QHttpServerRequest &request, const QString &actor, bool paused)
    {
        if (request.method() != Method::Post)
            return notAllowed("POST");
        auto set = Store::setPaused(m_db, paused);
        if (!set)
            return storeFailed(set.error());
        // The audit trail: who paused or resumed the fleet.
        Store::recordFleetEvent(
            m_db, paused ? QStringLiteral("paused") : QStringLiteral("resumed"),
            paused ? QStringLiteral("paused through the API") : QStringLiteral("resumed through the API"), actor);
        if (!paused)
            Q_EMIT m_service->workArrived();
        return json({{QStringLiteral("paused"), paused}});
    }

    Response openApi(const QHttpServerRequest &request)
    {
        if (request.method() != Method::Get)
            return notAllowed("GET");
        QFile file(QStringLiteral(":/docpipe/server/openapi.json"));
        if (!file.open(QIODevice::ReadOnly))
            return jsonError(500, QStringLiteral("server_error"), QStringLiteral("the OpenAPI document is missing"));
        return Response("application/json", file.readAll());
    }

private:
    HttpService *m_service;
    Store::Database m_db;
};

} // namespace

void ApiRoutes::add(HttpService *service, QHttpServer *http)
{
    auto api = std::make_shared<Api>(service);
    http->route(QStringLiteral("/v1/openapi.json"), [api](const QHttpServerRequest &request) {
        Response response = api->openApi(request);
        Api::count("/v1/openapi.json", response);
        return response;
    });
    http->route(QStringLiteral("/v1/status"),
                api->guarded("/v1/status", [api](const auto &r, const QString &a) { return api->status(r, a); }));
    http->route(QStringLiteral("/v1/jobs"),
                api->guarded("/v1/jobs", [api](const auto &r, const QString &a) { return api->jobs(r, a); }));
    http->route(QStringLiteral("/v1/jobs/<arg>"),
                api->guardedId("/v1/jobs/{id}",
                               [api](qint64 id, const auto &r, const QString &a) { return api->job(id, r, a); }));
    http->route(QStringLiteral("/v1/jobs/<arg>/chunks"),
                api->guardedId("/v1/jobs/{id}/chunks",
                               [api](qint64 id, const auto &r, const QString &a) { return api->chunks(id, r, a); }));
    http->route(QStringLiteral("/v1/jobs/<arg>/retry"),
                api->guardedId("/v1/jobs/{id}/retry",
                               [api](qint64 id, const auto &r, const QString &a) { return api->retry(id, r, a); }));
    http->route(QStringLiteral("/v1/jobs/<arg>/cancel"),
                api->guardedId("/v1/jobs/{id}/cancel",
                               [api](qint64 id, const auto &r, const QString &a) { return api->cancel(id, r, a); }));
    http->route(
        QStringLiteral("/v1/retry-failed"),
        api->guarded("/v1/retry-failed", [api](const auto &r, const QString &a) { return api->retryFailed(r, a); }));
    http->route(QStringLiteral("/v1/pause"),
                api->guarded("/v1/pause", [api](const auto &r, const QString &a) { return api->pause(r, a, true); }));
    http->route(QStringLiteral("/v1/resume"),
                api->guarded("/v1/resume", [api](const auto &r, const QString &a) { return api->pause(r, a, false); }));
    // POST /v1/documents never reaches QHttpServer (the gate streams it); any other method does.
    http->route(QStringLiteral("/v1/documents"), [](const QHttpServerRequest &) {
        Response response = notAllowed("POST");
        Api::count("/v1/documents", response);
        return response;
    });
}

} // namespace Docpipe::Server
