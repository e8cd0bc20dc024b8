// The jobs this engine is working on right now, shared between its worker threads, the
// heartbeat and the views: progress, and whether a job must stop (cancelled, lease lost,
// engine stopping). Thread-safe.
#pragma once

#include "pipelineengine.h"
#include "store/jobqueue.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QSet>

#include <atomic>

namespace Docpipe {

class JobTracker final
{
public:
    void begin(qint64 jobId, Stage stage, qint64 leaseToken);
    void end(qint64 jobId);
    void setProgress(qint64 jobId, qint64 done, qint64 total);

    // A monotonic timestamp to take just before asking the database which leases we hold.
    static qint64 clock();
    // Jobs we began before `askedAt` that the heartbeat no longer found leased to us (cancelled,
    // or taken away): stop working on them. Jobs begun later are not judged by that answer.
    void keepOnly(const QList<qint64> &held, qint64 askedAt);
    bool isLost(qint64 jobId) const;
    bool shouldStop(qint64 jobId) const { return m_stopping.load() || isLost(jobId); }

    void setStopping(bool stopping) { m_stopping.store(stopping); }
    bool isStopping() const { return m_stopping.load(); }

    QList<JobProgress> snapshot() const;
    QList<qint64> activeIds() const;
    // The leases of the jobs being worked on: the only ones a heartbeat renews.
    QList<Store::HeldLease> heldLeases() const;

private:
    mutable QMutex m_mutex;
    QHash<qint64, JobProgress> m_active;
    QHash<qint64, qint64> m_begunAt;
    QHash<qint64, qint64> m_tokens;
    QSet<qint64> m_lost;
    std::atomic<bool> m_stopping{false};
};

} // namespace Docpipe
