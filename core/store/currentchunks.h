// The chunks that retrieval sees: those of every document's current version. A new version's
// chunks replace the old version's only once it is embedded (in that one transaction), and a
// deleted watched file's chunks go with it unless its folder keeps them. Export and search both
// read through here, so neither ever sees a replaced version.
#pragma once

#include "database.h"
#include "jobqueries.h"
#include "model/result.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace Docpipe::Store {

struct CurrentChunkFilter
{
    std::optional<qint64> jobId = {}; // only this job's chunks (none unless it is a current version)
    QString document = {}; // only documents of this name, as dropped (the job's name)
    qint64 afterChunkId = -1; // only chunks stored after this one (chunk ids grow)
};

// Current chunks in job and index order; `visit` returns false to stop. Returns how many it visited.
Result<int> forEachCurrentChunk(const Database &db, const CurrentChunkFilter &filter,
                                const std::function<bool(const StoredChunk &)> &visit);

// The jobs whose chunks are current, one per document. An index kept in memory compares it with
// what it holds: a job that left the list was replaced or removed; a new one brings new chunks.
Result<QList<qint64>> currentJobIds(const Database &db);

} // namespace Docpipe::Store
