#include "ratelimitheaders.h"

#include <QDateTime>
#include <QRegularExpression>

#include <cmath>

namespace Docpipe::Services {

namespace {

qint64 integerHeader(const RawHeaders &headers, QByteArrayView name)
{
    bool ok = false;
    const qint64 value = headerValue(headers, name).trimmed().toLongLong(&ok);
    return ok && value >= 0 ? value : -1;
}

qint64 durationHeader(const RawHeaders &headers, QByteArrayView name)
{
    const QByteArray value = headerValue(headers, name).trimmed();
    return value.isEmpty() ? -1 : parseGoDuration(value);
}

} // namespace

QByteArray headerValue(const RawHeaders &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

RateLimitInfo parseRateLimitHeaders(const RawHeaders &headers)
{
    RateLimitInfo info;
    info.limitRequests = integerHeader(headers, "x-ratelimit-limit-requests");
    info.limitTokens = integerHeader(headers, "x-ratelimit-limit-tokens");
    info.remainingRequests = integerHeader(headers, "x-ratelimit-remaining-requests");
    info.remainingTokens = integerHeader(headers, "x-ratelimit-remaining-tokens");
    info.resetRequestsMs = durationHeader(headers, "x-ratelimit-reset-requests");
    info.resetTokensMs = durationHeader(headers, "x-ratelimit-reset-tokens");
    bool ok = false;
    const double retryMs = headerValue(headers, "retry-after-ms").trimmed().toDouble(&ok);
    if (ok && retryMs >= 0 && std::isfinite(retryMs))
        info.retryAfterMs = qint64(std::ceil(retryMs));
    else
        info.retryAfterMs = parseRetryAfter(headerValue(headers, "retry-after"), QDateTime::currentMSecsSinceEpoch());
    return info;
}

qint64 parseGoDuration(QByteArrayView text)
{
    static const QRegularExpression part(QStringLiteral("(\\d+(?:\\.\\d*)?|\\.\\d+)(h|ms|us|µs|ns|m|s)"));
    const QString string = QString::fromUtf8(text.trimmed());
    if (string.isEmpty())
        return -1;
    double ms = 0;
    qsizetype position = 0;
    for (auto it = part.globalMatch(string); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        if (match.capturedStart() != position)
            return -1;
        position = match.capturedEnd();
        const double value = match.captured(1).toDouble();
        const QString unit = match.captured(2);
        const double scale = unit == QLatin1String("h") ? 3600000.0
            : unit == QLatin1String("m")                ? 60000.0
            : unit == QLatin1String("s")                ? 1000.0
            : unit == QLatin1String("ms")               ? 1.0
            : unit == QLatin1String("ns")               ? 1e-6
                                                        : 1e-3;
        ms += value * scale;
    }
    if (position != string.size())
        return string == QLatin1String("0") ? 0 : -1;
    return qint64(std::ceil(ms));
}

QByteArray formatGoDuration(qint64 ms)
{
    if (ms <= 0)
        return "0s";
    if (ms < 1000)
        return QByteArray::number(ms) + "ms";
    if (ms < 60000)
        return QByteArray::number(double(ms) / 1000.0, 'g', 6) + 's';
    const qint64 hours = ms / 3600000;
    const qint64 minutes = ms % 3600000 / 60000;
    const double seconds = double(ms % 60000) / 1000.0;
    QByteArray text;
    if (hours > 0)
        text += QByteArray::number(hours) + 'h';
    return text + QByteArray::number(minutes) + 'm' + QByteArray::number(seconds, 'g', 6) + 's';
}

qint64 parseRetryAfter(QByteArrayView value, qint64 nowMs)
{
    const QByteArray text = value.trimmed().toByteArray();
    if (text.isEmpty())
        return -1;
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (ok)
        return seconds >= 0 && std::isfinite(seconds) ? qint64(std::ceil(seconds * 1000.0)) : -1;
    // An HTTP date is always in GMT; Qt's RFC 2822 reader wants the zone as an offset.
    QString date822 = QString::fromLatin1(text);
    if (date822.endsWith(QLatin1String(" GMT")) || date822.endsWith(QLatin1String(" UTC")))
        date822 = date822.chopped(4) + QStringLiteral(" +0000");
    const QDateTime date = QDateTime::fromString(date822, Qt::RFC2822Date);
    if (!date.isValid())
        return -1;
    return std::max<qint64>(0, date.toMSecsSinceEpoch() - nowMs);
}

qint64 retryAfterFromMessage(const QString &message)
{
    static const QRegularExpression again(QStringLiteral("try again in ((?:\\d+(?:\\.\\d+)?(?:h|ms|m|s))+)"),
                                          QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = again.match(message);
    return match.hasMatch() ? parseGoDuration(match.captured(1).toUtf8()) : -1;
}

} // namespace Docpipe::Services
