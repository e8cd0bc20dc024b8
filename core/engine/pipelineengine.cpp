#include "pipelineengine.h"

#include "folderwatcher.h"
#include "jobtracker.h"
#include "logging.h"
#include "metrics/processmemory.h"
#include "stagerunner.h"
#include "store/jobqueue.h"
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
    State state = State::Stopped;
    std::array<int, 3> inFlight{0, 0, 0};
    // hasWork: the last task of the stage found a job, so fill every slot.
    // wantProbe: something may have arrived (tick, wake, upstream progress): try one claim.
    std::array<bool, 3> hasWork{false, false, false};
    std::array<bool, 3> wantProbe{false, false, false};
    std::array<int, 3> limits{1, 1, 1};
    bool heartbeatBusy = false;
    bool changed = false;
    std::unique_ptr<FolderWatcher> watcher; // while running, when this worker watches folders
    std::atomic<qint64> completed{0};
    std::atomic<qint64> failures{0};

    int totalInFlight() const { return inFlight[0] + inFlight[1] + inFlight[2]; }
    bool watcherBusy() const { return watcher && watcher->isScanning(); }
};

PipelineEngine::PipelineEngine(const Config &config, std::shared_ptr<const Stages::DocumentParser> parser,
                               std::shared_ptr<const Stages::Embedder> embedder, QObject *parent)
    : QObject(parent)
    , m_core(std::make_unique<EngineCore>())
{
    m_core->services.worker = Store::newWorkerId();
    m_core->services.tracker = std::make_shared<JobTracker>();
    configure(config, std::move(parser), std::move(embedder));
    EngineCore &c = *m_core;
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
    c.limits = {qMax(1, config.effectiveParseConcurrency()), qMax(1, config.engine.chunkConcurrency),
                qMax(1, config.effectiveEmbedConcurrency())};
    // One thread beyond the stage limits, so the heartbeat never queues behind stage work, and one
    // for the folder watcher's scans.
    c.pool.setMaxThreadCount(c.limits[0] + c.limits[1] + c.limits[2] + 2);
    c.pollTimer.setInterval(qMax(20, config.engine.pollMs));
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
    c.services.tracker->setStopping(false);
    const StageServices s = c.services;
    QtConcurrent::run(&c.pool, [s]() -> QString {
        auto migrated = s.db.migrate();
        if (!migrated)
            return migrated.error().message;
        const qint64 now = Store::nowMs();
        auto registered = Store::registerWorker(s.db,
                                                {s.worker, Store::localHostName(), QCoreApplication::applicationPid(),
                                                 now, now, QStringLiteral("running")});
        if (!registered)
            return registered.error().message;
        // A single process on this host recovers the leases of its dead predecessors at once.
        auto dead = Store::reapDeadLocalWorkers(s.db, Store::localHostName(), s.worker);
        if (!dead)
            return dead.error().message;
        auto recovered = Store::recoverLeases(s.db, dead.value(), s.config.retry.maxAttempts, s.worker);
        if (!recovered)
            return recovered.error().message;
        if (recovered.value() > 0)
            qCInfo(lcEngine) << "recovered" << recovered.value() << "job(s) from stopped workers";
        return QString();
    }).then(this, [this](const QString &error) {
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
        qCInfo(lcEngine) << "engine started as" << core.services.worker << "on" << core.services.db.displayUrl()
                         << "with" << Metrics::allocatorName();
        Q_EMIT started();
        if (core.services.config.watch.enabled)
            startWatcher();
        core.wantProbe.fill(true);
        dispatch();
    });
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
        core.changeTimer.stop();
        if (std::exchange(core.changed, false))
            Q_EMIT jobsChanged();
        qCInfo(lcEngine) << "engine stopped";
        Q_EMIT stopped();
    });
}

void PipelineEngine::startWatcher()
{
    EngineCore &c = *m_core;
    c.watcher = std::make_unique<FolderWatcher>(c.services.db, c.services.config, &c.pool);
    connect(c.watcher.get(), &FolderWatcher::jobsCreated, this, &PipelineEngine::wake);
    connect(c.watcher.get(), &FolderWatcher::scanned, this, [this] {
        if (m_core->state == EngineCore::State::Stopping)
            finishStopIfIdle();
    });
    c.watcher->start();
}

void PipelineEngine::rescanWatchedFolders()
{
    if (m_core->watcher)
        m_core->watcher->rescanNow();
}

void PipelineEngine::wake()
{
    m_core->wantProbe.fill(true);
    dispatch();
}

void PipelineEngine::dispatch()
{
    EngineCore &c = *m_core;
    if (c.state != EngineCore::State::Running)
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
            qCWarning(lcEngine) << "cannot claim work:" << claimed.error().message;
            return {TaskResult::DatabaseTrouble, {}};
        }
        if (!claimed.value())
            return {TaskResult::Idle, {}};
        return {TaskResult::Worked, runStage(s, *claimed.value())};
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
        if (core.state == EngineCore::State::Stopping)
            finishStopIfIdle();
        else
            dispatch();
    });
}

void PipelineEngine::heartbeat()
{
    EngineCore &c = *m_core;
    if (c.heartbeatBusy || c.state != EngineCore::State::Running)
        return;
    c.heartbeatBusy = true;
    const StageServices s = c.services;
    QtConcurrent::run(&c.pool, [s]() -> int {
        const qint64 askedAt = JobTracker::clock();
        auto held
            = Store::renewLeases(s.db, s.worker, s.tracker->heldLeases(), qint64(s.config.engine.leaseSeconds) * 1000);
        if (!held) {
            qCWarning(lcEngine) << "heartbeat failed:" << held.error().message;
            return 0;
        }
        s.tracker->keepOnly(held.value(), askedAt);
        Store::heartbeatWorker(s.db, s.worker, QStringLiteral("running"));
        auto dead = Store::reapDeadLocalWorkers(s.db, Store::localHostName(), s.worker);
        auto recovered
            = Store::recoverLeases(s.db, dead ? dead.value() : QStringList(), s.config.retry.maxAttempts, s.worker);
        return recovered ? recovered.value() : 0;
    }).then(this, [this](int recovered) {
        EngineCore &core = *m_core;
        core.heartbeatBusy = false;
        if (recovered > 0) {
            core.changed = true;
            core.wantProbe.fill(true);
        }
        if (core.state == EngineCore::State::Stopping)
            finishStopIfIdle();
        else
            dispatch();
    });
}

bool PipelineEngine::isRunning() const
{
    return m_core->state == EngineCore::State::Running;
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
    return counters;
}

} // namespace Docpipe
