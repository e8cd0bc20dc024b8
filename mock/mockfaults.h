// What the mock server does wrong, and when: faults by route, for the next N requests or a share
// of them, plus --fail-rate's random 500/503 answers. Every random choice (which request fails,
// the latency jitter) comes from one generator seeded by --seed, so a run's faults are
// reproducible for the same order of requests.
#pragma once

#include <QJsonArray>
#include <QList>
#include <QRandomGenerator>
#include <QString>

#include <optional>

namespace Docpipe::Services {

enum class MockRoute { Embeddings, ParseUpload, ParseStatus, ParseResult, ParseCancel };

enum class MockFault {
    None,
    Http500,
    Http503, // transient server errors
    RateLimited, // 429 rate_limit_exceeded with Retry-After
    Timeout, // no answer at all (the client's timeout must fire)
    Drop, // the connection closes without an answer
    MalformedJson, // 200 with a cut-off body
    WrongCount, // embeddings: one vector missing
    WrongDimensions, // embeddings: vectors one dimension short
    NonFinite, // embeddings: a NaN in a vector
    NeverFinish, // parse upload: the job stays PENDING for ever
    JobFailed, // parse upload: the job ends in ERROR (v2 FAILED)
    PageFailed, // parse upload: the even-numbered pages fail (v1 PARTIAL_SUCCESS)
    AllPagesFailed, // parse upload: every page fails (v2 COMPLETED with no page, v1 ERROR)
    AuthRejected, // 401
    Forbidden, // 403
    InsufficientQuota, // 429 insufficient_quota
    ModelNotFound, // embeddings: 404 model_not_found
    BadRequest, // 400
    PayloadTooLarge, // 413
    Unprocessable, // 422
};

QString faultName(MockFault fault);
std::optional<MockFault> faultFromName(const QString &name);
QString routeName(MockRoute route);
QStringList faultNames();

struct FaultRule
{
    QString route = QStringLiteral("any"); // a route name, "parse" (its four routes) or "any"
    MockFault fault = MockFault::None;
    int count = -1; // requests it still applies to; -1: all
    double rate = 1.0; // share of matching requests it hits
    int retryAfterMs = 1000; // for RateLimited
};

struct FaultDecision
{
    MockFault fault = MockFault::None;
    int retryAfterMs = 0;
};

class FaultPlan final
{
public:
    FaultPlan(quint32 seed, double failRate);

    // {"faults":[{"route":"embeddings","fault":"http_503","count":2,"rate":1,"retry_after_ms":500}]}
    // replaces the rules; returns why not when the JSON is wrong.
    std::optional<QString> setRules(const QJsonArray &rules);
    void clear() { m_rules.clear(); }
    QJsonArray rulesJson() const;

    FaultDecision decide(MockRoute route);
    int jitter(int maxMs);

private:
    QList<FaultRule> m_rules;
    QRandomGenerator m_random;
    double m_failRate;
};

} // namespace Docpipe::Services
