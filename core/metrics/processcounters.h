// Counters of this process only (they start at zero with it): remote calls by service and HTTP
// status, rate-limit waits, pages, chunks and tokens this process produced, API requests. Code
// anywhere in the engine adds to them; /metrics reads a snapshot. Thread-safe; one lock held for
// a map update, far cheaper than the work it counts.
#pragma once

#include <QList>
#include <QMap>
#include <QMutex>
#include <QPair>
#include <QString>

namespace Docpipe::Metrics {

namespace Counter {
inline constexpr char RemoteRequests[] = "docpipe_remote_requests_total"; // service, status
inline constexpr char RateLimitWaits[] = "docpipe_rate_limit_waits_total"; // service
inline constexpr char RateLimitWaitSeconds[] = "docpipe_rate_limit_wait_seconds_total"; // service
inline constexpr char PagesProcessed[] = "docpipe_pages_processed_total";
inline constexpr char ChunksProcessed[] = "docpipe_chunks_processed_total";
inline constexpr char TokensProcessed[] = "docpipe_tokens_processed_total";
inline constexpr char HttpRequests[] = "docpipe_http_requests_total"; // route, code
} // namespace Counter

using CounterLabels = QList<QPair<QString, QString>>;

struct ProcessCounterFamily
{
    const char *name;
    const char *help;
    QMap<CounterLabels, double> values;
};
using ProcessCounterSnapshot = QList<ProcessCounterFamily>;

class ProcessCounters final
{
public:
    static ProcessCounters &instance();

    // `name` is one of Counter::*.
    void add(const char *name, const CounterLabels &labels, double delta = 1);
    ProcessCounterSnapshot snapshot() const;

private:
    ProcessCounters();
    mutable QMutex m_mutex;
    ProcessCounterSnapshot m_families;
};

// Shorthand: ProcessCounters::instance().add(...).
inline void count(const char *name, const CounterLabels &labels = {}, double delta = 1)
{
    ProcessCounters::instance().add(name, labels, delta);
}

} // namespace Docpipe::Metrics
