#include "watchscan.h"

#include "ingestor.h"
#include "logging.h"
#include "pathrefusal.h"
#include "store/documentstore.h"
#include "store/watchedfolders.h"

#include <QDateTime>
#include <QFileInfo>

#include <algorithm>

namespace Docpipe {

namespace {

struct Stamp
{
    qint64 size = -1;
    qint64 mtime = -1;
};

Stamp stampOf(const QString &path)
{
    const QFileInfo info(path);
    return {info.size(), info.lastModified().toMSecsSinceEpoch()};
}

void noteDatabaseError(WatchScanResult &result, const StageError &error)
{
    if (Store::isDatabaseUnavailable(error))
        result.databaseUnavailable = error;
    else
        result.problems << error.message;
}

void waitFor(WatchScanResult &result, qint64 inMs)
{
    inMs = std::max<qint64>(0, inMs);
    result.nextCheckMs = result.nextCheckMs < 0 ? inMs : std::min(result.nextCheckMs, inMs);
}

class FolderScan
{
public:
    FolderScan(const Store::Database &db, const WatchScanSettings &settings, WatchMemory &memory, qint64 now,
               WatchScanResult &result)
        : m_db(db)
        , m_settings(settings)
        , m_memory(memory)
        , m_now(now)
        , m_result(result)
    { }

    void run(const Store::WatchedFolder &folder)
    {
        if (!QFileInfo(folder.path).isDir()) {
            // Unmounted or gone: its documents are left as they are (not deleted).
            if (!m_memory.unreachable.contains(folder.path))
                m_result.problems << QStringLiteral("watched folder %1 cannot be reached; its documents are left as "
                                                    "they are until it comes back")
                                         .arg(folder.path);
            m_memory.unreachable.insert(folder.path);
            return;
        }
        m_memory.unreachable.remove(folder.path);
        auto known = Store::knownFiles(m_db, folder);
        if (!known) {
            noteDatabaseError(m_result, known.error());
            return;
        }
        QHash<QString, Store::KnownFile> knownByPath;
        for (const Store::KnownFile &file : known.value())
            knownByPath.insert(file.path, file);

        // The same filters and symbolic-link rules as a dropped folder.
        const CollectedFiles collected = collectDocuments({folder.path}, {.followSymlinks = m_settings.followSymlinks});
        for (const QString &note : collected.notes) {
            if (!m_memory.skipped.contains(note))
                qCInfo(lcEngine).noquote() << "watched folder:" << note;
            m_memory.skipped.insert(note);
        }
        QSet<QString> present;
        QSet<QString> directories{folder.path};
        for (const QString &path : collected.files) {
            const QString absolute = QFileInfo(path).absoluteFilePath();
            present.insert(absolute);
            directories.insert(QFileInfo(absolute).absolutePath());
            if (m_result.files.size() < m_settings.maxWatchedFiles)
                m_result.files << absolute;
            consider(folder, absolute, knownByPath.value(absolute));
        }
        for (const QString &directory : std::as_const(directories))
            m_result.directories << directory;
        for (const Store::KnownFile &file : known.value()) {
            if (file.folderId == folder.id && !file.removed && !present.contains(file.path))
                remove(folder, file);
        }
    }

private:
    void consider(const Store::WatchedFolder &folder, const QString &path, const Store::KnownFile &known)
    {
        const Stamp stamp = stampOf(path);
        if (known.sourceId != 0 && !known.removed && known.size == stamp.size && known.mtime == stamp.mtime) {
            m_memory.unsettled.remove(path);
            ++m_result.unchanged;
            return;
        }
        const auto seen = m_memory.unsettled.constFind(path);
        if (seen == m_memory.unsettled.cend() || seen->size != stamp.size || seen->mtime != stamp.mtime) {
            m_memory.unsettled.insert(path, {stamp.size, stamp.mtime, m_now}); // still being written, or new
            waitFor(m_result, m_settings.settleMs);
            return;
        }
        if (m_now - seen->since < m_settings.settleMs) {
            waitFor(m_result, seen->since + m_settings.settleMs - m_now);
            return;
        }
        ingest(folder, path);
    }

    void ingest(const Store::WatchedFolder &folder, const QString &path)
    {
        // Looked at again just before reading: the file may have become a link or a pipe since the walk.
        const QString refused
            = refusalReason(QFileInfo(path), QFileInfo(folder.path).canonicalFilePath(), m_settings.followSymlinks);
        if (!refused.isEmpty()) {
            m_memory.unsettled.remove(path);
            qCInfo(lcEngine).noquote() << "watched file skipped:" << path << refused;
            return;
        }
        Store::IngestOptions options;
        options.identity = path;
        options.duplicates = Store::DuplicateScope::SameIdentity;
        options.folderId = folder.id;
        options.maxBytes = m_settings.maxDocumentBytes;
        auto ingested = Store::ingestFile(m_db, path, options);
        if (!ingested && ingested.error().isTransient()) {
            noteDatabaseError(m_result, ingested.error()); // the database: the next pass tries again
            return;
        }
        m_memory.unsettled.remove(path);
        if (!ingested) {
            // Unreadable (gone again, no permission): tried again when it changes.
            qCInfo(lcEngine) << "watched file not read:" << ingested.error().message;
            return;
        }
        if (!ingested.value().duplicate) {
            ++m_result.created;
            qCInfo(lcEngine) << "watched file" << path << "is job" << ingested.value().jobId << "(version"
                             << ingested.value().version << ")";
        }
    }

    void remove(const Store::WatchedFolder &folder, const Store::KnownFile &file)
    {
        auto removed = Store::removeSource(m_db, file.sourceId, folder.onDelete, QStringLiteral("watcher"));
        if (!removed) {
            noteDatabaseError(m_result, removed.error());
            return;
        }
        m_memory.unsettled.remove(file.path);
        if (removed.value()) {
            ++m_result.removed;
            qCInfo(lcEngine) << "watched file" << file.path << "was deleted; its chunks are"
                             << (folder.onDelete == Store::DeletePolicy::Keep ? "kept" : "removed");
        }
    }

    const Store::Database &m_db;
    const WatchScanSettings &m_settings;
    WatchMemory &m_memory;
    const qint64 m_now;
    WatchScanResult &m_result;
};

} // namespace

WatchScanResult scanWatchedFolders(const Store::Database &db, const WatchScanSettings &settings, WatchMemory &memory,
                                   qint64 nowMs)
{
    WatchScanResult result;
    auto folders = Store::listWatchedFolders(db);
    if (!folders) {
        noteDatabaseError(result, folders.error());
        return result;
    }
    result.databaseAnswered = true;
    FolderScan scan(db, settings, memory, nowMs, result);
    QSet<QString> watchedPaths;
    for (const Store::WatchedFolder &folder : folders.value()) {
        scan.run(folder);
        watchedPaths.insert(folder.path);
    }
    // Forget files of folders no longer watched (or no longer there).
    for (auto it = memory.unsettled.begin(); it != memory.unsettled.end();) {
        const bool inWatched = std::any_of(watchedPaths.cbegin(), watchedPaths.cend(),
                                           [&](const QString &folder) { return it.key().startsWith(folder + u'/'); });
        it = inWatched && QFileInfo::exists(it.key()) ? std::next(it) : memory.unsettled.erase(it);
    }
    result.directories.removeDuplicates();
    return result;
}

} // namespace Docpipe
