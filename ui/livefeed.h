// The window's view of the database: polls it off the GUI thread and tells every view what
// changed, including work done by other workers on the same database, because everything is read
// from the job event log and the jobs table, never from in-process signals. On SQLite it polls
// about every 500 ms; on PostgreSQL it polls when a change notice arrives (coalesced), and only
// every few seconds as a safety net (every 500 ms again while the notification connection is down).
#pragma once

#include "store/database.h"
#include "store/fleetworkers.h"
#include "store/jobqueries.h"
#include "store/records.h"
#include "store/workerregistry.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>

namespace Docpipe::Store {
class ChangeListener;
class StoreExecutor;
} // namespace Docpipe::Store

namespace Docpipe::Ui {

// Where the tail of the event log stands. PostgreSQL hands out ids from a sequence, so an id can
// commit after a higher one was already read: an id missing below the highest one seen is asked
// for again until it shows up or `gapTimeoutMs` passes (then it was a rolled-back insert).
// Plain value type; the feed keeps it on its database thread.
class EventCursor final
{
public:
    explicit EventCursor(qint64 floor = 0, qint64 gapTimeoutMs = 15000);

    // Ask the database for events with ids above this.
    qint64 queryAfter() const { return m_floor; }
    // Takes what the database returned and gives back the events not delivered before, in id order.
    QList<Store::JobEvent> accept(const QList<Store::JobEvent> &fetched, qint64 nowMs);
    // Ids remembered above the floor (bounded by what arrives within the gap timeout).
    qsizetype rememberedCount() const { return m_seen.size(); }

private:
    struct Gap
    {
        qint64 from = 0;
        qint64 to = 0;
        qint64 since = 0;
    };

    qint64 m_floor;
    qint64 m_gapTimeoutMs;
    QSet<qint64> m_seen;
    QList<Gap> m_gaps;
};

class LiveFeed final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveFeed)

public:
    static constexpr int kDefaultIntervalMs = 500;
    static constexpr int kDefaultPageSize = 2000;
    static constexpr qint64 kRecentWindowMs = 10 * 60 * 1000;
    static constexpr int kErrorBacklog = 5000;

    explicit LiveFeed(const Store::Database &db, QObject *parent = nullptr);
    ~LiveFeed() override;

    // The first poll starts at once: status, the last 10 minutes of events, the error backlog,
    // then every job, page by page (the window stays responsive while a big table loads).
    void start();
    void stop();
    // Poll as soon as possible (after an ingest or an operator action), coalesced.
    void pollNow();

    void setInterval(int ms);
    // The safety-net interval while notifications arrive (PostgreSQL); takes effect at start().
    void setSafetyInterval(int ms);
    // Off: poll at the interval whatever the database (takes effect at start()).
    void setNotificationsEnabled(bool enabled) { m_notifications = enabled; }
    bool isListening() const;
    void setPageSize(int jobs);
    bool isLoaded() const { return m_phase == Phase::Tailing; }
    Store::Database database() const { return m_db; }

Q_SIGNALS:
    void jobsChanged(const QList<Docpipe::Store::JobRecord> &jobs); // rows changed since last poll
    void eventsAppended(const QList<Docpipe::Store::JobEvent>
                            &events); // new events, id order; the
                                      // first poll delivers the events of the last 10 minutes (for the charts)
    void errorBacklog(
        const QList<Docpipe::Store::JobEvent> &events); // first poll only: the newest
                                                        // 5,000 error events (Store::isErrorKind), oldest first
    void countsSampled(qint64 nowMs, const Docpipe::Store::StatusCounts &counts); // every poll
    void workersSeen(const QList<Docpipe::Store::WorkerRecord> &workers); // every poll
    void fleetSeen(const QList<Docpipe::Store::FleetWorker> &fleet); // every poll: the Workers panel
    void databaseStateChanged(bool connected, const QString &reason);
    // Beyond the contract: the engine-wide pause flag (any worker or the CLI may set it), and
    // the end of the first load.
    void pausedChanged(bool paused);
    void loaded(int jobCount);

private:
    enum class Phase { Stopped, Connecting, Paging, Tailing };
    struct Batch;
    struct DatabaseSide;

    void step();
    void finishStep(const Batch &batch);
    void deliverStatus(const Batch &batch);
    void startListening();
    void applyInterval();

    Store::Database m_db;
    std::shared_ptr<DatabaseSide> m_side;
    std::unique_ptr<Store::StoreExecutor> m_executor;
    QTimer m_timer;
    QTimer m_soon; // coalesces a burst of change notices into one poll
    std::unique_ptr<Store::ChangeListener> m_listener;
    int m_intervalMs = kDefaultIntervalMs;
    int m_safetyMs = 5000;
    bool m_notifications = true;
    Phase m_phase = Phase::Stopped;
    bool m_busy = false;
    bool m_again = false;
    int m_pageSize = kDefaultPageSize;
    qint64 m_pageAfter = 0;
    int m_loadedJobs = 0;
    std::optional<bool> m_connected;
    std::optional<bool> m_paused;
};

} // namespace Docpipe::Ui
