// Fleet-wide gauges read from the shared database at each scrape: jobs by stage and status, how
// long the oldest job has waited at each checkpoint, live workers (heartbeats), whether the fleet
// is paused, and the database's size. A handful of indexed aggregates, cheap with 100,000 jobs.
#pragma once

#include "model/result.h"
#include "store/database.h"

#include <QMap>
#include <QPair>
#include <QString>

namespace Docpipe::Monitoring {

struct FleetGauges
{
    QMap<QPair<QString, QString>, qint64> jobs; // (stage, status) -> jobs
    QMap<QString, double> oldestQueuedSeconds; // stage -> age of its oldest queued job
    int liveWorkers = 0; // heartbeat within the silence limit, not stopped
    bool paused = false;
    qint64 databaseBytes = -1; // SQLite: the file and its WAL; PostgreSQL: pg_database_size
};

Result<FleetGauges> readFleetGauges(const Store::Database &db, qint64 workerSilenceMs);

// The database's size on disk (-1 when unknown).
qint64 databaseSize(const Store::Database &db, const QString &url);

} // namespace Docpipe::Monitoring
