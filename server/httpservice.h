// The HTTP service of a worker, of `docpipe-cli serve` and of the window: /healthz, /readyz,
// /metrics and the /v1 API, behind the request gate. Lives on the service thread (ServiceHost),
// so a slow client or a slow query never holds up the engine's thread.
#pragma once

#include "apitokens.h"
#include "config/config.h"
#include "listenaddress.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;

namespace Docpipe::Server {

class MetricsPage;
class RequestGate;
class UploadReceiver;

struct ServiceOptions
{
    Config config;
    ListenAddress address;
    QString role = QStringLiteral("worker"); // worker | serve | window
    int idleTimeoutMs = 30000;
};

// Set by the owner's thread every second; /healthz fails when it stops moving.
using MainLoopPulse = std::atomic<qint64>;

class HttpService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpService)

public:
    HttpService(const ServiceOptions &options, std::shared_ptr<MainLoopPulse> pulse, QObject *parent = nullptr);
    ~HttpService() override;

    bool listen(QString *error);
    quint16 port() const;

    // The reason binding `options` would be unsafe (a non-loopback address without a token), or empty.
    static QString refusal(const ServiceOptions &options);

    const ServiceOptions &options() const { return m_options; }
    // The token's label for a request ("local" when no token is configured, "probe" for an open
    // probe); nullopt: refused. `probe`: /healthz, /readyz, /metrics.
    std::optional<QString> authorize(const QHttpServerRequest &request, bool probe) const;
    std::optional<QString> authorizeHeader(const QByteArray &authorization, bool probe) const;

Q_SIGNALS:
    // Jobs were added, retried or resumed: an engine in this process should look for work now.
    void workArrived();

private:
    void addProbeRoutes();

    ServiceOptions m_options;
    ApiTokens m_tokens;
    std::shared_ptr<MainLoopPulse> m_pulse;
    QHttpServer *m_http;
    RequestGate *m_gate;
    std::unique_ptr<MetricsPage> m_metrics;
    std::unique_ptr<UploadReceiver> m_uploads;
};

QHttpServerResponse jsonError(int status, const QString &code, const QString &message);

} // namespace Docpipe::Server
