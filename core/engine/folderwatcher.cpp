#include "folderwatcher.h"

#include "logging.h"
#include "watchscan.h"

#include <QFuture>
#include <QSet>
#include <QtConcurrent/QtConcurrentRun>
#include <QThreadPool>

#include <chrono>

namespace Docpipe {

namespace {

// Notifications come in bursts (a file written in many pieces): look once the burst is over.
constexpr int kNotificationDelayMs = 100;

qint64 monotonicMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

FolderWatcher::FolderWatcher(const Store::Database &db, const Config &config, QThreadPool *pool,
                             std::shared_ptr<Store::DatabaseHealth> health, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_config(config)
    , m_pool(pool)
    , m_memory(std::make_shared<WatchMemory>())
    , m_health(std::move(health))
{
    m_rescanTimer.setInterval(qMax(1, config.watch.rescanSeconds) * 1000);
    m_soonTimer.setSingleShot(true);
    connect(&m_rescanTimer, &QTimer::timeout, this, &FolderWatcher::runScan);
    connect(&m_soonTimer, &QTimer::timeout, this, &FolderWatcher::runScan);
    connect(&m_notifier, &QFileSystemWatcher::directoryChanged, this, [this] { scheduleScan(kNotificationDelayMs); });
    connect(&m_notifier, &QFileSystemWatcher::fileChanged, this, [this] { scheduleScan(kNotificationDelayMs); });
}

FolderWatcher::~FolderWatcher() = default;

void FolderWatcher::start()
{
    m_running = true;
    m_rescanTimer.start();
    scheduleScan(0);
}

void FolderWatcher::stop()
{
    m_running = false;
    m_rescanTimer.stop();
    m_soonTimer.stop();
    m_again = false;
    const QStringList watched = m_notifier.files() + m_notifier.directories();
    if (!watched.isEmpty())
        m_notifier.removePaths(watched);
}

void FolderWatcher::rescanNow()
{
    scheduleScan(0);
}

void FolderWatcher::scheduleScan(int delayMs)
{
    if (!m_running)
        return;
    if (m_soonTimer.isActive() && m_soonTimer.remainingTime() <= delayMs)
        return;
    m_soonTimer.start(delayMs);
}

void FolderWatcher::runScan()
{
    if (!m_running)
        return;
    if (m_scanning) {
        m_again = true;
        return;
    }
    m_scanning = true;
    WatchScanSettings settings;
    settings.settleMs = m_config.watch.settleMs;
    settings.maxDocumentBytes = m_config.engine.maxDocumentBytes;
    settings.followSymlinks = m_config.ingest.followSymlinks;
    const Store::Database db = m_db;
    const std::shared_ptr<WatchMemory> memory = m_memory;
    QtConcurrent::run(m_pool, [db, settings, memory] {
        return scanWatchedFolders(db, settings, *memory, monotonicMs());
    }).then(this, [this](const WatchScanResult &result) {
        m_scanning = false;
        if (m_running)
            applyResult(result);
        if (std::exchange(m_again, false))
            scheduleScan(0);
        Q_EMIT scanned();
        if (result.created > 0)
            Q_EMIT jobsCreated(result.created);
    });
}

void FolderWatcher::applyResult(const WatchScanResult &result)
{
    for (const QString &problem : result.problems)
        qCWarning(lcEngine) << "watching folders:" << problem;
    if (m_health && result.databaseUnavailable)
        m_health->reportUnavailable(*result.databaseUnavailable); // the engine says it, once per outage
    else if (m_health && result.databaseAnswered)
        m_health->reportReachable(false); // it read; only a write ends a full or read-only outage
    else if (result.databaseUnavailable)
        qCWarning(lcEngine) << "watching folders:" << result.databaseUnavailable->message;
    // Hand the notifier what changed since the last pass (adding a path it has costs a system call).
    const QStringList wanted = result.directories + result.files;
    const QSet<QString> wantedSet(wanted.cbegin(), wanted.cend());
    const QStringList current = m_notifier.directories() + m_notifier.files();
    const QSet<QString> currentSet(current.cbegin(), current.cend());
    QStringList stale;
    for (const QString &path : current) {
        if (!wantedSet.contains(path))
            stale << path;
    }
    QStringList fresh;
    for (const QString &path : wanted) {
        if (!currentSet.contains(path))
            fresh << path;
    }
    if (!stale.isEmpty())
        m_notifier.removePaths(stale);
    if (!fresh.isEmpty())
        m_notifier.addPaths(fresh); // paths it cannot watch (limits) are found by the rescan
    if (result.nextCheckMs >= 0)
        scheduleScan(int(qMin<qint64>(result.nextCheckMs + 20, 3600 * 1000)));
}

} // namespace Docpipe
