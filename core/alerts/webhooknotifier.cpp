#include "webhooknotifier.h"

#include "alertrules.h"
#include "logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace Docpipe::Alerts {

QByteArray webhookBody(const AlertNotice &notice)
{
    const Store::AlertRecord &a = notice.alert;
    const QString status = notice.firing ? QStringLiteral("firing") : QStringLiteral("resolved");
    const QString text = notice.firing
        ? QStringLiteral("[FIRING] Docpipe %1: %2 (%3)").arg(ruleTitle(a.rule), a.summary, a.key)
        : QStringLiteral("[RESOLVED] Docpipe %1: cleared (%2)").arg(ruleTitle(a.rule), a.key);
    const qint64 at = notice.firing ? a.firedAt : a.resolvedAt;
    QJsonObject body{
        {QStringLiteral("text"), text},           {QStringLiteral("status"), status},
        {QStringLiteral("alert"), a.key},         {QStringLiteral("rule"), a.rule},
        {QStringLiteral("severity"), a.severity}, {QStringLiteral("summary"), a.summary},
        {QStringLiteral("host"), notice.host},    {QStringLiteral("worker"), notice.worker},
    };
    if (at > 0)
        body.insert(QStringLiteral("at"), QDateTime::fromMSecsSinceEpoch(at, Qt::UTC).toString(Qt::ISODateWithMs));
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QString noticeLine(const AlertNotice &notice)
{
    return notice.firing
        ? QStringLiteral("ALERT firing [%1] %2: %3").arg(notice.alert.key, notice.alert.severity, notice.alert.summary)
        : QStringLiteral("ALERT resolved [%1]").arg(notice.alert.key);
}

WebhookNotifier::WebhookNotifier(const QUrl &url, int timeoutMs, int attempts, QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_url(url)
    , m_timeoutMs(timeoutMs)
    , m_attempts(qMax(1, attempts))
{ }

void WebhookNotifier::send(const AlertNotice &notice)
{
    if (!isEnabled())
        return;
    ++m_pending;
    post(notice.alert.key, webhookBody(notice), 1);
}

void WebhookNotifier::post(const QString &key, const QByteArray &body, int attempt)
{
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = m_network->post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, key, body, attempt] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
            --m_pending;
            Q_EMIT delivered(key, attempt);
            return;
        }
        // The reply's error string can quote the URL (and its token): say only the host.
        const QString reason = status > 0 ? QStringLiteral("HTTP %1").arg(status)
                                          : QStringLiteral("network error %1").arg(int(reply->error()));
        if (attempt >= m_attempts) {
            --m_pending;
            qCWarning(lcNet) << "alert webhook at" << m_url.host() << "gave up on" << key << "after" << attempt
                             << "attempt(s):" << reason;
            Q_EMIT givenUp(key, reason);
            return;
        }
        const int delay = m_retryDelayMs * (1 << qMin(attempt - 1, 10));
        QTimer::singleShot(delay, this, [this, key, body, attempt] { post(key, body, attempt + 1); });
    });
}

} // namespace Docpipe::Alerts
