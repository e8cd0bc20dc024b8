// Content-addressed document storage and job creation: a dropped file becomes a document row
// (by SHA-256, so the same bytes are stored once and any worker can read them) and a job.
#pragma once

#include "database.h"
#include "model/result.h"

#include <QByteArray>
#include <QString>

namespace Docpipe::Store {

struct IngestOptions
{
    bool force = false; // a new job even when the same content was ingested before
    int priority = 0;
    qint64 maxBytes = 64LL * 1024 * 1024;
};

struct IngestResult
{
    qint64 jobId = 0; // the new job, or the existing one for a duplicate
    qint64 documentId = 0;
    QString name;
    QString sha256;
    bool duplicate = false; // same content already had a job; no new job was made
    bool tooLarge = false; // the job was created failed with file_too_large
};

// Reads `path` (streaming the hash; the bytes are stored only if within maxBytes) and records
// it. Errors are about the file itself (unreadable) or the database.
Result<IngestResult> ingestFile(const Database &db, const QString &path, const IngestOptions &options);

// The stored bytes of a job's document; file_too_large if they were never stored.
Result<QByteArray> loadDocumentContent(const Database &db, qint64 jobId);

} // namespace Docpipe::Store
