// Reads one entry of a ZIP archive held in memory (minizip), with a cap on inflated bytes that
// is enforced while inflating: a declared size is never trusted.
#pragma once

#include <QByteArray>
#include <QString>

namespace Docpipe::Stages {

struct ZipEntryRead
{
    enum class Status { Ok, NotAZip, MissingEntry, Corrupt, TooLarge };
    Status status = Status::Corrupt;
    QByteArray data;
};

ZipEntryRead readZipEntry(const QByteArray &archive, const char *entryName, qint64 maxBytes);

} // namespace Docpipe::Stages
