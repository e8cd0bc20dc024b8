#include "servicehost.h"

#include <QDateTime>

namespace Docpipe::Server {

ServiceHost::ServiceHost(const ServiceOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_pulse(std::make_shared<MainLoopPulse>(QDateTime::currentMSecsSinceEpoch()))
{
    m_thread.setObjectName(QStringLiteral("docpipe-http"));
    m_pulseTimer.setInterval(1000);
    connect(&m_pulseTimer, &QTimer::timeout, this,
            [pulse = m_pulse] { pulse->store(QDateTime::currentMSecsSinceEpoch()); });
}

ServiceHost::~ServiceHost()
{
    m_pulseTimer.stop();
    if (m_anchor) {
        QMetaObject::invokeMethod(
            m_anchor,
            [this] {
                delete m_service;
                m_service = nullptr;
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
        delete m_anchor;
    }
}

bool ServiceHost::start(QString *error)
{
    if (const QString refused = HttpService::refusal(m_options); !refused.isEmpty()) {
        *error = refused;
        return false;
    }
    m_thread.start();
    m_anchor = new QObject;
    m_anchor->moveToThread(&m_thread);
    bool listening = false;
    QMetaObject::invokeMethod(
        m_anchor,
        [&] {
            m_service = new HttpService(m_options, m_pulse);
            listening = m_service->listen(error);
            m_port = m_service->port();
        },
        Qt::BlockingQueuedConnection);
    if (!listening)
        return false;
    connect(m_service, &HttpService::workArrived, this, &ServiceHost::workArrived); // queued: other thread
    m_pulseTimer.start();
    return true;
}

QString ServiceHost::address() const
{
    ListenAddress address = m_options.address;
    address.port = m_port;
    return address.toString();
}

} // namespace Docpipe::Server
