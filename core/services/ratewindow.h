// The arithmetic of one rate limit ("N requests per minute", "N tokens per minute") as a bucket
// that refills continuously, kept as one number: the time at which the bucket will be full again
// (the generic cell rate algorithm). The client's limiter and the mock server both use it, so
// both read a limit the same way. Times are milliseconds on any monotonic clock.
#pragma once

#include <algorithm>

namespace Docpipe::Services {

struct RateWindow
{
    double perMinute = 0; // 0: unlimited
    double burstMs = 60000; // how much unused allowance may pile up, as time (capacity / rate)
    double fullAt = 0; // when the bucket is full again; before that it holds a backlog

    bool isLimited() const { return perMinute > 0; }
    // How long `cost` units take to earn back at the limit.
    double msFor(double cost) const { return isLimited() ? cost * 60000.0 / perMinute : 0; }
    // Time until the bucket is full again: what x-ratelimit-reset-* announce.
    double backlogMs(double now) const { return std::max(0.0, fullAt - now); }
    double capacity() const { return perMinute * burstMs / 60000.0; }
    // Units that could be spent at once now: what x-ratelimit-remaining-* announce.
    double remaining(double now) const
    {
        return isLimited() ? std::max(0.0, (burstMs - backlogMs(now)) * perMinute / 60000.0) : 0;
    }
    // The server's test: `cost` fits in what is left now (a cost above the capacity never fits).
    bool fits(double now, double cost) const { return !isLimited() || backlogMs(now) + msFor(cost) <= burstMs + 1e-6; }
    // The client's test: the earliest time, not before `now`, at which `cost` fits; a cost above
    // the capacity may go once the bucket is full.
    double earliest(double now, double cost) const
    {
        if (!isLimited())
            return now;
        return std::max(now, fullAt - std::max(0.0, burstMs - msFor(cost)));
    }
    void charge(double now, double cost)
    {
        if (isLimited())
            fullAt = std::max(fullAt, now) + msFor(cost);
    }
    // The server counted a different cost than was charged (negative: a refund).
    void adjust(double costDifference)
    {
        if (isLimited())
            fullAt += msFor(costDifference);
    }
};

} // namespace Docpipe::Services
