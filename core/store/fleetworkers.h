// The fleet as operators see it (`docpipe-cli workers`, the window's Workers panel): each worker
// with what it holds and has done lately, and whether it is running, draining or lost (its
// heartbeat is older than the silence limit, by the database server's clock).
#pragma once

#include "database.h"
#include "model/result.h"
#include "workerregistry.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>

namespace Docpipe::Store {

struct FleetWorker
{
    WorkerRecord worker; // worker.state as stored
    QString state; // running | draining | lost
    int jobsHeld = 0; // running jobs leased to it
    int doneRecently = 0; // stages it completed in the recent window
};

struct FleetListing
{
    qint64 silenceMs = 60 * 1000; // no heartbeat for this long: lost
    qint64 recentMs = 10 * 60 * 1000; // "done recently"
    qint64 forgetMs = 24 * 3600 * 1000; // lost workers silent for longer are not listed
};

// Workers not stopped, oldest first.
Result<QList<FleetWorker>> listFleet(const Database &db, const FleetListing &listing = {});

// {"workers":[{"id","host","pid","version","started_at","last_heartbeat","jobs_held","state"}]}
QJsonObject fleetToJson(const QList<FleetWorker> &workers);

} // namespace Docpipe::Store

Q_DECLARE_METATYPE(QList<Docpipe::Store::FleetWorker>)
