// Figures the fleet and load benchmarks read from the database and from /proc: a scalar query,
// queue waits from the event log, PostgreSQL's CPU time and transaction count, a process's peak RSS.
#pragma once

#include "store/database.h"

#include <QList>
#include <QString>

namespace Docpipe::Test {

// The first column of the first row of `sql`; stops the benchmark when the query fails.
qint64 scalar(const Store::Database &db, const QString &sql);

// Milliseconds from a job becoming claimable (created, or moved to a checkpoint) to its claim, from
// the event log (server times): claims into `toStages` (default: every active stage) made at or
// after `sinceMs` (server time, ms since the epoch; 0: all).
QList<qint64> queueWaits(const Store::Database &db, const QStringList &toStages = {}, qint64 sinceMs = 0);

// CPU time (user + system, ms) of the PostgreSQL server listening on `port` on this machine: its
// postmaster, the children it has reaped, and the children running now.
qint64 postgresCpuMs(int port);

// Transactions PostgreSQL has committed or rolled back in the current database so far.
qint64 postgresTransactions(const Store::Database &db);

// VmHWM of a running process in kB (-1 when it cannot be read).
qint64 peakRssKb(qint64 pid);

} // namespace Docpipe::Test
