#include "memoryadmission.h"

#include <atomic>

namespace Docpipe::Metrics {

namespace {
std::atomic<qint64> g_budget{0};
std::atomic<qint64> g_admitted{0};
std::atomic<int> g_waiting{0};
} // namespace

MemoryAdmission memoryAdmission()
{
    return {g_budget.load(), g_admitted.load(), g_waiting.load()};
}

void addMemoryBudget(qint64 bytes)
{
    g_budget += bytes;
}

void addAdmittedMemory(qint64 bytes)
{
    g_admitted += bytes;
}

void addMemoryWaiters(int count)
{
    g_waiting += count;
}

} // namespace Docpipe::Metrics
