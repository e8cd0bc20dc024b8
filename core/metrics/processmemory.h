// This process's memory as the operating system sees it, which allocator serves it and how soon it
// gives freed memory back; for the engine's counters, the start-up log and the memory benchmark.
#pragma once

#include <QString>

namespace Docpipe::Metrics {

qint64 residentBytes(); // now (Linux: /proc/self/statm); -1 when unknown
qint64 peakResidentBytes(); // the high-water mark since the process started (getrusage)
QString allocatorName(); // "mimalloc 2.0.9" or "glibc malloc"

// Makes the allocator return freed segments to the system at once rather than after a delay
// (mimalloc: 500 ms). An OCRed page's images (tens of MB) and a long PDF's text are freed in one go
// and would otherwise still count as resident while the next big piece of work allocates: on
// Debian's documentation (R's 2,415-page reference manual) the peak fell by about 30 MB, at no
// measurable CPU cost. Process-wide; idempotent. Nothing to do for glibc's malloc.
void returnFreedMemoryPromptly();
// Returns what this thread's allocator heap holds freed (mimalloc keeps a thread's freed pages
// committed until the thread allocates again, and a pool thread may then wait long).
void releaseThreadMemory();

} // namespace Docpipe::Metrics
