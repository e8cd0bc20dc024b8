// Whether this process can reach its database, as its own database calls find out, and the one
// way the engine waits for it: the claim loop, the heartbeat and every stage's reads and commits
// report here, and retry with backoff here while the database is unreachable, busy, full or
// read-only (none of which is a job's fault). The state changes once per outage, so a front end
// says "database unreachable" once and "back" once. Thread-safe.
#pragma once

#include "database.h"
#include "model/result.h"

#include <QMutex>
#include <QObject>
#include <QString>
#include <QThread>

#include <functional>

namespace Docpipe::Store {

class DatabaseHealth final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatabaseHealth)

public:
    explicit DatabaseHealth(QObject *parent = nullptr);

    // A call failed for one of the database's own reasons (isDatabaseUnavailable). True when this
    // call turned the state to unreachable.
    bool reportUnavailable(const StageError &error);
    // A call succeeded. True when this ended an outage. A full disk or a read-only database still
    // answers reads: only a call that wrote (`wrote`) ends such an outage.
    bool reportReachable(bool wrote = true);

    bool isReachable() const;
    // Why it is unreachable (the last error), empty while reachable.
    QString reason() const;
    // Since when (this machine's clock, epoch ms); 0 while reachable.
    qint64 unreachableSinceMs() const;

    // The backoff of one caller: 200 ms, doubling, at most 2 s (so work resumes within about 2 s
    // of the database coming back).
    static int backoffMs(int failedTries);

Q_SIGNALS:
    // Emitted from the thread that noticed; connect with a context object to receive it queued.
    void unreachable(const QString &reason);
    // The outage is over; it lasted `outageMs` and began with `reason`.
    void reachableAgain(qint64 outageMs, const QString &reason);

private:
    mutable QMutex m_mutex;
    bool m_reachable = true;
    bool m_writesFail = false; // full or read-only: reads still work
    qint64 m_since = 0;
    QString m_reason;
};

// Calls `call` (a store function returning Result<T>) until it succeeds or fails for a reason
// other than an unavailable database, waiting with backoff in between, as long as `keepTrying()`
// says so (checked between tries, also during the wait). Reports each outcome to `health`
// (`writes`: the call writes, so its success shows the database takes writes again).
// Safe for commits: a transition is a compare-and-set on the job's lease, so a commit that did
// reach the server before the connection broke is refused, not doubled, when tried again.
template <typename Call>
auto retryWhileUnavailable(DatabaseHealth &health, bool writes, const std::function<bool()> &keepTrying, Call call)
    -> decltype(call())
{
    for (int tries = 0;; ++tries) {
        auto result = call();
        if (result.ok()) {
            health.reportReachable(writes);
            return result;
        }
        if (!isDatabaseUnavailable(result.error()))
            return result;
        health.reportUnavailable(result.error());
        for (int waited = 0, delay = DatabaseHealth::backoffMs(tries); waited < delay; waited += 50) {
            if (!keepTrying())
                return result;
            QThread::msleep(50);
        }
    }
}

} // namespace Docpipe::Store
