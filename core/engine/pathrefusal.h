// Which entries of a dropped or watched folder are never read. Special files (named pipes,
// sockets, devices) are not documents, and opening one can block for ever or never end. A symbolic
// link that leads out of the folder is not followed unless the operator allows it: a link to
// /etc/shadow in a dropped folder must not become chunks (or text sent to a remote embedder).
// One function, so the drop/CLI ingest and the watched-folder scan refuse exactly the same things.
#pragma once

#include <QFileInfo>
#include <QString>

namespace Docpipe {

// Empty when `entry` (found inside the folder whose canonical path is `canonicalRoot`) may be
// read; else why not, to follow "skipped <path>: ". An empty root means the entry was named on its
// own, so only its kind is judged (the operator chose that link).
QString refusalReason(const QFileInfo &entry, const QString &canonicalRoot, bool followSymlinks);

} // namespace Docpipe
