#include "livefeed.h"

#include "store/changelistener.h"
#include "store/jobcontrol.h"
#include "store/storeexecutor.h"

#include <QDateTime>

#include <algorithm>
#include <chrono>

namespace Docpipe::Ui {

// ---- EventCursor ---------------------------------------------------------------------------

EventCursor::EventCursor(qint64 floor, qint64 gapTimeoutMs)
    : m_floor(floor)
    , m_gapTimeoutMs(gapTimeoutMs)
{ }

QList<Store::JobEvent> EventCursor::accept(const QList<Store::JobEvent> &fetched, qint64 nowMs)
{
    QList<Store::JobEvent> fresh;
    for (const Store::JobEvent &event : fetched) {
        if (event.id > m_floor && !m_seen.contains(event.id)) {
            m_seen.insert(event.id);
            fresh.append(event);
        }
    }
    std::sort(fresh.begin(), fresh.end(),
              [](const Store::JobEvent &a, const Store::JobEvent &b) { return a.id < b.id; });

    // The ids still missing between the floor and the highest seen, as ranges. A range at or below
    // an old gap has been missing since that gap opened; one above the old maximum opens now.
    QList<qint64> seen(m_seen.cbegin(), m_seen.cend());
    std::sort(seen.begin(), seen.end());
    QList<Gap> gaps;
    qint64 previous = m_floor;
    for (const qint64 id : std::as_const(seen)) {
        if (id > previous + 1) {
            Gap gap{previous + 1, id - 1, nowMs};
            for (const Gap &old : std::as_const(m_gaps)) {
                if (old.from <= gap.to && gap.from <= old.to)
                    gap.since = std::min(gap.since, old.since);
            }
            if (nowMs - gap.since < m_gapTimeoutMs)
                gaps.append(gap);
        }
        previous = id;
    }
    m_gaps = gaps;
    m_floor = m_gaps.isEmpty() ? previous : m_gaps.first().from - 1;
    m_seen.removeIf([this](qint64 id) { return id <= m_floor; });
    return fresh;
}

// ---- what runs on the database thread ------------------------------------------------------

namespace {

qint64 steadyMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

constexpr qint64 kWorkerSeenWindowMs = 60 * 1000;

} // namespace

struct LiveFeed::DatabaseSide
{
    EventCursor cursor;
};

struct LiveFeed::Batch
{
    QString error; // empty: the database answered
    qint64 at = 0;
    bool hasStatus = false;
    Store::StatusCounts counts;
    QList<Store::WorkerRecord> workers;
    QList<Store::FleetWorker> fleet;
    bool paused = false;
    QList<Store::JobEvent> events;
    QList<Store::JobEvent> errorBacklog;
    QList<Store::JobRecord> jobs;
    qint64 lastJobId = -1; // paging: the highest id in `jobs`
};

namespace {

template <typename T>
bool take(const Result<T> &result, T &into, QString &error)
{
    if (!result) {
        error = result.error().message;
        return false;
    }
    into = result.value();
    return true;
}

bool readStatus(const Store::Database &db, auto &batch)
{
    batch.at = QDateTime::currentMSecsSinceEpoch();
    if (!take(Store::statusCounts(db), batch.counts, batch.error)
        || !take(Store::listWorkers(db, batch.at - kWorkerSeenWindowMs), batch.workers, batch.error)
        || !take(Store::listFleet(db), batch.fleet, batch.error)
        || !take(Store::isPaused(db), batch.paused, batch.error))
        return false;
    batch.hasStatus = true;
    return true;
}

QList<Store::JobEvent> upTo(QList<Store::JobEvent> events, qint64 lastId)
{
    events.removeIf([lastId](const Store::JobEvent &e) { return e.id > lastId; });
    return events;
}

} // namespace

// ---- LiveFeed ------------------------------------------------------------------------------

LiveFeed::LiveFeed(const Store::Database &db, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_side(std::make_shared<DatabaseSide>())
    , m_executor(std::make_unique<Store::StoreExecutor>())
{
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { step(); });
    m_soon.setSingleShot(true);
    m_soon.setInterval(50);
    connect(&m_soon, &QTimer::timeout, this, &LiveFeed::pollNow);
}

LiveFeed::~LiveFeed() = default;

void LiveFeed::start()
{
    if (m_phase != Phase::Stopped)
        return;
    m_phase = Phase::Connecting;
    m_timer.start();
    startListening();
    step();
}

void LiveFeed::stop()
{
    m_timer.stop();
    m_soon.stop();
    m_listener.reset();
    m_phase = Phase::Stopped;
}

void LiveFeed::startListening()
{
    if (!m_notifications || !Store::ChangeListener::isSupported(m_db))
        return;
    m_listener = std::make_unique<Store::ChangeListener>(m_db, m_safetyMs);
    connect(m_listener.get(), &Store::ChangeListener::changed, this, [this] {
        if (!m_soon.isActive())
            m_soon.start();
    });
    connect(m_listener.get(), &Store::ChangeListener::listeningChanged, this, [this](bool listening) {
        applyInterval();
        if (listening)
            pollNow(); // what changed while nobody listened
    });
    m_listener->start();
}

bool LiveFeed::isListening() const
{
    return m_listener && m_listener->isListening();
}

void LiveFeed::applyInterval()
{
    m_timer.setInterval(isListening() ? std::max(m_intervalMs, m_safetyMs) : m_intervalMs);
}

void LiveFeed::pollNow()
{
    if (m_phase == Phase::Stopped)
        return;
    if (m_busy)
        m_again = true;
    else
        step();
}

void LiveFeed::setInterval(int ms)
{
    m_intervalMs = std::max(20, ms);
    applyInterval();
}

void LiveFeed::setSafetyInterval(int ms)
{
    m_safetyMs = std::max(100, ms);
}

void LiveFeed::setPageSize(int jobs)
{
    m_pageSize = std::max(1, jobs);
}

void LiveFeed::step()
{
    if (m_busy || m_phase == Phase::Stopped)
        return;
    m_busy = true;
    m_again = false;
    const Store::Database db = m_db;
    const std::shared_ptr<DatabaseSide> side = m_side;
    QFuture<Batch> work;
    switch (m_phase) {
    case Phase::Connecting:
        work = m_executor->run([db, side] {
            Batch batch;
            if (auto migrated = db.migrate(); !migrated) {
                batch.error = migrated.error().message;
                return batch;
            }
            // Everything up to the newest event now is read below; the tail starts after it.
            QList<Store::JobEvent> newest;
            if (!take(Store::listEvents(db, {.limit = 1}), newest, batch.error))
                return batch;
            const qint64 lastId = newest.isEmpty() ? 0 : newest.last().id;
            const qint64 since = QDateTime::currentMSecsSinceEpoch() - kRecentWindowMs;
            if (!take(Store::listEvents(db, {.progressOnly = true, .since = since}), batch.events, batch.error)
                || !take(Store::listEvents(db, {.errorsOnly = true, .limit = kErrorBacklog}), batch.errorBacklog,
                         batch.error)
                || !readStatus(db, batch))
                return batch;
            batch.events = upTo(batch.events, lastId);
            batch.errorBacklog = upTo(batch.errorBacklog, lastId);
            side->cursor = EventCursor(lastId);
            return batch;
        });
        break;
    case Phase::Paging:
        work = m_executor->run([db, after = m_pageAfter, limit = m_pageSize] {
            Batch batch;
            if (take(Store::listJobs(db, {.limit = limit, .afterId = after}), batch.jobs, batch.error))
                batch.lastJobId = batch.jobs.isEmpty() ? after : batch.jobs.last().id;
            return batch;
        });
        break;
    case Phase::Tailing:
        work = m_executor->run([db, side] {
            Batch batch;
            QList<Store::JobEvent> fetched;
            if (!take(Store::listEvents(db, {.afterId = side->cursor.queryAfter()}), fetched, batch.error))
                return batch;
            // The cursor moves only once the jobs are read too: a failed read is simply asked again.
            EventCursor cursor = side->cursor;
            const QList<Store::JobEvent> fresh = cursor.accept(fetched, steadyMs());
            QList<qint64> touched;
            for (const Store::JobEvent &event : fresh)
                touched.append(event.jobId);
            std::sort(touched.begin(), touched.end());
            touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
            if (!touched.isEmpty() && !take(Store::listJobs(db, {.ids = touched}), batch.jobs, batch.error))
                return batch;
            side->cursor = cursor;
            batch.events = fresh;
            readStatus(db, batch);
            return batch;
        });
        break;
    case Phase::Stopped:
        m_busy = false;
        return;
    }
    work.then(this, [this](const Batch &batch) { finishStep(batch); });
}

void LiveFeed::finishStep(const Batch &batch)
{
    m_busy = false;
    if (m_phase == Phase::Stopped)
        return;
    const bool connected = batch.error.isEmpty();
    if (m_connected != connected) {
        m_connected = connected;
        Q_EMIT databaseStateChanged(connected, batch.error);
    }
    if (!connected && m_phase != Phase::Tailing)
        return; // the timer asks again

    switch (m_phase) {
    case Phase::Connecting:
        deliverStatus(batch);
        if (!batch.events.isEmpty())
            Q_EMIT eventsAppended(batch.events);
        Q_EMIT errorBacklog(batch.errorBacklog);
        m_phase = Phase::Paging;
        m_pageAfter = 0;
        m_loadedJobs = 0;
        step(); // the first page at once
        return;
    case Phase::Paging:
        if (!batch.jobs.isEmpty()) {
            m_loadedJobs += int(batch.jobs.size());
            Q_EMIT jobsChanged(batch.jobs);
        }
        m_pageAfter = batch.lastJobId;
        if (batch.jobs.size() >= m_pageSize) {
            step(); // the next page; the event loop runs in between
            return;
        }
        m_phase = Phase::Tailing;
        Q_EMIT loaded(m_loadedJobs);
        step(); // catch up with what changed while the pages loaded
        return;
    case Phase::Tailing:
        if (!batch.jobs.isEmpty())
            Q_EMIT jobsChanged(batch.jobs);
        if (!batch.events.isEmpty())
            Q_EMIT eventsAppended(batch.events);
        deliverStatus(batch);
        break;
    case Phase::Stopped:
        return;
    }
    if (m_again)
        step();
}

void LiveFeed::deliverStatus(const Batch &batch)
{
    if (!batch.hasStatus)
        return;
    Q_EMIT countsSampled(batch.at, batch.counts);
    Q_EMIT workersSeen(batch.workers);
    Q_EMIT fleetSeen(batch.fleet);
    if (m_paused != batch.paused) {
        m_paused = batch.paused;
        Q_EMIT pausedChanged(batch.paused);
    }
}

} // namespace Docpipe::Ui
