// Writes ZIP archives for generated DOCX files (minizip's zip.h), including a zip bomb whose
// deflate stream is assembled from one pre-compressed block, so it costs milliseconds to make.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace Docpipe::Test {

using ZipEntries = QList<std::pair<QByteArray, QByteArray>>; // name, content

bool writeZip(const QString &path, const ZipEntries &entries);

// `entries` first, then `bombName` whose content is prefix + block × repeats + suffix.
// With honestSize false the archive declares only `block.size()` bytes for that entry.
bool writeZipWithBomb(const QString &path, const ZipEntries &entries, const QByteArray &bombName,
                      const QByteArray &prefix, const QByteArray &block, qint64 repeats, const QByteArray &suffix,
                      bool honestSize);

} // namespace Docpipe::Test
