// Admits stage work by an estimate of the memory it needs rather than by job count alone: a
// 2,000-page PDF weighs as much as many small files, so two of them do not parse side by side
// when the budget (engine/memory_budget_mb) cannot hold both. Work is admitted in the order it
// asked, so a big job is not starved by a stream of small ones; a job bigger than the whole budget
// runs once nothing else is admitted, alone. Work already running may hold more for a while (an
// OCRed page's render and Tesseract): an extra. Thread-safe; shared by an engine's worker threads
// and published as gauges (core/metrics/memoryadmission.h) for /metrics and the window.
#pragma once

#include "stages/stagecontext.h"
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

    // For work already admitted that needs `bytes` more for a while. Extras are served before new
    // work and wait only for each other, never for new work or for a job's own share: a running
    // job must not wait on one that waits for it to end. An extra fits beside what is admitted,
    // or once no other extra is held (so the budget is exceeded by one extra at most, as it is by
    // a job bigger than the budget). False when `giveUp` says so first.
    bool reserveExtra(qint64 bytes, const std::function<bool()> &giveUp);
    void releaseExtra(qint64 bytes);

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
    qint64 m_extraAdmitted = 0; // the part of m_admitted held as extras
    QList<quint64> m_extraWaiting; // tickets of the extras that wait, oldest first; before m_waiting

    bool fits(qint64 bytes) const { return m_admitted == 0 || m_admitted + bytes <= m_budget; }
    bool extraFits(qint64 bytes) const { return m_extraAdmitted == 0 || m_admitted + bytes <= m_budget; }
    void admit(qint64 bytes);
    bool waitInLine(QList<quint64> &line, const std::function<bool()> &admissible, const std::function<bool()> &giveUp);
};

// StageContext::reserveMemory for a job's stage: extras of `budget`, given up (nothing reserved)
// once `mustStop` says the job must stop.
StageContext::MemoryReserver extraMemoryReserver(std::shared_ptr<MemoryBudget> budget, std::function<bool()> mustStop);

// What running `job`'s current stage is expected to hold at its peak, in bytes. Rough by design:
// parsing holds the file, the parser's state and the text it extracts (a PDF's text and poppler's
// per-page objects come to about 10x the file: R's 6.5 MB, 2,415-page reference manual peaked
// 70 MB above the idle process); chunking the document's text a few times over (the pages, the
// chunks, their SQL rows); embedding one window of chunks.
qint64 estimateStageBytes(const Store::JobRecord &job);

} // namespace Docpipe
