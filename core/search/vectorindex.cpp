#include "vectorindex.h"

#include <algorithm>
#include <cmath>
#include <queue>

namespace Docpipe::Search {

namespace {

// Eight independent sums let the compiler keep several multiply-adds in flight (and vectorise)
// without reassociating floating point behind our back.
float dot(const float *a, const float *b, int dims)
{
    float sums[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int i = 0;
    for (; i + 8 <= dims; i += 8) {
        for (int lane = 0; lane < 8; ++lane)
            sums[lane] += a[i + lane] * b[i + lane];
    }
    float total = ((sums[0] + sums[1]) + (sums[2] + sums[3])) + ((sums[4] + sums[5]) + (sums[6] + sums[7]));
    for (; i < dims; ++i)
        total += a[i] * b[i];
    return total;
}

struct WorseFirst
{
    bool operator()(const Hit &a, const Hit &b) const
    {
        return a.score > b.score || (a.score == b.score && a.chunk.chunkId < b.chunk.chunkId);
    }
};

} // namespace

std::vector<float> normalized(const float *vector, int dims)
{
    double norm = 0;
    for (int i = 0; i < dims; ++i)
        norm += double(vector[i]) * double(vector[i]);
    std::vector<float> out(vector, vector + dims);
    if (norm > 0) {
        const double scale = 1.0 / std::sqrt(norm);
        for (float &value : out)
            value = float(double(value) * scale);
    }
    return out;
}

QString VectorIndex::keyOf(const QString &model, int dims)
{
    return model + u'\x1f' + QString::number(dims);
}

void VectorIndex::add(const QString &model, int dims, const IndexedChunk &chunk, const float *vector)
{
    Space &space = m_spaces[keyOf(model, dims)];
    if (space.rows.empty()) {
        space.model = model;
        space.dims = dims;
    }
    makeRoom(space);
    const std::vector<float> unit = normalized(vector, dims);
    space.values.insert(space.values.end(), unit.begin(), unit.end());
    space.rows.push_back(chunk);
}

void VectorIndex::removeJobs(const QSet<qint64> &jobIds)
{
    if (jobIds.isEmpty())
        return;
    for (auto it = m_spaces.begin(); it != m_spaces.end();) {
        Space &space = it.value();
        const auto dims = size_t(space.dims);
        size_t kept = 0;
        for (size_t row = 0; row < space.rows.size(); ++row) {
            if (jobIds.contains(space.rows[row].jobId))
                continue;
            if (kept != row) {
                space.rows[kept] = space.rows[row];
                std::copy_n(space.values.begin() + ptrdiff_t(row * dims), dims,
                            space.values.begin() + ptrdiff_t(kept * dims));
            }
            ++kept;
        }
        space.rows.resize(kept);
        space.values.resize(kept * dims);
        if (kept == 0) {
            it = m_spaces.erase(it);
            continue;
        }
        if (space.rows.capacity() > kept + kept / 4) { // give back what a large removal freed
            space.rows.shrink_to_fit();
            space.values.shrink_to_fit();
        }
        ++it;
    }
}

// A matrix of 100,000 x 384 floats is 154 MB: growing it by doubling would hold up to twice that,
// so it grows by an eighth (or by what a sync announced it is about to read).
void VectorIndex::makeRoom(Space &space) const
{
    const size_t rows = space.rows.size();
    if (rows < space.rows.capacity())
        return;
    const size_t more = std::max<size_t>({16, rows / 8, size_t(std::max<qsizetype>(0, m_expectedRows))});
    space.rows.reserve(rows + more);
    space.values.reserve((rows + more) * size_t(space.dims));
}

QList<EmbeddingSpace> VectorIndex::spaces() const
{
    QList<EmbeddingSpace> list;
    for (const Space &space : m_spaces)
        list.append({space.model, space.dims, qsizetype(space.rows.size())});
    std::sort(list.begin(), list.end(), [](const EmbeddingSpace &a, const EmbeddingSpace &b) {
        return a.chunks != b.chunks ? a.chunks > b.chunks : a.model < b.model;
    });
    return list;
}

qsizetype VectorIndex::size() const
{
    qsizetype total = 0;
    for (const Space &space : m_spaces)
        total += qsizetype(space.rows.size());
    return total;
}

qsizetype VectorIndex::memoryBytes() const
{
    qsizetype bytes = 0;
    for (const Space &space : m_spaces)
        bytes += qsizetype(space.values.capacity() * sizeof(float) + space.rows.capacity() * sizeof(IndexedChunk));
    return bytes;
}

QList<Hit> VectorIndex::nearest(const QString &model, const std::vector<float> &query, int k,
                                const QSet<qint64> &onlyJobs) const
{
    const auto found = m_spaces.constFind(keyOf(model, int(query.size())));
    if (found == m_spaces.cend() || k <= 0)
        return {};
    const Space &space = found.value();
    const std::vector<float> unit = normalized(query.data(), space.dims);
    // A min-heap of the best k so far: its top is the one to beat.
    std::priority_queue<Hit, std::vector<Hit>, WorseFirst> best;
    const float *values = space.values.data();
    for (size_t row = 0; row < space.rows.size(); ++row) {
        if (!onlyJobs.isEmpty() && !onlyJobs.contains(space.rows[row].jobId))
            continue;
        const float score = dot(unit.data(), values + row * size_t(space.dims), space.dims);
        if (int(best.size()) < k) {
            best.push({score, space.rows[row]});
        } else if (WorseFirst()({score, space.rows[row]}, best.top())) {
            best.pop();
            best.push({score, space.rows[row]});
        }
    }
    QList<Hit> hits(qsizetype(best.size()));
    for (qsizetype i = hits.size() - 1; i >= 0; --i) {
        hits[i] = best.top();
        best.pop();
    }
    return hits;
}

} // namespace Docpipe::Search
