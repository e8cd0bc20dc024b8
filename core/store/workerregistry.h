// The workers table: who is running, where, and whether they are still alive.
#pragma once

#include "database.h"
#include "model/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Docpipe::Store {

struct WorkerRecord
{
    QString id;
    QString host;
    qint64 pid = 0;
    qint64 startedAt = 0;
    qint64 heartbeatAt = 0;
    QString state; // running | paused | stopped
};

Result<bool> registerWorker(const Database &db, const WorkerRecord &worker);
Result<bool> heartbeatWorker(const Database &db, const QString &id, const QString &state);
Result<QList<WorkerRecord>> listWorkers(const Database &db, qint64 seenSince = 0);

// Workers on `host` (other than `self`) whose process is gone: their leases can be recovered at
// once instead of waiting for expiry. Marks them stopped.
Result<QStringList> reapDeadLocalWorkers(const Database &db, const QString &host, const QString &self);

QString localHostName();
QString newWorkerId();

} // namespace Docpipe::Store
