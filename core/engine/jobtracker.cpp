#include "jobtracker.h"

#include <chrono>

namespace Docpipe {

qint64 JobTracker::clock()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void JobTracker::begin(qint64 jobId, Stage stage, qint64 leaseToken)
{
    const QMutexLocker lock(&m_mutex);
    m_tokens.insert(jobId, leaseToken);
    m_active.insert(jobId, {jobId, stage, 0, 0});
    m_begunAt.insert(jobId, clock());
    m_lost.remove(jobId);
}

void JobTracker::end(qint64 jobId)
{
    const QMutexLocker lock(&m_mutex);
    m_active.remove(jobId);
    m_begunAt.remove(jobId);
    m_tokens.remove(jobId);
    m_lost.remove(jobId);
}

void JobTracker::setProgress(qint64 jobId, qint64 done, qint64 total)
{
    const QMutexLocker lock(&m_mutex);
    auto it = m_active.find(jobId);
    if (it != m_active.end()) {
        it->done = done;
        it->total = total;
    }
}

void JobTracker::keepOnly(const QList<qint64> &held, qint64 askedAt)
{
    const QSet<qint64> heldSet(held.begin(), held.end());
    const QMutexLocker lock(&m_mutex);
    for (auto it = m_begunAt.cbegin(); it != m_begunAt.cend(); ++it) {
        if (it.value() < askedAt && !heldSet.contains(it.key()))
            m_lost.insert(it.key());
    }
}

bool JobTracker::isLost(qint64 jobId) const
{
    const QMutexLocker lock(&m_mutex);
    return m_lost.contains(jobId);
}

QList<JobProgress> JobTracker::snapshot() const
{
    const QMutexLocker lock(&m_mutex);
    return m_active.values();
}

QList<Store::HeldLease> JobTracker::heldLeases() const
{
    const QMutexLocker lock(&m_mutex);
    QList<Store::HeldLease> leases;
    leases.reserve(m_tokens.size());
    for (auto it = m_tokens.cbegin(); it != m_tokens.cend(); ++it)
        leases.append({it.key(), it.value()});
    return leases;
}

QList<qint64> JobTracker::activeIds() const
{
    const QMutexLocker lock(&m_mutex);
    return m_active.keys();
}

} // namespace Docpipe
