// What a committed change tells listeners on PostgreSQL (NOTIFY on one channel, sent at commit
// with the transaction that made it): which job went to which stage and status, so a worker can
// claim at once and a window can refresh. The payload is small on purpose ("parsed:queued:42",
// with ":1500" when the job waits 1.5 s before it may be claimed; "control:resumed"; "drain:ID").
// SQLite has no notifications: there, polling is the only way and these calls do nothing.
#pragma once

#include "model/result.h"
#include "model/stage.h"
#include "records.h"

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace Docpipe::Store {

inline constexpr char kChangeChannel[] = "docpipe_changes";

struct ChangeNotice
{
    enum class Kind { Job, Control, Drain };
    Kind kind = Kind::Job;
    Stage stage = Stage::Uploaded;
    JobStatus status = JobStatus::Queued;
    qint64 jobId = 0;
    qint64 delayMs = 0; // the job is not claimable before this much later
    QString word; // Control: paused | resumed | priority; Drain: the worker id

    // Waiting at a checkpoint: the active stage after it has work (now or after delayMs).
    std::optional<Stage> claimableBy() const;
};

QString jobPayload(Stage stage, JobStatus status, qint64 jobId, qint64 delayMs = 0);
QString controlPayload(const QString &word);
QString drainPayload(const QString &worker);
std::optional<ChangeNotice> parseChangePayload(const QString &payload);

// NOTIFY inside the caller's transaction (delivered when it commits); nothing on SQLite.
Result<bool> notifyChange(QSqlDatabase &db, const QString &payload);

} // namespace Docpipe::Store
