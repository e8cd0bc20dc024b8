// The vectors of the current chunks, kept in memory for exact nearest-neighbour search: one dense
// float32 matrix per embedding space (model and dimension count), each row unit length, so a
// cosine similarity is one dot product. No texts: a search fetches the few it returns. Exact, not
// approximate: a scan of 100,000 rows of 384 dimensions takes milliseconds (tests/bench/bench_search).
#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <vector>

namespace Docpipe::Search {

struct IndexedChunk
{
    qint64 chunkId = 0;
    qint64 jobId = 0;
    int index = 0;
    int pageStart = 1;
    int pageEnd = 1;
};

struct Hit
{
    float score = 0; // cosine similarity, -1..1
    IndexedChunk chunk;
};

// Which vectors can be compared with which: those of one model at one dimension count.
struct EmbeddingSpace
{
    QString model;
    int dims = 0;
    qsizetype chunks = 0;
};

class VectorIndex final
{
public:
    // Copies and normalises `vector` (dims floats); a zero vector is stored as it is (scores 0).
    void add(const QString &model, int dims, const IndexedChunk &chunk, const float *vector);
    // Drops every row of these jobs (compacting the matrices).
    void removeJobs(const QSet<qint64> &jobIds);
    // About this many rows are about to be added (to one space): room is made for them at once.
    void expectRows(qsizetype rows) { m_expectedRows = rows; }

    QList<EmbeddingSpace> spaces() const;
    qsizetype size() const;
    // Bytes held by the matrices and row records.
    qsizetype memoryBytes() const;

    // The k rows of the space (model, query.size()) most similar to `query`, best first; only rows
    // of `onlyJobs` when it is not empty. Empty when the space holds nothing.
    QList<Hit> nearest(const QString &model, const std::vector<float> &query, int k,
                       const QSet<qint64> &onlyJobs = {}) const;

private:
    struct Space
    {
        QString model;
        int dims = 0;
        std::vector<float> values; // rows.size() * dims
        std::vector<IndexedChunk> rows;
    };
    static QString keyOf(const QString &model, int dims);
    void makeRoom(Space &space) const;

    QHash<QString, Space> m_spaces;
    qsizetype m_expectedRows = 0;
};

// Unit length (or all zeros when the input is).
std::vector<float> normalized(const float *vector, int dims);

} // namespace Docpipe::Search
