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
    QString state; // running | draining | stopped
    QString version; // the Docpipe it runs (empty: this binary's)
};

Result<bool> registerWorker(const Database &db, const WorkerRecord &worker);
// Records that the worker is alive in `state`, and returns the state it is in now: "draining"
// stays draining (an operator asked for it) until the worker says it stopped.
Result<QString> heartbeatWorker(const Database &db, const QString &id, const QString &state);
// Asks a running worker to finish what it holds, take nothing new, then stop (tells it at once on
// PostgreSQL; at its next heartbeat otherwise). False when no running worker has that id.
Result<bool> requestDrain(const Database &db, const QString &id);
Result<QList<WorkerRecord>> listWorkers(const Database &db, qint64 seenSince = 0);

// Workers on `host` (other than `self`) whose process is gone: their leases can be recovered at
// once instead of waiting for expiry. Marks them stopped.
Result<QStringList> reapDeadLocalWorkers(const Database &db, const QString &host, const QString &self);

QString localHostName();
QString newWorkerId();

} // namespace Docpipe::Store
