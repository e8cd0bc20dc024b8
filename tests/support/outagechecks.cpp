#include "outagechecks.h"

#include <QThread>

namespace Docpipe::Test {

Result<QList<Vector>> SlowEmbedder::embed(const QStringList &texts, const StageContext &context) const
{
    QThread::msleep(m_delayMs);
    return m_inner.embed(texts, context);
}

bool FinalTables::allEmbeddedOnce(int count) const
{
    return jobs == count && embedded == count && running == 0 && failed == 0 && chunks == expectedChunks && chunks > 0
        && duplicates == 0 && buffered == 0;
}

QString FinalTables::describe() const
{
    return QStringLiteral("jobs %1, embedded %2, running %3, failed %4, chunks %5 (expected %6), duplicate "
                          "(job, idx) %7, rows left in buffers %8%9")
        .arg(jobs)
        .arg(embedded)
        .arg(running)
        .arg(failed)
        .arg(chunks)
        .arg(expectedChunks)
        .arg(duplicates)
        .arg(buffered)
        .arg(failures.isEmpty() ? QString() : QStringLiteral("; failed: ") + failures);
}

FinalTables finalTables(PrivatePostgres &pg)
{
    const QStringList row
        = pg.psql(QStringLiteral(
                      "SELECT (SELECT count(*) FROM jobs), (SELECT count(*) FROM jobs WHERE stage = 'embedded' AND "
                      "status = 'done'), (SELECT count(*) FROM jobs WHERE status = 'running'), (SELECT count(*) FROM "
                      "jobs WHERE status = 'failed'), (SELECT count(*) FROM chunks), (SELECT COALESCE(sum(chunks), 0) "
                      "FROM jobs), (SELECT count(*) FROM (SELECT job_id, idx FROM chunks GROUP BY job_id, idx HAVING "
                      "count(*) > 1) d), (SELECT (SELECT count(*) FROM chunk_buffer) + (SELECT count(*) FROM "
                      "vector_buffer))"))
              .split(u'|');
    FinalTables t;
    if (row.size() == 8) {
        t.jobs = row[0].toInt();
        t.embedded = row[1].toInt();
        t.running = row[2].toInt();
        t.failed = row[3].toInt();
        t.chunks = row[4].toInt();
        t.expectedChunks = row[5].toInt();
        t.duplicates = row[6].toInt();
        t.buffered = row[7].toInt();
    }
    if (t.failed > 0) {
        t.failures = pg.psql(QStringLiteral("SELECT string_agg(id || ' ' || COALESCE(error_code, '') || ': ' || "
                                            "COALESCE(error_message, ''), '; ') FROM jobs WHERE status = 'failed'"));
    }
    return t;
}

int embeddedJobs(PrivatePostgres &pg)
{
    return pg.psql(QStringLiteral("SELECT count(*) FROM jobs WHERE stage = 'embedded'")).toInt();
}

qint64 recoveryMs(PrivatePostgres &pg)
{
    const QString ms = pg.psql(QStringLiteral(
        "SELECT min(e.at) - CAST(EXTRACT(EPOCH FROM pg_postmaster_start_time()) * 1000 AS BIGINT) FROM job_events e "
        "WHERE e.kind = 'transition' AND e.to_stage IN ('parse_validated', 'chunks_buffered', 'embedded') AND e.at >= "
        "CAST(EXTRACT(EPOCH FROM pg_postmaster_start_time()) * 1000 AS BIGINT)"));
    return ms.isEmpty() ? -1 : ms.toLongLong();
}

} // namespace Docpipe::Test
