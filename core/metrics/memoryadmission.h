// This process's admission of stage work by memory (engine/memory_budget_mb), as gauges: the
// budgets of its engines, the estimated memory of the work they admitted, and how many stage tasks
// wait for memory. Written by core/engine/memorybudget, read by /metrics and the window's status
// bar. Lock-free; sums over the engines of the process (normally one).
#pragma once

#include <QtGlobal>

namespace Docpipe::Metrics {

struct MemoryAdmission
{
    qint64 budgetBytes = 0; // 0: no engine in this process
    qint64 admittedBytes = 0;
    int waiting = 0;
};

MemoryAdmission memoryAdmission();

// For MemoryBudget only.
void addMemoryBudget(qint64 bytes);
void addAdmittedMemory(qint64 bytes);
void addMemoryWaiters(int count);

} // namespace Docpipe::Metrics
