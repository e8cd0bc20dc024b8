#include "ratelimiter.h"

#include "logging.h"
#include "metrics/processcounters.h"

#include <QHash>
#include <QUrl>

#include <chrono>

namespace Docpipe::Services {

namespace {

constexpr double kMinuteMs = 60000;
constexpr qint64 kDefaultRetryAfterMs = 1000;

// What the server has left, as the backlog our own window must carry at least.
void followRemaining(RateWindow &window, qint64 remaining, double limitPerMinute, double now)
{
    if (remaining < 0 || limitPerMinute <= 0)
        return;
    window.fullAt = std::max(window.fullAt, now + window.burstMs - double(remaining) * kMinuteMs / limitPerMinute);
}

double smallerKnown(double a, double b)
{
    if (a <= 0)
        return b;
    if (b <= 0)
        return a;
    return std::min(a, b);
}

} // namespace

RateLimiter::RateLimiter(const RateLimits &configured)
    : m_configured(configured)
{
    m_requests.burstMs = kBurstMs;
    m_tokens.burstMs = kBurstMs;
    applyLimits();
}

std::shared_ptr<RateLimiter> RateLimiter::forEndpoint(const QString &endpoint, const RateLimits &configured)
{
    static QMutex mutex;
    static QHash<QString, std::shared_ptr<RateLimiter>> limiters;
    const QMutexLocker locker(&mutex);
    std::shared_ptr<RateLimiter> &limiter = limiters[endpoint];
    if (!limiter) {
        limiter = std::make_shared<RateLimiter>(configured);
        limiter->m_service = QUrl(endpoint).host();
    } else {
        const QMutexLocker inner(&limiter->m_mutex);
        limiter->m_configured = configured;
        limiter->applyLimits();
    }
    return limiter;
}

double RateLimiter::nowMs()
{
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

RateLimiter::Permit::~Permit()
{
    if (m_limiter)
        m_limiter->endProbe();
}

void RateLimiter::endProbe()
{
    const QMutexLocker locker(&m_mutex);
    m_probing = false;
    m_changed.wakeAll();
}

void RateLimiter::applyLimits()
{
    const bool requestsWereOpen = !m_requests.isLimited();
    const bool tokensWereOpen = !m_tokens.isLimited();
    m_requests.perMinute = smallerKnown(m_configured.requestsPerMinute, m_announced.requestsPerMinute) * kHeadroom;
    m_tokens.perMinute = smallerKnown(m_configured.tokensPerMinute, m_announced.tokensPerMinute) * kHeadroom;
    for (const Start &start : m_recent) {
        if (requestsWereOpen)
            m_requests.charge(start.at, 1);
        if (tokensWereOpen)
            m_tokens.charge(start.at, double(start.tokens));
    }
}

double RateLimiter::earliestStart(double now, qint64 tokens) const
{
    return std::max({m_blockedUntil, m_requests.earliest(now, 1), m_tokens.earliest(now, double(tokens))});
}

std::optional<RateLimiter::Permit> RateLimiter::acquire(qint64 tokens, const std::function<bool()> &cancelled)
{
    QMutexLocker locker(&m_mutex);
    const double asked = nowMs();
    for (;;) {
        if (cancelled && cancelled())
            return std::nullopt;
        const double now = nowMs();
        const double start = m_probing ? now + 100 : earliestStart(now, tokens);
        if (start <= now) {
            if (now > asked) { // this request waited for the limit (or for the start-up probe)
                const Metrics::CounterLabels service{{QStringLiteral("service"), m_service}};
                Metrics::count(Metrics::Counter::RateLimitWaits, service);
                Metrics::count(Metrics::Counter::RateLimitWaitSeconds, service, (now - asked) / 1000.0);
            }
            m_requests.charge(now, 1);
            m_tokens.charge(now, double(tokens));
            m_recent.push_back({now, tokens});
            while (!m_recent.empty() && m_recent.front().at < now - kMinuteMs)
                m_recent.pop_front();
            const bool probe = !m_heardFromServer;
            m_probing = probe;
            return Permit(probe ? this : nullptr);
        }
        // Wake at the start time, on news (a probe ended, a 429), or to look at `cancelled`.
        m_changed.wait(&m_mutex, QDeadlineTimer(qint64(std::min(start - now, 100.0)) + 1));
    }
}

void RateLimiter::observe(const RateLimitInfo &info)
{
    const QMutexLocker locker(&m_mutex);
    m_heardFromServer = true;
    const double now = nowMs();
    if (info.limitRequests > 0)
        m_announced.requestsPerMinute = double(info.limitRequests);
    if (info.limitTokens > 0)
        m_announced.tokensPerMinute = double(info.limitTokens);
    applyLimits();
    // The server's backlog may be larger than ours (other clients share the key, or our token
    // estimate was low): never spend more than the allowance it says is left.
    followRemaining(m_requests, info.remainingRequests, m_announced.requestsPerMinute, now);
    followRemaining(m_tokens, info.remainingTokens, m_announced.tokensPerMinute, now);
    m_changed.wakeAll();
}

void RateLimiter::rateLimited(qint64 retryAfterMs)
{
    const QMutexLocker locker(&m_mutex);
    const double now = nowMs();
    const qint64 wait = retryAfterMs >= 0 ? retryAfterMs : kDefaultRetryAfterMs;
    m_blockedUntil = std::max(m_blockedUntil, now + double(wait));
    // With no announced limit, aim below the rate that was just refused.
    if (m_requests.perMinute <= 0 && m_recent.size() > 1) {
        m_announced.requestsPerMinute = std::max(1.0, double(m_recent.size()) * 0.8);
        applyLimits();
    }
    qCInfo(lcNet) << "rate limited; holding every request for" << wait << "ms";
    m_changed.wakeAll();
}

void RateLimiter::settle(qint64 estimated, qint64 actual)
{
    if (actual < 0 || actual == estimated)
        return;
    const QMutexLocker locker(&m_mutex);
    m_tokens.adjust(double(actual - estimated));
}

RateLimits RateLimiter::effectiveLimits() const
{
    const QMutexLocker locker(&m_mutex);
    return {m_requests.perMinute, m_tokens.perMinute};
}

} // namespace Docpipe::Services
