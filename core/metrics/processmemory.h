// This process's memory as the operating system sees it, and which allocator serves it; for the
// engine's counters, the start-up log and the memory benchmark.
#pragma once

#include <QString>

namespace Docpipe::Metrics {

qint64 residentBytes(); // now (Linux: /proc/self/statm); -1 when unknown
qint64 peakResidentBytes(); // the high-water mark since the process started (getrusage)
QString allocatorName(); // "mimalloc 2.0.9" or "glibc malloc"

} // namespace Docpipe::Metrics
