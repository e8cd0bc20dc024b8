// Content-addressed document storage and job creation: a dropped file becomes a document row
// (by SHA-256, so the same bytes are stored once and any worker can read them) and a job, which is
// one version of the file's identity (see documentversions.h).
#pragma once

#include "database.h"
#include "model/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Docpipe::Store {

// Which earlier job makes a file a duplicate (no new job).
enum class DuplicateScope {
    AnyDocument, // a drop: the same content as any document's latest version, or this identity's
    SameIdentity, // a watched folder: only this identity's latest version (a copy is its own document)
};

struct IngestOptions
{
    bool force = false; // a new job (version) even when the content is a duplicate
    int priority = 0;
    qint64 maxBytes = 64LL * 1024 * 1024;
    QString identity = {}; // the document's identity; empty: the file's absolute path
    DuplicateScope duplicates = DuplicateScope::AnyDocument;
    qint64 folderId = 0; // the watched folder the file was found in; 0: dropped
    QString actor = {}; // who added it, for the created event ("api:ci@10.0.0.7"); empty: nobody named
};

struct IngestResult
{
    qint64 jobId = 0; // the new job, or the existing one for a duplicate
    qint64 documentId = 0;
    QString name;
    QString sha256;
    bool duplicate = false; // same content already had a job; no new job was made
    bool tooLarge = false; // the job was created failed with file_too_large
    qint64 sourceId = 0;
    int version = 1; // of the identity; > 1: replaces the current version once embedded
    QList<qint64> superseded; // older versions still in flight, cancelled
};

// Reads `path` (streaming the hash; the bytes are stored only if within maxBytes) and records
// it. Errors are about the file itself (unreadable) or the database.
Result<IngestResult> ingestFile(const Database &db, const QString &path, const IngestOptions &options);

// The stored bytes of a job's document; file_too_large if they were never stored.
Result<QByteArray> loadDocumentContent(const Database &db, qint64 jobId);

} // namespace Docpipe::Store
