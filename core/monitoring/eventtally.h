// Fleet-wide counters derived from the job event log: transitions, errors by stage and code,
// retries, expired leases, cancellations and the stage-duration histogram. They come from the
// shared database, so they survive a restart and every worker reports the same numbers.
// The first update aggregates the whole log in SQL; later updates read only the events added
// since (by id), so a scrape stays cheap however long the log grows.
#pragma once

#include "model/result.h"
#include "store/database.h"

#include <QList>
#include <QMap>
#include <QSet>
#include <QString>

#include <array>
#include <tuple>

namespace Docpipe::Monitoring {

struct EventKey
{
    QString kind; // job_events.kind
    QString fromStage;
    QString toStage;
    QString code;
    bool operator<(const EventKey &other) const
    {
        return std::tie(kind, fromStage, toStage, code)
            < std::tie(other.kind, other.fromStage, other.toStage, other.code);
    }
};

// Upper bounds of the duration histogram's buckets, in seconds (+Inf is the count).
inline constexpr std::array<double, 12> kDurationBuckets{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900};

struct EventCount
{
    qint64 count = 0;
    qint64 durationCount = 0; // events with a duration
    double durationSumSeconds = 0;
    std::array<qint64, kDurationBuckets.size()> buckets{}; // cumulative: duration <= bound
};

class EventTally final
{
public:
    // Catches up with the log. On error the totals stay as they were.
    Result<bool> update(const Store::Database &db);
    const QMap<EventKey, EventCount> &totals() const { return m_totals; }

    // Events younger than this may still be joined by ones with smaller ids from transactions
    // that commit late: they are remembered by id until they are older.
    static constexpr qint64 kSettleMs = 30000;

private:
    Result<bool> aggregateUpTo(const Store::Database &db, qint64 lastId);
    void add(const EventKey &key, qint64 durationMs);

    bool m_primed = false;
    qint64 m_watermark = 0; // every event with id <= this is counted
    QSet<qint64> m_countedAbove; // counted events with id > watermark
    QMap<EventKey, EventCount> m_totals;
};

} // namespace Docpipe::Monitoring
