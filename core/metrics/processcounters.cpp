#include "processcounters.h"

#include <QMutexLocker>

namespace Docpipe::Metrics {

ProcessCounters::ProcessCounters()
    : m_families{
        {Counter::RemoteRequests,
         "Requests this process made to remote services, by service and HTTP status "
         "(0: no answer).",
         {}},
        {Counter::RateLimitWaits, "Times this process waited for a remote service's rate limit.", {}},
        {Counter::RateLimitWaitSeconds, "Seconds this process waited for remote services' rate limits.", {}},
        {Counter::PagesProcessed, "Pages this process parsed.", {}},
        {Counter::ChunksProcessed, "Chunks this process embedded.", {}},
        {Counter::TokensProcessed, "Tokens (estimated) in the chunks this process embedded.", {}},
        {Counter::HttpRequests, "HTTP requests this process answered, by route and status code.", {}},
    }
{
    // Unlabelled families show 0 from the start, so a rate over them is defined.
    for (ProcessCounterFamily &family : m_families) {
        if (qstrcmp(family.name, Counter::PagesProcessed) == 0 || qstrcmp(family.name, Counter::ChunksProcessed) == 0
            || qstrcmp(family.name, Counter::TokensProcessed) == 0)
            family.values.insert({}, 0);
    }
}

ProcessCounters &ProcessCounters::instance()
{
    static ProcessCounters counters;
    return counters;
}

void ProcessCounters::add(const char *name, const CounterLabels &labels, double delta)
{
    QMutexLocker lock(&m_mutex);
    for (ProcessCounterFamily &family : m_families) {
        if (qstrcmp(family.name, name) == 0) {
            family.values[labels] += delta;
            return;
        }
    }
    Q_ASSERT_X(false, "ProcessCounters::add", name);
}

ProcessCounterSnapshot ProcessCounters::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    return m_families;
}

} // namespace Docpipe::Metrics
