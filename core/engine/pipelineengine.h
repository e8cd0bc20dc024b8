// The pipeline engine of one process: claims jobs stage by stage and runs them on its own
// thread pool, within per-stage concurrency limits; keeps its leases alive with heartbeats;
// recovers jobs of dead workers; stops cleanly (finishing or handing back what it holds).
// Lives in the thread that created it (GUI or CLI main thread) and never waits there on the
// database, the network or a parser.
#pragma once

#include "config/config.h"
#include "model/stage.h"
#include "stages/embedding/embedder.h"
#include "stages/parsers/documentparser.h"
#include "store/database.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>

namespace Docpipe {

class EngineCore;

struct JobProgress
{
    qint64 jobId = 0;
    Stage stage = Stage::Parsing;
    qint64 done = 0;
    qint64 total = 0;
};

struct EngineCounters
{
    int inFlight[3] = {0, 0, 0}; // parsing, chunking, embedding
    qint64 completed = 0; // stage completions by this engine
    qint64 failures = 0; // transient and permanent, by this engine
    qint64 memoryAdmittedBytes = 0; // estimated memory of the stage work admitted now (engine/memory_budget_mb)
    qint64 memoryBudgetBytes = 0;
    int memoryWaiting = 0; // claimed jobs waiting for their memory
};

class PipelineEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PipelineEngine)

public:
    PipelineEngine(const Config &config, std::shared_ptr<const Stages::DocumentParser> parser,
                   std::shared_ptr<const Stages::Embedder> embedder, QObject *parent = nullptr);
    ~PipelineEngine() override; // stops (blocking briefly) if still running

    // Asynchronous: migrates, registers the worker, recovers dead leases, then emits started()
    // and begins claiming; or emits startFailed(reason).
    void start();
    // Asynchronous: stops claiming, lets running stages finish or hand their job back, releases
    // every lease, then emits stopped().
    void stop();
    // New work may be waiting (called after an ingest, a retry, or a resume).
    void wake();
    // The watched folders changed (one was added or removed): look at them again now rather than
    // at the next rescan. Only while running with watch/enabled.
    void rescanWatchedFolders();
    // New settings, parser and embedder for the next start(); only while stopped (returns false
    // otherwise). The worker id stays: this is the same worker, restarted.
    bool reconfigure(const Config &config, std::shared_ptr<const Stages::DocumentParser> parser,
                     std::shared_ptr<const Stages::Embedder> embedder);

    bool isRunning() const;
    // False while this engine's database calls find the database unreachable (or busy, full,
    // read-only), from the first failed call until the first one that succeeds again.
    bool isDatabaseReachable() const;
    // Why it is not (the latest error), empty while reachable.
    QString databaseProblem() const;
    // An operator asked this worker to drain (docpipe-cli drain, the window): it finishes what it
    // holds, claims nothing new, then stops by itself.
    bool isDraining() const;
    // Woken by change notices (PostgreSQL, notification connection up) rather than by polling.
    bool isListening() const;
    QString workerId() const;
    Store::Database database() const;

    // Snapshots for views that sample at a steady rate (call from the engine's thread).
    QList<JobProgress> progress() const;
    EngineCounters counters() const;

Q_SIGNALS:
    void started();
    void startFailed(const QString &reason);
    void stopped();
    // A job this engine worked on changed stage or status (coalesced; at most a few per second).
    void jobsChanged();
    // Something an operator should see at once (e.g. quota exhausted).
    void alert(const QString &code, const QString &message);
    // Once per outage: the database became unreachable; work waits and is retried with backoff.
    void databaseUnreachable(const QString &reason);
    // The outage is over (it lasted outageMs); work goes on.
    void databaseReachable(qint64 outageMs);
    void draining();

private:
    void configure(const Config &config, std::shared_ptr<const Stages::DocumentParser> parser,
                   std::shared_ptr<const Stages::Embedder> embedder);
    void dispatch();
    void launch(Stage stage);
    void startWatcher();
    void startListener();
    void noticed(const QString &payload);
    void probe(Stage stage);
    void drain();
    void stopWhenDrained();
    void heartbeat();
    void claimFailed();
    void prune();
    void finishStart(const QString &error); // the start-up task's answer, on this thread
    void finishStopIfIdle();

    std::unique_ptr<EngineCore> m_core;
};

} // namespace Docpipe
