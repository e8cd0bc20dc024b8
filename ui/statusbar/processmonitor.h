// Reads this process's CPU and memory every two seconds (core/monitoring) and shows them in the
// status bar's process indicator, with the engine's memory budget (core/metrics/memoryadmission).
// Only /proc reads on the GUI thread: a few microseconds.
#pragma once

#include "monitoring/resourceusage.h"

#include <QObject>
#include <QTimer>

namespace Docpipe::Ui {

class StatusIndicators;

class ProcessMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessMonitor)

public:
    ProcessMonitor(StatusIndicators *indicators, int maxMemoryMb, QObject *parent = nullptr);
    void setMaxMemoryMb(int megabytes) { m_maxMemoryMb = megabytes; }
    void sample();

private:
    StatusIndicators *m_indicators;
    int m_maxMemoryMb;
    QTimer m_timer;
    Monitoring::ResourceUsage m_last;
    qint64 m_lastMs = 0;
};

} // namespace Docpipe::Ui
