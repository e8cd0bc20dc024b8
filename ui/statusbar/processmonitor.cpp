#include "processmonitor.h"

#include "statusindicators.h"

#include "metrics/memoryadmission.h"

#include <QDateTime>
#include <QThread>

namespace Docpipe::Ui {

ProcessMonitor::ProcessMonitor(StatusIndicators *indicators, int maxMemoryMb, QObject *parent)
    : QObject(parent)
    , m_indicators(indicators)
    , m_maxMemoryMb(maxMemoryMb)
{
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &ProcessMonitor::sample);
    m_timer.start();
    sample();
}

void ProcessMonitor::sample()
{
    const Monitoring::ResourceUsage now = Monitoring::readResourceUsage();
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const double share = m_lastMs > 0 ? Monitoring::cpuShare(m_last, m_lastMs, now, nowMs) : -1;
    m_indicators->setProcess(share < 0 ? -1 : share / qMax(1, QThread::idealThreadCount()), now.residentBytes,
                             m_maxMemoryMb);
    const Metrics::MemoryAdmission admission = Metrics::memoryAdmission();
    m_indicators->setMemoryBudget(admission.admittedBytes, admission.budgetBytes, admission.waiting);
    m_last = now;
    m_lastMs = nowMs;
}

} // namespace Docpipe::Ui
