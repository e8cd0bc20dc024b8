// Watches the folders listed in the database and turns new and changed files into jobs within
// seconds: file-system notifications (QFileSystemWatcher) say when to look, a file is read once
// its size and time have settled, and a periodic full rescan catches what notifications miss (on
// network shares they often never come). Scans run one at a time on the engine's thread pool;
// this object lives in the engine's thread and never waits there.
#pragma once

#include "config/config.h"
#include "store/database.h"
#include "store/databasehealth.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

#include <memory>

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace Docpipe {

struct WatchMemory;
struct WatchScanResult;

class FolderWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FolderWatcher)

public:
    // `health` (the engine's) hears whether the scans reach the database, so an outage is said
    // once with the engine's own; without it, the watcher logs the database's errors itself.
    FolderWatcher(const Store::Database &db, const Config &config, QThreadPool *pool,
                  std::shared_ptr<Store::DatabaseHealth> health = {}, QObject *parent = nullptr);
    ~FolderWatcher() override;

    // Scans at once, then on notifications, when written files may have settled, and at every
    // rescan interval.
    void start();
    // No new scans; one in flight finishes (then scanned() comes and isScanning() is false).
    void stop();
    // Reads the list of folders again and looks at once (e.g. after a folder was added).
    void rescanNow();
    bool isScanning() const { return m_scanning; }

Q_SIGNALS:
    void jobsCreated(int count);
    void scanned(); // after every pass

private:
    void scheduleScan(int delayMs);
    void runScan();
    void applyResult(const WatchScanResult &result);

    Store::Database m_db;
    Config m_config;
    QThreadPool *m_pool;
    QFileSystemWatcher m_notifier;
    QTimer m_rescanTimer;
    QTimer m_soonTimer;
    std::shared_ptr<WatchMemory> m_memory;
    std::shared_ptr<Store::DatabaseHealth> m_health;
    bool m_running = false;
    bool m_scanning = false;
    bool m_again = false; // asked while a scan was running: look once more after it
};

} // namespace Docpipe
