#include "searchindex.h"

#include "logging.h"
#include "stages/embedding/vectorcodec.h"

namespace Docpipe::Search {

namespace {

// Above this many jobs to read, one scan over all current vectors beats a query per job.
constexpr int kPerJobQueries = 16;

} // namespace

Result<SyncReport> SearchIndex::sync(const Store::Database &db)
{
    auto mark = Store::chunkChangeMark(db);
    if (!mark)
        return mark.error();
    if (m_mark == mark.value())
        return SyncReport{};
    auto signatures = Store::currentChunkSignatures(db);
    if (!signatures)
        return signatures.error();
    QSet<qint64> stale;
    QSet<qint64> fresh;
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it) {
        const auto now = signatures.value().constFind(it.key());
        if (now == signatures.value().cend() || now.value() != it.value())
            stale.insert(it.key());
    }
    for (auto it = signatures.value().cbegin(); it != signatures.value().cend(); ++it) {
        if (!m_jobs.contains(it.key()) || stale.contains(it.key()))
            fresh.insert(it.key());
    }
    m_vectors.removeJobs(stale);
    for (const qint64 job : stale)
        m_jobs.remove(job);
    SyncReport report{int(fresh.size()), int(stale.size()), 0};
    if (fresh.isEmpty()) {
        m_mark = mark.value();
        return report;
    }
    qsizetype expected = 0;
    for (const qint64 job : fresh)
        expected += signatures.value().value(job).count;
    m_vectors.expectRows(expected);
    auto read = load(db, fresh);
    m_vectors.expectRows(0);
    if (!read) {
        // Half-read jobs would look complete next time: forget them so they are read again.
        m_vectors.removeJobs(fresh);
        return read.error();
    }
    for (const qint64 job : fresh)
        m_jobs.insert(job, signatures.value().value(job));
    m_mark = mark.value();
    report.chunksRead = read.value();
    return report;
}

Result<int> SearchIndex::load(const Store::Database &db, const QSet<qint64> &jobs)
{
    int added = 0;
    int skipped = 0;
    const auto visit = [&](const Store::ChunkVectorRow &row) {
        if (!jobs.contains(row.jobId))
            return;
        auto vector = Stages::decodeVector(row.vector, row.dims);
        if (!vector) { // cannot happen for rows the embedding stage stored; never worth failing a search
            ++skipped;
            return;
        }
        m_vectors.add(row.model, row.dims, {row.chunkId, row.jobId, row.index, row.pageStart, row.pageEnd},
                      vector.value().constData());
        ++added;
    };
    if (jobs.size() > kPerJobQueries) {
        auto read = Store::forEachChunkVector(db, std::nullopt, visit);
        if (!read)
            return read.error();
    } else {
        for (const qint64 job : jobs) {
            auto read = Store::forEachChunkVector(db, job, visit);
            if (!read)
                return read.error();
        }
    }
    if (skipped > 0)
        qCWarning(lcStore) << skipped << "stored vector(s) could not be decoded and are left out of search";
    return added;
}

QSet<qint64> SearchIndex::jobsNamed(const QString &document) const
{
    QSet<qint64> jobs;
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it) {
        if (it.value().document == document)
            jobs.insert(it.key());
    }
    return jobs;
}

} // namespace Docpipe::Search
