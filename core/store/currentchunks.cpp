#include "currentchunks.h"

#include "jobrow.h"

#include <QSqlQuery>
#include <QVariant>

namespace Docpipe::Store {

Result<int> forEachCurrentChunk(const Database &db, const CurrentChunkFilter &filter,
                                const std::function<bool(const StoredChunk &)> &visit)
{
    QString sql = QStringLiteral("SELECT ") + chunkSelectColumns()
        + QStringLiteral(" FROM chunks c JOIN jobs j ON j.id = c.job_id JOIN sources s ON s.current_job_id = c.job_id "
                         "WHERE 1 = 1");
    if (filter.jobId)
        sql += QStringLiteral(" AND c.job_id = :job");
    if (!filter.document.isEmpty())
        sql += QStringLiteral(" AND j.name = :document");
    if (filter.afterChunkId >= 0)
        sql += QStringLiteral(" AND c.id > :after");
    sql += QStringLiteral(" ORDER BY c.job_id, c.idx");
    QSqlQuery query(db.sql());
    query.setForwardOnly(true);
    query.prepare(sql);
    if (filter.jobId)
        query.bindValue(QStringLiteral(":job"), *filter.jobId);
    if (!filter.document.isEmpty())
        query.bindValue(QStringLiteral(":document"), filter.document);
    if (filter.afterChunkId >= 0)
        query.bindValue(QStringLiteral(":after"), filter.afterChunkId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading current chunks"));
    int visited = 0;
    while (query.next()) {
        const StoredChunk row = readChunkRow(query);
        ++visited;
        if (!visit(row))
            break;
    }
    return visited;
}

Result<QList<qint64>> currentJobIds(const Database &db)
{
    QSqlQuery query(db.sql());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT current_job_id FROM sources WHERE current_job_id IS NOT NULL ORDER BY "
                                   "current_job_id")))
        return sqlError(query.lastError(), QStringLiteral("reading current versions"));
    QList<qint64> ids;
    while (query.next())
        ids.append(query.value(0).toLongLong());
    return ids;
}

} // namespace Docpipe::Store
