#include "mockfaults.h"

#include <QJsonObject>

#include <array>
#include <utility>

namespace Docpipe::Services {

namespace {

constexpr std::array<std::pair<MockFault, const char *>, 20> kNames{{
    {MockFault::Http500, "http_500"},
    {MockFault::Http503, "http_503"},
    {MockFault::RateLimited, "http_429"},
    {MockFault::Timeout, "timeout"},
    {MockFault::Drop, "drop"},
    {MockFault::MalformedJson, "malformed_json"},
    {MockFault::WrongCount, "wrong_count"},
    {MockFault::WrongDimensions, "wrong_dimensions"},
    {MockFault::NonFinite, "non_finite"},
    {MockFault::NeverFinish, "never_finish"},
    {MockFault::JobFailed, "job_failed"},
    {MockFault::PageFailed, "page_failed"},
    {MockFault::AllPagesFailed, "all_pages_failed"},
    {MockFault::AuthRejected, "auth_rejected"},
    {MockFault::Forbidden, "forbidden"},
    {MockFault::InsufficientQuota, "insufficient_quota"},
    {MockFault::ModelNotFound, "model_not_found"},
    {MockFault::BadRequest, "bad_request"},
    {MockFault::PayloadTooLarge, "payload_too_large"},
    {MockFault::Unprocessable, "unprocessable"},
}};

bool routeMatches(const QString &rule, MockRoute route)
{
    if (rule == QLatin1String("any"))
        return true;
    if (rule == QLatin1String("parse"))
        return route != MockRoute::Embeddings;
    return rule == routeName(route);
}

// Faults about vectors only make sense on embeddings, faults about jobs only on uploads.
bool faultFits(MockFault fault, MockRoute route)
{
    switch (fault) {
    case MockFault::WrongCount:
    case MockFault::WrongDimensions:
    case MockFault::NonFinite:
    case MockFault::ModelNotFound:
        return route == MockRoute::Embeddings;
    case MockFault::NeverFinish:
    case MockFault::JobFailed:
    case MockFault::PageFailed:
    case MockFault::AllPagesFailed:
        return route == MockRoute::ParseUpload;
    default:
        return true;
    }
}

} // namespace

QString faultName(MockFault fault)
{
    for (const auto &[value, name] : kNames) {
        if (value == fault)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("none");
}

std::optional<MockFault> faultFromName(const QString &name)
{
    for (const auto &[value, text] : kNames) {
        if (name == QLatin1String(text))
            return value;
    }
    return std::nullopt;
}

QStringList faultNames()
{
    QStringList names;
    for (const auto &entry : kNames)
        names << QString::fromLatin1(entry.second);
    return names;
}

QString routeName(MockRoute route)
{
    switch (route) {
    case MockRoute::Embeddings:
        return QStringLiteral("embeddings");
    case MockRoute::ParseUpload:
        return QStringLiteral("parse_upload");
    case MockRoute::ParseStatus:
        return QStringLiteral("parse_status");
    case MockRoute::ParseResult:
        return QStringLiteral("parse_result");
    case MockRoute::ParseCancel:
        return QStringLiteral("parse_cancel");
    }
    return {};
}

FaultPlan::FaultPlan(quint32 seed, double failRate)
    : m_random(seed)
    , m_failRate(failRate)
{ }

std::optional<QString> FaultPlan::setRules(const QJsonArray &rules)
{
    static const QStringList routes{QStringLiteral("any"),          QStringLiteral("parse"),
                                    QStringLiteral("embeddings"),   QStringLiteral("parse_upload"),
                                    QStringLiteral("parse_status"), QStringLiteral("parse_result"),
                                    QStringLiteral("parse_cancel")};
    QList<FaultRule> parsed;
    for (const QJsonValue &value : rules) {
        const QJsonObject object = value.toObject();
        FaultRule rule;
        const auto fault = faultFromName(object.value(QStringLiteral("fault")).toString());
        if (!fault)
            return QStringLiteral("unknown fault '%1'; known: %2")
                .arg(object.value(QStringLiteral("fault")).toString(), faultNames().join(QStringLiteral(", ")));
        rule.fault = *fault;
        rule.route = object.value(QStringLiteral("route")).toString(QStringLiteral("any"));
        if (!routes.contains(rule.route))
            return QStringLiteral("unknown route '%1'; known: %2").arg(rule.route, routes.join(QStringLiteral(", ")));
        rule.count = object.value(QStringLiteral("count")).toInt(-1);
        rule.rate = std::clamp(object.value(QStringLiteral("rate")).toDouble(1.0), 0.0, 1.0);
        rule.retryAfterMs = std::max(0, object.value(QStringLiteral("retry_after_ms")).toInt(1000));
        parsed << rule;
    }
    m_rules = parsed;
    return std::nullopt;
}

QJsonArray FaultPlan::rulesJson() const
{
    QJsonArray array;
    for (const FaultRule &rule : m_rules)
        array.append(QJsonObject{{QStringLiteral("route"), rule.route},
                                 {QStringLiteral("fault"), faultName(rule.fault)},
                                 {QStringLiteral("count"), rule.count},
                                 {QStringLiteral("rate"), rule.rate},
                                 {QStringLiteral("retry_after_ms"), rule.retryAfterMs}});
    return array;
}

FaultDecision FaultPlan::decide(MockRoute route)
{
    for (FaultRule &rule : m_rules) {
        if (rule.count == 0 || !routeMatches(rule.route, route) || !faultFits(rule.fault, route))
            continue;
        if (rule.rate < 1.0 && m_random.generateDouble() >= rule.rate)
            continue;
        if (rule.count > 0)
            --rule.count;
        return {rule.fault, rule.retryAfterMs};
    }
    if (m_failRate > 0 && m_random.generateDouble() < m_failRate)
        return {m_random.bounded(2) == 0 ? MockFault::Http500 : MockFault::Http503, 0};
    return {};
}

int FaultPlan::jitter(int maxMs)
{
    return maxMs > 0 ? int(m_random.bounded(maxMs + 1)) : 0;
}

} // namespace Docpipe::Services
