// The alert ledger: which fleet-level alerts are firing (table `alerts`) and what happened to them
// (table `fleet_events`). Firing and resolving are compare-and-set on the alert's state, in one
// transaction with the event, so when every worker on a database evaluates the same rules an
// alert still fires once and resolves once; the caller that won sends the notices.
#pragma once

#include "database.h"
#include "model/result.h"

#include <QList>
#include <QString>

namespace Docpipe::Store {

namespace FleetEventKind {
inline constexpr char AlertFired[] = "alert_fired";
inline constexpr char AlertResolved[] = "alert_resolved";
inline constexpr char DatabaseOutage[] = "database_outage"; // written by the worker once it is back
} // namespace FleetEventKind

struct AlertRecord
{
    QString key; // "queue_growing:embedding"
    QString rule; // "queue_growing"
    QString state; // firing | resolved
    QString severity; // warning | critical
    QString summary; // one sentence with the numbers, as when it fired
    qint64 firedAt = 0;
    qint64 resolvedAt = 0;
    QString worker;
};

struct FleetEvent
{
    qint64 id = 0;
    qint64 at = 0;
    QString kind; // FleetEventKind
    QString alertKey;
    QString severity;
    QString message;
    QString worker;
};

// Fires the alert unless it is already firing. True when this call fired it (and wrote the
// alert_fired event); false when it was firing already (someone else won).
Result<bool> fireAlert(const Database &db, const AlertRecord &alert, const QString &worker);
// Resolves the alert if it is firing. True when this call resolved it (and wrote the event).
Result<bool> resolveAlert(const Database &db, const QString &key, const QString &worker,
                          AlertRecord *resolved = nullptr);

// A worker could not reach the database for `outageMs` (alert key "database_unreachable:<worker>").
Result<bool> recordDatabaseOutage(const Database &db, const QString &worker, qint64 outageMs, const QString &reason);

Result<QList<AlertRecord>> firingAlerts(const Database &db);
// Newest `limit` events with an id above `afterId`, oldest first.
// An operator's action on the whole fleet (kind "paused" or "resumed"), naming who did it.
Result<bool> recordFleetEvent(const Database &db, const QString &kind, const QString &message, const QString &worker);

Result<QList<FleetEvent>> listFleetEvents(const Database &db, qint64 afterId = 0, int limit = 1000);

} // namespace Docpipe::Store
