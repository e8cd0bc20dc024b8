#include "pipelineengine.h"

#include "folderwatcher.h"
#include "jobtracker.h"
#include "logging.h"
#include "metrics/processmemory.h"
#include "stagerunner.h"
#include "store/alertstore.h"
#include "store/changelistener.h"
#include "store/changenotice.h"
#include "store/jobqueue.h"
#include "store/retention.h"
#include "store/workerregistry.h"

#include <QCoreApplication>
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>
#include <QThreadPool>
#include <QTimer>

#include <array>
#include <atomic>

namespace Docpipe {

namespace {

constexpr std::array<Stage, 3> kActiveStages{Stage::Parsing, Stage::Chunking, Stage::Embedding};

int slotOf(Stage stage)
{
    return stage == Stage::Parsing ? 0 : stage == Stage::Chunking ? 1 : 2;
}

enum class TaskResult { Idle, Worked, DatabaseTrouble };

// A lease of ours that no task works on is handed back once it is this old: younger ones may
// belong to a claim that committed a moment ago and has not begun its stage yet.
constexpr qint64 kForgottenLeaseMinAgeMs = 2000;

// The database's own trouble is said once per outage (by the health's signal); anything else is
// a warning of its own.
void databaseTrouble(const StageServices &s, const StageError &error, const char *what)
{
    if (Store::isDatabaseUnavailable(error))
        s.health->reportUnavailable(error);
    else
        qCWarning(lcEngine) << what << error.message;
}

} // namespace

class EngineCore
{
public:
    enum class State { Stopped, Starting, Running, Stopping };

    StageServices services;
    QThreadPool pool;
    QTimer pollTimer;
    QTimer heartbeatTimer;
    QTimer changeTimer;
    QTimer retentionTimer; // 10 min after start, then hourly (with retention/days > 0)
    QTimer claimRetryTimer; // while running: claims wait for it after a failed one (backoff)
    int failedClaims = 0; // in a row
    State state = State::Stopped;
    std::array<int, 3> inFlight{0, 0, 0};
    // hasWork: the last task of the stage found a job, so fill every slot.
    // wantProbe: something may have arrived (tick, wake, upstream progress): try one claim.
    std::array<bool, 3> hasWork{false, false, false};
    std::array<bool, 3> wantProbe{false, false, false};
    std::array<int, 3> limits{1, 1, 1};
    bool heartbeatBusy = false;
    bool changed = false;
    bool draining = false; // an operator asked: finish what is in hand, claim nothing, then stop
    bool schemaTooNew = false; // a newer Docpipe migrated the database: claim nothing
    std::unique_ptr<FolderWatcher> watcher; // while running, when this worker watches folders
    std::unique_ptr<Store::ChangeListener> listener; // while running on PostgreSQL
    std::atomic<qint64> completed{0};
    std::atomic<qint64> failures{0};

    int totalInFlight() const { return inFlight[0] + inFlight[1] + inFlight[2]; }
    bool watcherBusy() const { return watcher && watcher->isScanning(); }
    // Polling finds work when nothing tells us about it: often on SQLite or while the notification
    // connection is down; only as a slow safety net while notifications arrive.
    int pollInterval() const
    {
        if (listener && listener->isListening() && services.health->isReachable())
            return qMax(1, services.config.engine.safetyPollSeconds) * 1000;
        return qMax(20, services.config.engine.pollMs);
    }
};

PipelineEngine::PipelineEngine(const Config &config, std::shared_ptr<const Stages::DocumentParser> parser,
                               std::shared_ptr<const Stages::Embedder> embedder, QObject *parent)
    : QObject(parent)
    , m_core(std::make_unique<EngineCore>())
{
    Metrics::returnFreedMemoryPromptly(); // big stage work frees tens of MB at once
    m_core->services.worker = Store::newWorkerId();
    m_core->services.tracker = std::make_shared<JobTracker>();
    m_core->services.health = std::make_shared<Store::DatabaseHealth>();
    configure(config, std::move(parser), std::move(embedder));
    EngineCore &c = *m_core;
    c.claimRetryTimer.setSingleShot(true);
    // The first prune 10 minutes after start (not in the rush of starting, and never in a short
    // run such as ingest --wait), then hourly.
    c.retentionTimer.setInterval(600 * 1000);
    connect(&c.retentionTimer, &QTimer::timeout, this, [this] {
        m_core->retentionTimer.setInterval(3600 * 1000);
        prune();
    });
    connect(&c.claimRetryTimer, &QTimer::timeout, this, &PipelineEngine::wake);
    // Reported from the pool's threads; received here, in the engine's thread.
    connect(c.services.health.get(), &Store::DatabaseHealth::unreachable, this, [this](const QString &reason) {
        qCInfo(lcEngine).noquote() << "database unavailable, retrying with backoff:" << reason; // front ends say it
        EngineCore &core = *m_core;
        // The notification connection has most likely broken too: find out now rather than at its
        // next check, and poll at the short interval until it listens again.
        if (core.listener)
            core.listener->checkNow();
        core.pollTimer.setInterval(core.pollInterval());
        Q_EMIT databaseUnreachable(reason);
    });
    connect(c.services.health.get(), &Store::DatabaseHealth::reachableAgain, this,
            [this](qint64 outageMs, const QString &reason) {
                qCInfo(lcEngine) << "database reachable again after" << outageMs << "ms";
                const StageServices s = m_core->services;
                m_core->pool.start([s, outageMs, reason] {
                    // This thread's connection may not know yet that it broke: a second try reconnects.
                    auto logged = Store::recordDatabaseOutage(s.db, s.worker, outageMs, reason);
                    if (!logged && Store::isDatabaseUnavailable(logged.error()))
                        logged = Store::recordDatabaseOutage(s.db, s.worker, outageMs, reason);
                    if (!logged)
                        qCWarning(lcEngine) << "cannot record the database outage:" << logged.error().message;
                });
                Q_EMIT databaseReachable(outageMs);
                EngineCore &core = *m_core;
                core.pollTimer.setInterval(core.pollInterval());
                if (core.listener)
                    core.listener->checkNow();
                // Renew the leases in hand and hand back what the outage made us forget, now
                // rather than at the next beat; look at the watched folders again.
                heartbeat();
                if (core.watcher)
                    core.watcher->rescanNow();
                wake(); // claims were backing off: go on now
            });
    c.changeTimer.setInterval(250);
    connect(&c.pollTimer, &QTimer::timeout, this, &PipelineEngine::wake);
    connect(&c.heartbeatTimer, &QTimer::timeout, this, [this] { heartbeat(); });
    connect(&c.changeTimer, &QTimer::timeout, this, [this] {
        if (std::exchange(m_core->changed, false))
            Q_EMIT jobsChanged();
    });
}

void PipelineEngine::configure(const Config &config, std::shared_ptr<const Stages::DocumentParser> parser,
                               std::shared_ptr<const Stages::Embedder> embedder)
{
    EngineCore &c = *m_core;
    c.services.db = Store::Database(config.effectiveDatabaseUrl());
    c.services.config = config;
    c.services.parser = std::move(parser);
    c.services.embedder = std::move(embedder);
    c.services.budget = std::make_shared<MemoryBudget>(qint64(qMax(1, config.engine.memoryBudgetMb)) * 1024 * 1024);
    c.limits = {qMax(1, config.effectiveParseConcurrency()), qMax(1, config.engine.chunkConcurrency),
                qMax(1, config.effectiveEmbedConcurrency())};
    // One thread beyond the stage limits, so the heartbeat never queues behind stage work, one
    // for the folder watcher's scans and one for the hourly retention prune.
    c.pool.setMaxThreadCount(c.limits[0] + c.limits[1] + c.limits[2] + 3);
    c.pollTimer.setInterval(c.pollInterval());
    c.heartbeatTimer.setInterval(qMax(100, config.engine.heartbeatMs));
}

bool PipelineEngine::reconfigure(const Config &config, std::shared_ptr<const Stages::DocumentParser> parser,
                                 std::shared_ptr<const Stages::Embedder> embedder)
{
    if (m_core->state != EngineCore::State::Stopped)
        return false;
    m_core->pool.waitForDone(); // stopped: nothing of ours is left in it but finished tasks
    configure(config, std::move(parser), std::move(embedder));
    return true;
}

PipelineEngine::~PipelineEngine()
{
    m_core->services.tracker->setStopping(true);
    m_core->pool.waitForDone();
}

void PipelineEngine::start()
{
    EngineCore &c = *m_core;
    if (c.state != EngineCore::State::Stopped)
        return;
    c.state = EngineCore::State::Starting;
    c.draining = false;
    c.schemaTooNew = false;
    c.services.tracker->setStopping(false);
    const StageServices s = c.services;
    QtConcurrent::run(&c.pool, [s]() -> QString {
        auto migrated = s.db.migrate();
        if (!migrated)
            return migrated.error().message;
        const qint64 now = Store::nowMs();
        auto registered = Store::registerWorker(s.db,
                                                {s.worker, Store::localHostName(), QCoreApplication::applicationPid(),
                                                 now, now, QStringLiteral("running"), QStringLiteral(DOCPIPE_VERSION)});
        if (!registered)
            return registered.error().message;
        // A single process on this host recovers the leases of its dead predecessors at once.
        auto dead = Store::reapDeadLocalWorkers(s.db, Store::localHostName(), s.worker);
        if (!dead)
            return dead.error().message;
        auto recovered = Store::recoverLeases(s.db, dead.value(), s.config.engine.maxRescues, s.worker);
        if (!recovered)
            return recovered.error().message;
        if (recovered.value() > 0)
            qCInfo(lcEngine) << "recovered" << recovered.value() << "job(s) from stopped workers";
        return QString();
    }).then(this, [this](const QString &error) {
        // A continuation attached to a future that has already finished runs at once, inside
        // start(): queue it, so that a stop() right after start() is always seen as stopAsked.
        QMetaObject::invokeMethod(
            this, [this, error] { finishStart(error); }, Qt::QueuedConnection);
    });
}

void PipelineEngine::finishStart(const QString &error)
{
    EngineCore &core = *m_core;
    const bool stopAsked = core.state == EngineCore::State::Stopping; // stop() came while starting
    if (!error.isEmpty()) {
        core.state = EngineCore::State::Stopped;
        Q_EMIT startFailed(error);
        if (stopAsked)
            Q_EMIT stopped();
        return;
    }
    if (stopAsked)
        return finishStopIfIdle();
    core.state = EngineCore::State::Running;
    core.pollTimer.start();
    core.heartbeatTimer.start();
    core.changeTimer.start();
    core.retentionTimer.start(600 * 1000);
    qCInfo(lcEngine) << "engine started as" << core.services.worker << "on" << core.services.db.displayUrl() << "with"
                     << Metrics::allocatorName();
    Q_EMIT started();
    if (core.services.config.watch.enabled)
        startWatcher();
    startListener();
    core.wantProbe.fill(true);
    dispatch();
}

void PipelineEngine::stop()
{
    EngineCore &c = *m_core;
    if (c.state == EngineCore::State::Stopped) {
        Q_EMIT stopped();
        return;
    }
    if (c.state == EngineCore::State::Stopping)
        return;
    const bool starting = c.state == EngineCore::State::Starting;
    c.state = EngineCore::State::Stopping;
    c.services.tracker->setStopping(true);
    c.pollTimer.stop();
    c.claimRetryTimer.stop();
    if (c.watcher)
        c.watcher->stop();
    if (!starting) // else the start-up task finishes first, then stops (see start())
        finishStopIfIdle();
}

void PipelineEngine::finishStopIfIdle()
{
    EngineCore &c = *m_core;
    if (c.state != EngineCore::State::Stopping || c.totalInFlight() > 0 || c.heartbeatBusy || c.watcherBusy())
        return;
    c.heartbeatTimer.stop();
    const StageServices s = c.services;
    c.heartbeatBusy = true;
    QtConcurrent::run(&c.pool, [s] {
        Store::heartbeatWorker(s.db, s.worker, QStringLiteral("stopped"));
        s.db.closeThreadConnection();
    }).then(this, [this] {
        EngineCore &core = *m_core;
        core.heartbeatBusy = false;
        core.state = EngineCore::State::Stopped;
        core.watcher.reset();
        core.listener.reset();
        core.pollTimer.setInterval(core.pollInterval());
        core.changeTimer.stop();
        core.retentionTimer.stop();
        if (std::exchange(core.changed, false))
            Q_EMIT jobsChanged();
        qCInfo(lcEngine) << "engine stopped";
        Q_EMIT stopped();
    });
}

void PipelineEngine::startWatcher()
{
    EngineCore &c = *m_core;
    c.watcher = std::make_unique<FolderWatcher>(c.services.db, c.services.config, &c.pool, c.services.health);
    connect(c.watcher.get(), &FolderWatcher::jobsCreated, this, &PipelineEngine::wake);
    connect(c.watcher.get(), &FolderWatcher::scanned, this, [this] {
        if (m_core->state == EngineCore::State::Stopping)
            finishStopIfIdle();
    });
    c.watcher->start();
}

void PipelineEngine::startListener()
{
    EngineCore &c = *m_core;
    if (!c.services.config.engine.notifications || !Store::ChangeListener::isSupported(c.services.db))
        return;
    c.listener = std::make_unique<Store::ChangeListener>(c.services.db,
                                                         qMax(1, c.services.config.engine.safetyPollSeconds) * 1000);
    connect(c.listener.get(), &Store::ChangeListener::changed, this, &PipelineEngine::noticed);
    connect(c.listener.get(), &Store::ChangeListener::listeningChanged, this, [this](bool listening) {
        EngineCore &core = *m_core;
        core.pollTimer.setInterval(core.pollInterval());
        if (listening) // notices sent while nobody listened are lost: look once
            wake();
    });
    c.listener->start();
}

void PipelineEngine::noticed(const QString &payload)
{
    const auto notice = Store::parseChangePayload(payload);
    if (!notice || m_core->state != EngineCore::State::Running)
        return;
    if (notice->kind == Store::ChangeNotice::Kind::Control) {
        if (notice->word == QLatin1String("resumed"))
            wake();
        return;
    }
    if (notice->kind == Store::ChangeNotice::Kind::Drain) {
        if (notice->word == m_core->services.worker)
            drain();
        return;
    }
    if (const auto active = notice->claimableBy()) {
        if (notice->delayMs > 0)
            QTimer::singleShot(notice->delayMs, this, [this, stage = *active] { probe(stage); });
        else
            probe(*active);
    } else if (notice->status == JobStatus::Cancelled
               && m_core->services.tracker->activeIds().contains(notice->jobId)) {
        heartbeat(); // stop working on it now rather than at the next heartbeat
    }
}

void PipelineEngine::probe(Stage stage)
{
    m_core->wantProbe[slotOf(stage)] = true;
    dispatch();
}

void PipelineEngine::rescanWatchedFolders()
{
    if (m_core->watcher)
        m_core->watcher->rescanNow();
}

void PipelineEngine::wake()
{
    m_core->wantProbe.fill(true);
    if (m_core->services.health->isReachable())
        m_core->claimRetryTimer.stop();
    dispatch();
}

void PipelineEngine::dispatch()
{
    EngineCore &c = *m_core;
    if (c.state != EngineCore::State::Running || c.claimRetryTimer.isActive())
        return;
    if (c.draining || c.schemaTooNew)
        return stopWhenDrained();
    // While the memory budget is spent (or a claimed job already waits for memory), claiming more
    // would only hold jobs that another worker could run; what ends frees memory and dispatches.
    if (c.services.budget->isSaturated())
        return;
    for (const Stage stage : kActiveStages) {
        const int slot = slotOf(stage);
        if (c.hasWork[slot]) {
            while (c.inFlight[slot] < c.limits[slot])
                launch(stage);
            c.wantProbe[slot] = false;
        } else if (c.wantProbe[slot] && c.inFlight[slot] == 0) {
            launch(stage);
            c.wantProbe[slot] = false;
        }
        // Otherwise a wish to probe waits for the task in flight: it may have looked before the
        // new work arrived, and when it comes back idle this probe still has to happen (not at
        // the next poll tick, a quarter of a second later).
    }
}

void PipelineEngine::launch(Stage stage)
{
    EngineCore &c = *m_core;
    const int slot = slotOf(stage);
    ++c.inFlight[slot];
    const StageServices s = c.services;
    QtConcurrent::run(&c.pool, [s, stage]() -> std::pair<TaskResult, StageOutcome> {
        auto claimed = Store::claimNext(s.db, stage, s.worker, qint64(s.config.engine.leaseSeconds) * 1000);
        if (!claimed) {
            databaseTrouble(s, claimed.error(), "cannot claim work:");
            return {TaskResult::DatabaseTrouble, {}};
        }
        s.health->reportReachable(claimed.value().has_value()); // an empty claim wrote nothing
        if (!claimed.value())
            return {TaskResult::Idle, {}};
        const StageOutcome outcome = runStage(s, *claimed.value());
        Metrics::releaseThreadMemory();
        return {TaskResult::Worked, outcome};
    }).then(this, [this, slot](const std::pair<TaskResult, StageOutcome> &result) {
        EngineCore &core = *m_core;
        --core.inFlight[slot];
        if (result.first == TaskResult::Worked) {
            core.changed = true;
            if (result.second.completed)
                ++core.completed;
            if (result.second.failed) {
                ++core.failures;
                if (result.second.error.code == QLatin1String("insufficient_quota"))
                    Q_EMIT alert(result.second.error.code, result.second.error.message);
            }
            // This stage may have more, and the next stage may now have work.
            core.hasWork[slot] = true;
            if (slot < 2)
                core.wantProbe[slot + 1] = true;
        } else {
            core.hasWork[slot] = false;
        }
        if (result.first == TaskResult::DatabaseTrouble)
            claimFailed();
        else
            core.failedClaims = 0;
        if (core.state == EngineCore::State::Stopping)
            finishStopIfIdle();
        else
            dispatch();
    });
}

void PipelineEngine::prune()
{
    // What the database may forget (retention/days): small batches, stopped early by a stop().
    const StageServices s = m_core->services;
    const int days = s.config.retention.days;
    if (days <= 0)
        return;
    m_core->pool.start([s, days] {
        Store::PruneOptions options;
        options.beforeMs = Store::nowMs() - qint64(days) * 24 * 3600 * 1000;
        auto pruned
            = Store::pruneBefore(s.db, options, [&s](const Store::PruneReport &) { return !s.tracker->isStopping(); });
        if (!pruned)
            qCInfo(lcEngine) << "retention: cannot prune:" << pruned.error().message; // tried again in an hour
        else if (pruned.value().total() > 0)
            qCInfo(lcEngine) << "retention: pruned" << pruned.value().total() << "row(s) older than" << days
                             << "day(s)";
    });
}

void PipelineEngine::claimFailed()
{
    // Claims wait with backoff instead of asking again at every poll tick (and logging each time).
    EngineCore &c = *m_core;
    c.wantProbe.fill(true); // once the wait is over, every stage looks again
    if (c.state == EngineCore::State::Running && !c.claimRetryTimer.isActive())
        c.claimRetryTimer.start(Store::DatabaseHealth::backoffMs(c.failedClaims++));
}

namespace {
struct HeartbeatResult
{
    int recovered = 0;
    QString workerState; // as the registry has it: "draining" when an operator asked
    int schemaVersion = 0; // 0: unknown
};
} // namespace

void PipelineEngine::heartbeat()
{
    EngineCore &c = *m_core;
    if (c.heartbeatBusy || c.state != EngineCore::State::Running)
        return;
    c.heartbeatBusy = true;
    const StageServices s = c.services;
    QtConcurrent::run(&c.pool, [s]() -> HeartbeatResult {
        HeartbeatResult result;
        const qint64 askedAt = JobTracker::clock();
        const qint64 leaseMs = qint64(s.config.engine.leaseSeconds) * 1000;
        const QList<Store::HeldLease> leases = s.tracker->heldLeases();
        auto held = Store::renewLeases(s.db, s.worker, leases, leaseMs);
        if (!held) {
            databaseTrouble(s, held.error(), "heartbeat failed:");
            return result;
        }
        s.tracker->keepOnly(held.value(), askedAt);
        auto state = Store::heartbeatWorker(s.db, s.worker, QStringLiteral("running"));
        if (!state) {
            databaseTrouble(s, state.error(), "heartbeat failed:");
            return result;
        }
        s.health->reportReachable();
        result.workerState = state.value();
        QList<qint64> heldIds;
        for (const Store::HeldLease &lease : leases)
            heldIds.append(lease.jobId);
        auto forgotten = Store::releaseForgottenLeases(s.db, s.worker, heldIds, leaseMs, kForgottenLeaseMinAgeMs);
        if (forgotten && forgotten.value() > 0)
            qCInfo(lcEngine) << "handed back" << forgotten.value()
                             << "job(s) leased to this worker that it no longer worked on";
        result.recovered = forgotten ? forgotten.value() : 0;
        if (auto version = s.db.schemaVersion())
            result.schemaVersion = version.value();
        auto dead = Store::reapDeadLocalWorkers(s.db, Store::localHostName(), s.worker);
        auto recovered
            = Store::recoverLeases(s.db, dead ? dead.value() : QStringList(), s.config.engine.maxRescues, s.worker);
        result.recovered += recovered ? recovered.value() : 0;
        return result;
    }).then(this, [this](const HeartbeatResult &result) {
        EngineCore &core = *m_core;
        core.heartbeatBusy = false;
        if (result.recovered > 0) {
            core.changed = true;
            core.wantProbe.fill(true);
        }
        if (result.schemaVersion > Store::Database::latestSchemaVersion() && !core.schemaTooNew) {
            core.schemaTooNew = true; // claimNext refuses too; this says why, once
            const QString why = Store::schemaTooNewMessage(result.schemaVersion);
            qCWarning(lcEngine).noquote() << why << "- this worker takes no new work";
            Q_EMIT alert(QStringLiteral("schema_too_new"), why);
        }
        if (result.workerState == QLatin1String("draining"))
            drain();
        if (core.state == EngineCore::State::Stopping)
            finishStopIfIdle();
        else
            dispatch();
    });
}

void PipelineEngine::drain()
{
    EngineCore &c = *m_core;
    if (c.draining || c.state != EngineCore::State::Running)
        return;
    c.draining = true;
    qCInfo(lcEngine) << "draining: finishing" << c.totalInFlight() << "job(s) in hand, taking nothing new";
    Q_EMIT draining();
    stopWhenDrained();
}

void PipelineEngine::stopWhenDrained()
{
    if (m_core->draining && m_core->state == EngineCore::State::Running && m_core->totalInFlight() == 0) {
        qCInfo(lcEngine) << "drained: every job in hand is finished";
        stop();
    }
}

bool PipelineEngine::isDraining() const
{
    return m_core->draining;
}

bool PipelineEngine::isRunning() const
{
    return m_core->state == EngineCore::State::Running;
}

bool PipelineEngine::isDatabaseReachable() const
{
    return m_core->services.health->isReachable();
}

QString PipelineEngine::databaseProblem() const
{
    return m_core->services.health->reason();
}

bool PipelineEngine::isListening() const
{
    return m_core->listener && m_core->listener->isListening();
}

QString PipelineEngine::workerId() const
{
    return m_core->services.worker;
}

Store::Database PipelineEngine::database() const
{
    return m_core->services.db;
}

QList<JobProgress> PipelineEngine::progress() const
{
    return m_core->services.tracker->snapshot();
}

EngineCounters PipelineEngine::counters() const
{
    EngineCounters counters;
    for (int i = 0; i < 3; ++i)
        counters.inFlight[i] = m_core->inFlight[i];
    counters.completed = m_core->completed.load();
    counters.failures = m_core->failures.load();
    const MemoryBudget &budget = *m_core->services.budget;
    counters.memoryAdmittedBytes = budget.admittedBytes();
    counters.memoryBudgetBytes = budget.budgetBytes();
    counters.memoryWaiting = budget.waiting();
    return counters;
}

} // namespace Docpipe
