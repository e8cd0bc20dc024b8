// The one way a job changes stage or status: a compare-and-set UPDATE plus its event row,
// inside a transaction the caller owns (so derived rows can be written in the same one).
// Times (leases, backoff, updated_at, the event's time) come from the database server's clock,
// so workers on hosts whose clocks disagree still agree on who holds a job and when.
#pragma once

#include "model/result.h"
#include "model/stage.h"
#include "records.h"

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace Docpipe::Store {

struct Transition
{
    qint64 jobId = 0;
    // Expected current state (compare); the update happens only if all match.
    Stage fromStage = Stage::Uploaded;
    JobStatus fromStatus = JobStatus::Queued;
    std::optional<QString> expectedOwner; // nullopt: any owner; "" : no lease held
    // The lease token the owner claimed with (fencing): a worker whose lease was taken over, even
    // if the same worker claimed the job again later, cannot write with its old token. nullopt: any.
    std::optional<qint64> expectedToken;

    // New state (set).
    Stage toStage = Stage::Uploaded;
    JobStatus toStatus = JobStatus::Queued;
    QString newOwner; // empty: lease cleared; set: a new lease, with the next token
    qint64 leaseMs = 0; // the new lease lasts this long from the server's now
    bool resetAttempts = false;
    int addAttempts = 0;
    int addRescues = 0;
    qint64 notBeforeDelayMs = 0; // not claimable before the server's now + this
    bool setError = false; // false: error columns cleared
    QString errorCode;
    QString errorMessage;
    std::optional<int> pages;
    std::optional<int> chunks;

    // The event row that records it.
    QString eventKind = QString::fromLatin1(EventKind::Transition);
    QString eventCode;
    QString eventMessage;
    QString worker;
    qint64 durationMs = -1;
};

// Returns true if the job was where expected and moved; false if it was not (lease lost,
// cancelled, moved by someone else): then nothing was written.
Result<bool> applyTransition(QSqlDatabase &db, const Transition &transition);

struct EventRow
{
    qint64 jobId = 0;
    QString kind;
    QString fromStage;
    QString toStage;
    QString code;
    QString message;
    QString worker;
    qint64 durationMs = -1;
};
Result<bool> insertEvent(QSqlDatabase &db, const EventRow &event);

} // namespace Docpipe::Store
