#include "retrypolicy.h"

#include <QtGlobal>

#include <algorithm>
#include <cmath>

namespace Docpipe {

RetryDecision RetryPolicy::decide(const StageError &error, int failedBefore, double random01) const
{
    const int failedNow = failedBefore + 1;
    if (!error.isTransient() || failedNow >= m_config.maxAttempts)
        return {false, 0};
    return {true, backoffMs(failedNow, error.retryAfterMs, random01)};
}

qint64 RetryPolicy::backoffMs(int failedAttempts, qint64 retryAfterMs, double random01) const
{
    const qint64 cap = qMax(m_config.maxDelayMs, 0);
    if (retryAfterMs >= 0) // the server said when; a little jitter keeps workers from stampeding
        return std::min<qint64>(cap, retryAfterMs + qint64(retryAfterMs * 0.1 * random01));
    const double exponential = double(m_config.baseDelayMs) * std::pow(2.0, std::max(0, failedAttempts - 1));
    const double capped = std::min(exponential, double(cap));
    // "Equal jitter": at least half the delay, so retries never bunch up at zero.
    return qint64(capped * (0.5 + 0.5 * random01));
}

} // namespace Docpipe
