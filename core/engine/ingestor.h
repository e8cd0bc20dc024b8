// Turns dropped paths (files and folders) into jobs: walks folders recursively (skipping hidden
// files, unsupported types, symlink loops, special files and links out of the folder, with a note
// for each; see pathrefusal.h), then ingests every file.
// Shared by the window and the CLI; runs on whatever thread calls it (never the GUI thread).
#pragma once

#include "store/database.h"
#include "store/documentstore.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace Docpipe {

struct CollectedFiles
{
    QStringList files;
    QStringList notes; // "skipped x.png: not a supported document type", ...
};

struct CollectOptions
{
    bool followSymlinks = false; // also read what links lead to outside the folder (--follow-symlinks)
};

CollectedFiles collectDocuments(const QStringList &paths, const CollectOptions &options = {});

struct IngestReport
{
    QList<Store::IngestResult> created; // new jobs (including ones created failed, e.g. too large)
    QList<Store::IngestResult> duplicates; // same content as an existing job; nothing new
    QStringList notes; // skipped files and unreadable ones
    QStringList errors; // database errors: nothing was recorded for these

    QList<qint64> jobIds() const; // new and existing jobs, in input order
};

// `progress` (optional) is called after each file with (done, total).
IngestReport ingestPaths(const Store::Database &db, const QStringList &paths, const Store::IngestOptions &options,
                         const CollectOptions &collect = {}, const std::function<void(int, int)> &progress = {});

} // namespace Docpipe
