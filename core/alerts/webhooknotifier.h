// Sends alert notices to an incoming webhook (Slack, Mattermost, or any receiver of JSON): one
// POST per fired or resolved alert, with a `text` field those chat tools show as is, retried with
// backoff on network errors and non-2xx answers, each attempt bounded by a timeout. The URL often
// holds a token, so it is never logged (only its host); the body holds only the alert's summary.
#pragma once

#include "store/alertstore.h"

#include <QByteArray>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace Docpipe::Alerts {

struct AlertNotice
{
    bool firing = true; // false: resolved
    Store::AlertRecord alert;
    QString worker; // who noticed
    QString host;
};

// The JSON body sent for a notice.
QByteArray webhookBody(const AlertNotice &notice);
// One line for a log: "ALERT firing [failure_rate] warning: 6 of 10 jobs ...".
QString noticeLine(const AlertNotice &notice);

class WebhookNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookNotifier)

public:
    WebhookNotifier(const QUrl &url, int timeoutMs, int attempts, QObject *parent = nullptr);

    bool isEnabled() const { return m_url.isValid() && !m_url.isEmpty(); }
    void send(const AlertNotice &notice);
    // Deliveries started and not yet finished (sent or given up).
    int pending() const { return m_pending; }
    // The first retry waits this long, then twice as long each time (tests shorten it).
    void setRetryDelayMs(int ms) { m_retryDelayMs = ms; }

Q_SIGNALS:
    void delivered(const QString &key, int attempts);
    void givenUp(const QString &key, const QString &reason);

private:
    void post(const QString &key, const QByteArray &body, int attempt);

    QNetworkAccessManager *m_network;
    QUrl m_url;
    int m_timeoutMs;
    int m_attempts;
    int m_retryDelayMs = 1000;
    int m_pending = 0;
};

} // namespace Docpipe::Alerts
