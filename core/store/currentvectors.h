// What an in-memory search index reads of the current chunks: a cheap mark that moves whenever
// chunks may have changed, a per-job signature to tell what changed, the vectors without their
// texts (the index never holds texts), and the texts of the few chunks a search returns.
#pragma once

#include "currentchunks.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <functional>

namespace Docpipe::Store {

// Moves whenever chunks may have changed: every change of the chunks table comes with an event
// (storing, replacing or removing a version, re-running a job), and new chunks get new ids.
struct ChunkChangeMark
{
    qint64 lastEventId = 0;
    qint64 lastChunkId = 0;
    friend bool operator==(const ChunkChangeMark &, const ChunkChangeMark &) = default;
};
Result<ChunkChangeMark> chunkChangeMark(const Database &db);

// A current job's chunks as they stand: re-running a job or replacing a version changes either.
struct ChunkSetSignature
{
    QString document; // the job's name
    int count = 0;
    qint64 maxChunkId = 0;
    friend bool operator==(const ChunkSetSignature &, const ChunkSetSignature &) = default;
};
Result<QHash<qint64, ChunkSetSignature>> currentChunkSignatures(const Database &db);

struct ChunkVectorRow
{
    qint64 chunkId = 0;
    qint64 jobId = 0;
    int index = 0;
    int pageStart = 1;
    int pageEnd = 1;
    QString model;
    int dims = 0;
    QByteArray vector; // little-endian float32
};
// The stored chunks' vectors (all, or one job's), in no particular order: one plain scan of the
// table. The caller keeps the rows of the jobs currentChunkSignatures() named.
Result<int> forEachChunkVector(const Database &db, std::optional<qint64> jobId,
                               const std::function<void(const ChunkVectorRow &)> &visit);

// The chunks with these ids that are still current (a replaced one is simply missing).
Result<QHash<qint64, StoredChunk>> currentChunksByIds(const Database &db, const QList<qint64> &ids);

} // namespace Docpipe::Store
