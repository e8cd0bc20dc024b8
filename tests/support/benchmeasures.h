// Figures the fleet and load benchmarks read from the database and from /proc: a scalar query,
// queue waits from the event log, PostgreSQL's CPU time and transaction count, a process's peak RSS.
#pragma once

#include "store/database.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QVariantMap>

namespace Docpipe::Test {

// The first column of the first row of `sql` with its named placeholders bound; stops the benchmark
// when the query fails.
qint64 scalar(const Store::Database &db, const QString &sql, const QVariantMap &bindings = {});

// Milliseconds from a job becoming claimable (created, or moved to a checkpoint) to its claim, from
// the event log (server times): claims into `toStages` (default: every active stage) made at or
// after `sinceMs` (server time, ms since the epoch; 0: all).
QList<qint64> queueWaits(const Store::Database &db, const QStringList &toStages = {}, qint64 sinceMs = 0);

// CPU time (user + system, ms) of each process (by pid) of the PostgreSQL server listening on `port`
// on this machine: its postmaster and the postmaster's children (backends, autovacuum, ...).
using CpuSnapshot = QHash<qint64, qint64>;
CpuSnapshot postgresCpu(int port);
// CPU used between two snapshots by the processes alive at the second; a process that ended in
// between is left out (a backend that quits takes its time with it).
qint64 cpuUsedMs(const CpuSnapshot &before, const CpuSnapshot &after);

// Transactions PostgreSQL has committed or rolled back in the current database so far.
qint64 postgresTransactions(const Store::Database &db);

// VmHWM of a running process in kB (-1 when it cannot be read).
qint64 peakRssKb(qint64 pid);

} // namespace Docpipe::Test
