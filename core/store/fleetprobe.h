// What the alert rules read from the database in one check: failures and endings in a window,
// jobs waiting or running for too long, queue depths, live workers, and the remote services'
// recent errors. A handful of indexed aggregate queries, cheap with 100,000 jobs.
#pragma once

#include "database.h"
#include "model/result.h"
#include "model/stage.h"

#include <QMap>
#include <QString>

namespace Docpipe::Store {

// Errors a stage's remote service answered with inside the window.
struct ServiceErrors
{
    int outageErrors = 0; // connection problems, timeouts, 5xx (retry or failed events)
    QString lastOutageCode;
    qint64 lastOutageAt = 0;
    int quotaErrors = 0; // insufficient_quota
    qint64 lastQuotaAt = 0;
    qint64 lastSuccessAt = 0; // the stage last finished a job (0: not in the window)
};

struct FleetProbeLimits
{
    qint64 failureWindowMs = 10 * 60 * 1000;
    qint64 stuckMs = 60 * 60 * 1000;
    qint64 workerSilenceMs = 60 * 1000;
    qint64 serviceWindowMs = 10 * 60 * 1000;
};

struct FleetSnapshot
{
    qint64 now = 0; // the database server's clock
    int failedJobs = 0; // jobs that failed in the failure window
    int endedJobs = 0; // jobs that failed, were cancelled or were embedded in it
    int stuckJobs = 0; // waiting or running in their stage for longer than the stuck limit
    qint64 oldestStuckJob = 0;
    qint64 oldestStuckSince = 0;
    int waitingJobs = 0; // queued at a checkpoint (some perhaps backing off)
    int liveWorkers = 0; // heartbeat within the silence limit, not stopped
    QMap<Stage, int> queueDepth; // queued jobs, by the active stage they wait for
    QMap<Stage, ServiceErrors> services; // Parsing and Embedding
};

Result<FleetSnapshot> probeFleet(const Database &db, const FleetProbeLimits &limits);

// The error codes that mean a remote service is unreachable or broken (not the request's fault).
bool isOutageCode(const QString &code);

} // namespace Docpipe::Store
