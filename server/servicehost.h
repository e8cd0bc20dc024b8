// Runs the HTTP service on a thread of its own and keeps its /healthz pulse: the owner's event
// loop ticks it every second, so a stalled main loop shows as unhealthy while the service still
// answers. Used by `docpipe-cli worker --listen`, `docpipe-cli serve` and the window.
#pragma once

#include "httpservice.h"

#include <QObject>
#include <QThread>
#include <QTimer>

namespace Docpipe::Server {

class ServiceHost final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceHost)

public:
    explicit ServiceHost(const ServiceOptions &options, QObject *parent = nullptr);
    ~ServiceHost() override; // stops the service and its thread

    // Blocks until the service listens (true) or could not (false, `error` says why).
    bool start(QString *error);
    quint16 port() const { return m_port; }
    QString address() const; // "127.0.0.1:9464"

Q_SIGNALS:
    void workArrived(); // on the owner's thread

private:
    ServiceOptions m_options;
    std::shared_ptr<MainLoopPulse> m_pulse;
    QThread m_thread;
    QObject *m_anchor = nullptr; // lives on m_thread: runs what must happen there
    HttpService *m_service = nullptr; // lives on m_thread
    QTimer m_pulseTimer;
    quint16 m_port = 0;
};

} // namespace Docpipe::Server
