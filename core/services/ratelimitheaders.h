// What a server says about its limits: OpenAI's x-ratelimit-* headers, Retry-After (seconds or
// an HTTP date), retry-after-ms, and the "Please try again in 176ms." sentence of a 429 body.
// Durations use Go's notation ("176ms", "1.5s", "6m0s"), as OpenAI sends them.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <utility>

namespace Docpipe::Services {

using RawHeaders = QList<std::pair<QByteArray, QByteArray>>;

// The first value of `name` (case-insensitive), empty when absent.
QByteArray headerValue(const RawHeaders &headers, QByteArrayView name);

struct RateLimitInfo
{
    qint64 limitRequests = -1; // -1: not said
    qint64 limitTokens = -1;
    qint64 remainingRequests = -1;
    qint64 remainingTokens = -1;
    qint64 resetRequestsMs = -1;
    qint64 resetTokensMs = -1;
    qint64 retryAfterMs = -1; // retry-after-ms, else Retry-After

    bool saysAnything() const { return limitRequests >= 0 || limitTokens >= 0 || retryAfterMs >= 0; }
};

RateLimitInfo parseRateLimitHeaders(const RawHeaders &headers);

// "176ms", "1.5s", "6m0s", "2h1m", "500us"; -1 when not a duration.
qint64 parseGoDuration(QByteArrayView text);
// The shortest Go-style spelling of `ms`: "0s", "176ms", "1.5s", "6m0s".
QByteArray formatGoDuration(qint64 ms);
// Retry-After: delay-seconds or an HTTP date (relative to `nowMs`, epoch ms); -1 when invalid.
qint64 parseRetryAfter(QByteArrayView value, qint64 nowMs);
// "... Please try again in 176ms." / "in 1.5s" / "in 20s"; -1 when the message says nothing.
qint64 retryAfterFromMessage(const QString &message);

} // namespace Docpipe::Services
