// What a drop or a paste means: the local paths in a QMimeData (text/uri-list, or plain text with
// one path or file:// URL per line), and which of the files they name become jobs.
#pragma once

#include "engine/ingestor.h"

#include <QStringList>

class QMimeData;

namespace Docpipe::Ui {

// Local paths named by the data, in order, without duplicates. Non-local URLs are ignored.
QStringList pathsFromMimeData(const QMimeData *mime);
// Cheap check for drag-enter: does the data name at least one existing local file or folder?
bool hasDroppablePaths(const QMimeData *mime);

// collectDocuments(), then the window's extra rule: a file named explicitly whose name is not a
// supported type is looked at (its first bytes); if the content is not a supported document
// either, it is skipped with a note (the notice lists it) instead of becoming a job that fails.
CollectedFiles collectDroppedDocuments(const QStringList &paths, const CollectOptions &options = {});

} // namespace Docpipe::Ui
