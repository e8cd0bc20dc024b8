// Read-only views of the store for the CLI, the window and exports.
#pragma once

#include "database.h"
#include "model/document.h"
#include "model/result.h"
#include "records.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <functional>
#include <optional>

namespace Docpipe::Store {

struct StatusCounts
{
    QMap<Stage, int> byStage; // jobs neither failed nor cancelled, by stage
    QMap<Stage, int> runningByStage;
    QMap<Stage, int> failedByStage; // failed jobs, by the stage they failed in
    int failed = 0;
    int cancelled = 0;
    int total = 0;
};
Result<StatusCounts> statusCounts(const Database &db);

struct JobFilter
{
    QList<qint64> ids = {}; // only these jobs (empty: all)
    std::optional<Stage> stage = {};
    std::optional<JobStatus> status = {};
    qint64 updatedAfter = -1; // only jobs changed after this time (ms), for live views
    int limit = -1;
    qint64 afterId = -1; // only jobs with a greater id: pages through a big table in id order
};
Result<QList<JobRecord>> listJobs(const Database &db, const JobFilter &filter = {});
Result<std::optional<JobRecord>> findJob(const Database &db, qint64 id);

struct EventFilter
{
    std::optional<qint64> jobId = {};
    bool errorsOnly = false; // retries, failures, expired leases
    // Errors and stage completions only (what the dashboard counts), without intake, claims and
    // the like: after a burst of intake, most recent events are `created`.
    bool progressOnly = false;
    qint64 since = -1; // at >= since (ms)
    qint64 afterId = -1; // id > afterId, for tailing
    int limit = -1; // the newest `limit`, still returned oldest first
};
Result<QList<JobEvent>> listEvents(const Database &db, const EventFilter &filter = {});

Result<QList<ParsedPage>> parsedPages(const Database &db, qint64 jobId);

struct StoredChunk
{
    qint64 chunkId = 0; // the row's id: grows with every chunk stored
    qint64 jobId = 0;
    QString document;
    Chunk chunk;
    QString model;
    int dims = 0;
    QByteArray vector; // little-endian float32
};
// Final chunks (of one job, or all), in job and index order; `visit` returns false to stop.
Result<int> forEachChunk(const Database &db, std::optional<qint64> jobId,
                         const std::function<bool(const StoredChunk &)> &visit);

} // namespace Docpipe::Store
