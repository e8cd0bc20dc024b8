// The client side of a remote endpoint's rate limits, shared by every worker thread that calls
// that endpoint: requests and tokens per minute, from the configuration or learnt from the
// server's x-ratelimit-* headers, paced a little under the limit so a busy engine stays just
// below it instead of bouncing off it. After a 429 nobody sends until the server's Retry-After
// has passed. Until the server has answered once, one request at a time goes (never a blind
// burst). Thread-safe.
#pragma once

#include "ratelimitheaders.h"
#include "ratewindow.h"

#include <QMutex>
#include <QString>
#include <QWaitCondition>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace Docpipe::Services {

struct RateLimits
{
    double requestsPerMinute = 0; // 0: unknown until the server says
    double tokensPerMinute = 0;
};

class RateLimiter final
{
public:
    // Share of a known limit the client aims for: the rest absorbs clock and latency jitter.
    static constexpr double kHeadroom = 0.95;
    // Allowance that may be spent in one burst (the server's own allowance may be larger).
    static constexpr double kBurstMs = 1000;

    explicit RateLimiter(const RateLimits &configured = {});
    Q_DISABLE_COPY_MOVE(RateLimiter)

    // The one limiter for an endpoint (scheme, host, port and path), created on first use;
    // later callers' configured limits replace earlier ones.
    static std::shared_ptr<RateLimiter> forEndpoint(const QString &endpoint, const RateLimits &configured);

    // Held while a request is on the wire; ends the start-up probe when it goes.
    class Permit
    {
    public:
        Permit(Permit &&other) noexcept
            : m_limiter(std::exchange(other.m_limiter, nullptr))
        { }
        ~Permit();
        Permit &operator=(Permit &&) = delete;

    private:
        friend class RateLimiter;
        explicit Permit(RateLimiter *probingLimiter)
            : m_limiter(probingLimiter)
        { }
        RateLimiter *m_limiter;
    };

    // Blocks until a request costing `tokens` may go; nullopt when `cancelled` said so first.
    std::optional<Permit> acquire(qint64 tokens, const std::function<bool()> &cancelled);
    // Every answer the server gave (any status): learn its limits and follow its backlog.
    void observe(const RateLimitInfo &info);
    // A 429: nobody sends before `retryAfterMs` (-1: not said) has passed.
    void rateLimited(qint64 retryAfterMs);
    // The server counted `actual` tokens for a request charged `estimated`.
    void settle(qint64 estimated, qint64 actual);

    RateLimits effectiveLimits() const;
    static double nowMs();

private:
    void applyLimits();
    double earliestStart(double now, qint64 tokens) const;
    void endProbe();

    mutable QMutex m_mutex;
    QWaitCondition m_changed;
    QString m_service; // the endpoint's host, for the rate-limit wait counters
    RateLimits m_configured;
    RateLimits m_announced; // from the server's headers
    RateWindow m_requests;
    RateWindow m_tokens;
    double m_blockedUntil = 0;
    bool m_heardFromServer = false;
    bool m_probing = false;
    struct Start
    {
        double at;
        qint64 tokens;
    };
    // The last minute's requests: replayed into a limit when it becomes known (so what went out
    // before counts), and the rate to stay below after a 429 when the server names no limit.
    std::deque<Start> m_recent;
};

} // namespace Docpipe::Services
