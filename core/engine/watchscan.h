// One pass over the watched folders: new and changed files become jobs (a new version of their
// document) once they have settled, deleted files are removed per their folder's policy. Runs on a
// worker thread; FolderWatcher decides when (notifications, settling files, periodic rescans).
#pragma once

#include "store/database.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace Docpipe {

struct WatchScanSettings
{
    qint64 settleMs = 1000; // a file is read once its size and time stayed the same this long
    qint64 maxDocumentBytes = 64LL * 1024 * 1024;
    int maxWatchedFiles = 4096; // files handed to the notifier; beyond them, the rescan finds changes
    bool followSymlinks = false; // links that lead out of the watched folder are skipped unless this is set
};

// What a scan remembers for the next one: files seen changing that have not settled yet, and the
// folders it could not reach (reported once, not at every pass).
struct WatchMemory
{
    struct Seen
    {
        qint64 size = -1;
        qint64 mtime = -1;
        qint64 since = 0; // when this size and time were first seen (monotonic ms)
    };
    QHash<QString, Seen> unsettled;
    QSet<QString> unreachable;
    QSet<QString> skipped; // notes already logged (special files, links out of the folder)
};

struct WatchScanResult
{
    int created = 0; // jobs (new versions)
    int removed = 0; // deleted files whose documents were removed or kept per policy
    int unchanged = 0;
    QStringList directories; // to be notified about: the watched folders and the folders inside
    QStringList files; // to be notified about (in-place writes do not touch the folder)
    qint64 nextCheckMs = -1; // the earliest an unsettled file may have settled; -1: none waiting
    QStringList problems; // for the log: unreachable folders, the database's errors other than below
    // The database could not be reached, was busy, full or read-only (Store::isDatabaseUnavailable):
    // said once per outage by the engine's database health, not logged at every pass.
    std::optional<StageError> databaseUnavailable;
    bool databaseAnswered = false; // the list of watched folders could be read
};

// `nowMs` is a monotonic clock's reading (the settle time is measured on this machine, never
// against a file server's clock).
WatchScanResult scanWatchedFolders(const Store::Database &db, const WatchScanSettings &settings, WatchMemory &memory,
                                   qint64 nowMs);

} // namespace Docpipe
