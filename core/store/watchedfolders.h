// Folders the workers watch, kept in the database so that every worker and window on it agrees
// (and `docpipe-cli watch add` on one machine steers them all), with what happens to a deleted
// file's chunks; and what the store knows of the files found in them.
#pragma once

#include "database.h"
#include "documentversions.h"
#include "model/result.h"

#include <QList>
#include <QString>

#include <optional>

namespace Docpipe::Store {

struct WatchedFolder
{
    qint64 id = 0;
    QString path; // absolute, without a trailing slash
    DeletePolicy onDelete = DeletePolicy::Remove;
    qint64 addedAt = 0;
};

// The form folders are stored in: absolute and clean ("/a/b/../c/" -> "/a/c").
QString normalizedFolderPath(const QString &path);

// Adds the folder, or changes its policy when it is already watched.
Result<WatchedFolder> addWatchedFolder(const Database &db, const QString &path, DeletePolicy onDelete);
// Stops watching; the documents found there keep their chunks. False when it was not watched.
Result<bool> removeWatchedFolder(const Database &db, const QString &path);
Result<QList<WatchedFolder>> listWatchedFolders(const Database &db);

// A file the store has a document for, with its size and time when it was last read.
struct KnownFile
{
    qint64 sourceId = 0;
    QString path;
    qint64 folderId = 0; // the watched folder that found it (0: dropped)
    qint64 size = -1;
    qint64 mtime = -1;
    bool removed = false;
};
// The files the store knows inside `folder` (found there, or dropped from there).
Result<QList<KnownFile>> knownFiles(const Database &db, const WatchedFolder &folder);

} // namespace Docpipe::Store
