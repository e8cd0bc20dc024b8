// Admits stage work by an estimate of the memory it needs rather than by job count alone: a
// 2,000-page PDF weighs as much as many small files, so two of them do not parse side by side
// when the budget (engine/memory_budget_mb) cannot hold both. Work is admitted in the order it
// asked, so a big job is not starved by a stream of small ones; a job bigger than the whole budget
// runs once nothing else is admitted, alone. Thread-safe; shared by an engine's worker threads and
// published as gauges (core/metrics/memoryadmission.h) for /metrics and the window.
#pragma once

#include "store/records.h"

#include <QList>
#include <QMutex>
#include <QWaitCondition>

#include <functional>

namespace Docpipe {

class MemoryBudget final
{
public:
    explicit MemoryBudget(qint64 budgetBytes);
    ~MemoryBudget();
    Q_DISABLE_COPY_MOVE(MemoryBudget)

    // Waits until `bytes` fits beside what is admitted (or nothing is admitted) and every earlier
    // request was served. False when `giveUp` says so first (asked a few times a second).
    bool reserve(qint64 bytes, const std::function<bool()> &giveUp);
    void release(qint64 bytes);

    qint64 budgetBytes() const { return m_budget; }
    qint64 admittedBytes() const;
    int waiting() const;
    // Nothing more can start without waiting: the budget is spent, or someone already waits.
    bool isSaturated() const;

private:
    const qint64 m_budget;
    mutable QMutex m_mutex;
    QWaitCondition m_changed;
    qint64 m_admitted = 0;
    quint64 m_nextTicket = 0;
    QList<quint64> m_waiting; // tickets of the requests that wait, oldest first: served in this order

    bool fits(qint64 bytes) const { return m_admitted == 0 || m_admitted + bytes <= m_budget; }
    void admit(qint64 bytes);
};

// What running `job`'s current stage is expected to hold at its peak, in bytes. Rough by design:
// parsing holds the file, the parser's state and the text it extracts (a PDF's text and poppler's
// per-page objects come to about 10x the file: R's 6.5 MB, 2,415-page reference manual peaked
// 70 MB above the idle process); chunking the document's text a few times over (the pages, the
// chunks, their SQL rows); embedding one window of chunks.
qint64 estimateStageBytes(const Store::JobRecord &job);

} // namespace Docpipe
