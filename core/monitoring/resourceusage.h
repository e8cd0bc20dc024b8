// This process's own resource use, read from /proc (Linux): CPU seconds, resident and peak
// memory, open file descriptors. Shared by /metrics and the window's status bar. Cheap (three
// small reads); a value that cannot be read is -1.
#pragma once

#include <QtGlobal>

namespace Docpipe::Monitoring {

struct ResourceUsage
{
    double cpuSeconds = -1; // user + system since the process started
    qint64 residentBytes = -1; // VmRSS
    qint64 peakResidentBytes = -1; // VmHWM
    qint64 openFds = -1;
    qint64 maxFds = -1; // the soft limit (RLIMIT_NOFILE)
    double startTimeSeconds = -1; // epoch seconds when the process started
};

ResourceUsage readResourceUsage();

// CPU use between two readings as a share of one core (1.0 = one core busy); -1 when unknown.
double cpuShare(const ResourceUsage &before, qint64 beforeMs, const ResourceUsage &after, qint64 afterMs);

} // namespace Docpipe::Monitoring
