// The in-memory vector index kept in step with the database. sync() first reads a change mark
// (the newest event and chunk ids: two index lookups); only when it moved does it compare every
// current job's chunk signature (count and newest chunk id) with what the index holds, drop the
// jobs that were replaced, removed or re-run, and read the vectors of new or changed jobs. One
// instance belongs to one thread at a time (the connection it reads through is that thread's).
#pragma once

#include "model/result.h"
#include "store/currentvectors.h"
#include "vectorindex.h"

#include <QHash>
#include <QSet>

#include <optional>

namespace Docpipe::Search {

struct SyncReport
{
    int jobsRead = 0;
    int jobsDropped = 0;
    int chunksRead = 0;
};

class SearchIndex final
{
public:
    Result<SyncReport> sync(const Store::Database &db);

    const VectorIndex &vectors() const { return m_vectors; }
    // The jobs whose documents are named `document` (the job's name, as dropped).
    QSet<qint64> jobsNamed(const QString &document) const;
    qsizetype chunkCount() const { return m_vectors.size(); }

private:
    Result<int> load(const Store::Database &db, const QSet<qint64> &jobs);

    VectorIndex m_vectors;
    QHash<qint64, Store::ChunkSetSignature> m_jobs;
    std::optional<Store::ChunkChangeMark> m_mark; // as of the last complete sync
};

} // namespace Docpipe::Search
