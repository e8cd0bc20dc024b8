// When a failed stage is tried again: transient errors back off exponentially with jitter
// (or as long as the server asked), up to an attempt limit; permanent errors fail at once.
#pragma once

#include "config/config.h"
#include "model/stageerror.h"

namespace Docpipe {

struct RetryDecision
{
    bool retry = false;
    qint64 delayMs = 0;
};

class RetryPolicy final
{
public:
    RetryPolicy() = default;
    explicit RetryPolicy(const RetryConfig &config)
        : m_config(config)
    { }

    // `failedBefore`: attempts that already failed for this job (its attempts column).
    // `random01`: a uniform draw in [0, 1), injected so the policy is a pure function.
    RetryDecision decide(const StageError &error, int failedBefore, double random01) const;
    qint64 backoffMs(int failedAttempts, qint64 retryAfterMs, double random01) const;
    int maxAttempts() const { return m_config.maxAttempts; }

private:
    RetryConfig m_config;
};

} // namespace Docpipe
