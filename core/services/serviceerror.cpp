#include "serviceerror.h"

#include "ratelimitheaders.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace Docpipe::Services {

namespace {

constexpr qsizetype kMaxQuotedChars = 300;

QString quoted(const HttpReply &reply, const ServiceIdentity &identity)
{
    QString message = redactSecrets(serverMessage(reply.body), identity.secret).simplified();
    if (message.size() > kMaxQuotedChars)
        message = message.left(kMaxQuotedChars) + QStringLiteral("...");
    return message.isEmpty() ? QString() : QStringLiteral(": ") + message;
}

QString at(const ServiceIdentity &identity)
{
    return QStringLiteral("%1 at %2").arg(identity.service, identity.host);
}

qint64 retryAfterOf(const HttpReply &reply)
{
    const RateLimitInfo info = parseRateLimitHeaders(reply.headers);
    if (info.retryAfterMs >= 0)
        return info.retryAfterMs;
    return retryAfterFromMessage(serverMessage(reply.body));
}

StageError transportFailure(const HttpReply &reply, const ServiceIdentity &identity)
{
    if (reply.timedOut)
        return StageError::transient(QStringLiteral("timeout"),
                                     QStringLiteral("%1 did not answer in time").arg(at(identity)));
    switch (reply.error) {
    case QNetworkReply::ConnectionRefusedError:
        return StageError::transient(QStringLiteral("connection_refused"),
                                     QStringLiteral("cannot connect to %1: connection refused").arg(at(identity)));
    case QNetworkReply::RemoteHostClosedError:
        return StageError::transient(QStringLiteral("connection_closed"),
                                     QStringLiteral("%1 closed the connection without an answer").arg(at(identity)));
    case QNetworkReply::HostNotFoundError:
        return StageError::transient(QStringLiteral("host_not_found"),
                                     QStringLiteral("cannot find the host of %1").arg(at(identity)));
    case QNetworkReply::SslHandshakeFailedError:
        return StageError::permanent(
            QStringLiteral("tls_error"),
            QStringLiteral("the secure connection to %1 failed: %2").arg(at(identity), reply.errorText));
    default:
        return StageError::transient(QStringLiteral("network_error"),
                                     QStringLiteral("network error talking to %1: %2")
                                         .arg(at(identity), redactSecrets(reply.errorText, identity.secret)));
    }
}

bool mentionsInputLength(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("maximum (input|context) length|too many tokens|context_length_exceeded|too large to process"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(text).hasMatch();
}

StageError httpFailure(const HttpReply &reply, const ServiceIdentity &identity)
{
    const int status = reply.status;
    const QString code = serverErrorCode(reply.body);
    const QString said = quoted(reply, identity);
    if (code == QLatin1String("insufficient_quota") || status == 402)
        return StageError::permanent(
            QStringLiteral("insufficient_quota"),
            QStringLiteral("%1 says the account has no quota or credits left (HTTP %2); check the plan and billing")
                .arg(at(identity))
                .arg(status));
    if (status == 429)
        return StageError::transient(
            QStringLiteral("http_429"),
            QStringLiteral("%1 is rate limiting requests (HTTP 429)%2").arg(at(identity), said), retryAfterOf(reply));
    if (status >= 500 || status == 408 || status == 409)
        return StageError::transient(
            status >= 500 ? QStringLiteral("server_error") : QStringLiteral("http_%1").arg(status),
            QStringLiteral("%1 failed with HTTP %2%3").arg(at(identity)).arg(status).arg(said), retryAfterOf(reply));
    if (status == 401)
        return StageError::permanent(QStringLiteral("auth_rejected"),
                                     QStringLiteral("the API key was rejected by %1 (HTTP 401); check %2")
                                         .arg(at(identity), identity.keyVariable));
    if (status == 403)
        return StageError::permanent(
            QStringLiteral("forbidden"),
            QStringLiteral("%1 refused access with this API key (HTTP 403)%2").arg(at(identity), said));
    if (status == 404 && !identity.model.isEmpty()
        && (code == QLatin1String("model_not_found")
            || serverMessage(reply.body).contains(QLatin1String("model"), Qt::CaseInsensitive)))
        return StageError::permanent(QStringLiteral("model_not_found"),
                                     QStringLiteral("model not found: %1 (%2)").arg(identity.model, at(identity)));
    if (status == 404)
        return StageError::permanent(
            QStringLiteral("not_found"),
            QStringLiteral("%1 has no such route (HTTP 404); check the base URL%2").arg(at(identity), said));
    if ((status == 400 || status == 413 || status == 422) && mentionsInputLength(serverMessage(reply.body)))
        return StageError::permanent(QStringLiteral("input_too_long"),
                                     QStringLiteral("%1 says an input is over the model's token limit (HTTP %2)%3")
                                         .arg(at(identity))
                                         .arg(status)
                                         .arg(said));
    if (status == 413)
        return StageError::permanent(QStringLiteral("payload_too_large"),
                                     QStringLiteral("the request was too large for %1 (HTTP 413)").arg(at(identity)));
    if (status == 400 || status == 422)
        return StageError::permanent(
            status == 400 ? QStringLiteral("bad_request") : QStringLiteral("invalid_request"),
            QStringLiteral("%1 rejected the request (HTTP %2)%3").arg(at(identity)).arg(status).arg(said));
    return StageError::permanent(QStringLiteral("http_%1").arg(status),
                                 QStringLiteral("%1 answered HTTP %2%3").arg(at(identity)).arg(status).arg(said));
}

QJsonObject errorObject(const QByteArray &body)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    return root.value(QStringLiteral("error")).isObject() ? root.value(QStringLiteral("error")).toObject() : root;
}

} // namespace

StageError classifyFailure(const HttpReply &reply, const ServiceIdentity &identity)
{
    if (reply.cancelled)
        return StageError::transient(QStringLiteral("cancelled"), QStringLiteral("cancelled"));
    if (reply.status == 0 || reply.timedOut)
        return transportFailure(reply, identity);
    return httpFailure(reply, identity);
}

QString serverMessage(const QByteArray &body)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonObject error = errorObject(body);
    if (error.value(QStringLiteral("message")).isString())
        return error.value(QStringLiteral("message")).toString();
    if (root.value(QStringLiteral("error")).isString())
        return root.value(QStringLiteral("error")).toString();
    const QJsonValue detail = root.value(QStringLiteral("detail"));
    if (detail.isString())
        return detail.toString();
    QStringList parts;
    for (const QJsonValue &item : detail.toArray())
        parts << item.toObject().value(QStringLiteral("msg")).toString();
    parts.removeAll(QString());
    return parts.join(QStringLiteral("; "));
}

QString serverErrorCode(const QByteArray &body)
{
    const QJsonObject error = errorObject(body);
    const QJsonValue code = error.value(QStringLiteral("code"));
    if (code.isString())
        return code.toString();
    return error.value(QStringLiteral("type")).toString();
}

QString redactSecrets(QString text, const QString &secret)
{
    if (secret.size() >= 4)
        text.replace(secret, QStringLiteral("[redacted]"));
    static const QRegularExpression keyShaped(QStringLiteral("\\b(sk|llx|pk|rk)-[A-Za-z0-9_\\-*.]{4,}"));
    text.replace(keyShaped, QStringLiteral("[redacted]"));
    return text;
}

StageError malformedResponse(const ServiceIdentity &identity, const QString &what)
{
    return StageError::transient(QStringLiteral("malformed_response"),
                                 QStringLiteral("%1 sent an unusable answer: %2").arg(at(identity), what));
}

} // namespace Docpipe::Services
