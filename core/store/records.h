// Rows as the rest of Docpipe sees them: plain value types read from the store.
#pragma once

#include "model/stage.h"

#include <QString>

namespace Docpipe::Store {

struct JobRecord
{
    qint64 id = 0;
    qint64 documentId = 0;
    QString name; // the file's name as it was dropped
    QString sourcePath;
    QString docType;
    QString sha256;
    qint64 sizeBytes = 0;
    Stage stage = Stage::Uploaded;
    JobStatus status = JobStatus::Queued;
    int priority = 0;
    int attempts = 0;
    int rescues = 0; // times its worker was lost while it ran (see recoverLeases)
    qint64 notBefore = 0;
    QString leaseOwner;
    qint64 leaseExpires = 0;
    qint64 leaseToken = 0; // counts claims: a worker's writes carry the token it claimed with
    QString errorCode;
    QString errorMessage;
    int pages = 0;
    int chunks = 0;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    qint64 stageStartedAt = 0;
    // The document's identity (its path, or a name given through an API) and this job's version
    // of it; the current version is the one whose chunks are stored and searched.
    qint64 sourceId = 0;
    int version = 1;
    bool isCurrent = false;
    bool sourceRemoved = false; // the watched file was deleted
};

namespace EventKind {
inline constexpr char Created[] = "created";
inline constexpr char Transition[] = "transition";
inline constexpr char Retry[] = "retry"; // transient error: back to the checkpoint with backoff
inline constexpr char Failed[] = "failed"; // permanent error or attempts exhausted
inline constexpr char Warning[] = "warning";
inline constexpr char LeaseExpired[] = "lease_expired";
inline constexpr char Released[] = "released"; // handed back by a stopping worker
inline constexpr char Cancelled[] = "cancelled";
inline constexpr char OperatorRetry[] = "operator_retry";
inline constexpr char Rerun[] = "rerun";
inline constexpr char Priority[] = "priority";
inline constexpr char SourceRemoved[] = "source_removed"; // a watched file was deleted
} // namespace EventKind

// The kinds an operator reads as errors: transient retries, failures and expired leases.
inline bool isErrorKind(const QString &kind)
{
    return kind == QLatin1String(EventKind::Retry) || kind == QLatin1String(EventKind::Failed)
        || kind == QLatin1String(EventKind::LeaseExpired);
}

struct JobEvent
{
    qint64 id = 0;
    qint64 jobId = 0;
    qint64 at = 0;
    QString kind;
    QString fromStage;
    QString toStage;
    QString code;
    QString message;
    QString worker;
    qint64 durationMs = -1;
    QString jobName;
};

} // namespace Docpipe::Store
