#include "currentvectors.h"

#include "jobrow.h"

#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

namespace Docpipe::Store {

namespace {

const QString kCurrentJoin
    = QStringLiteral(" FROM chunks c JOIN jobs j ON j.id = c.job_id JOIN sources s ON s.current_job_id = c.job_id");

} // namespace

Result<ChunkChangeMark> chunkChangeMark(const Database &db)
{
    QSqlQuery query(db.sql());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT (SELECT MAX(id) FROM job_events), (SELECT MAX(id) FROM chunks)"))
        || !query.next())
        return sqlError(query.lastError(), QStringLiteral("checking for new chunks"));
    return ChunkChangeMark{query.value(0).toLongLong(), query.value(1).toLongLong()};
}

// Two plain queries rather than one join: the per-job counts come from the chunks' (job_id, ...)
// index alone, without reading a single row of text or vector.
Result<QHash<qint64, ChunkSetSignature>> currentChunkSignatures(const Database &db)
{
    QSqlQuery query(db.sql());
    query.setForwardOnly(true);
    if (!query.exec(
            QStringLiteral("SELECT s.current_job_id, j.name FROM sources s JOIN jobs j ON j.id = s.current_job_id")))
        return sqlError(query.lastError(), QStringLiteral("reading the current versions"));
    QHash<qint64, ChunkSetSignature> current;
    while (query.next())
        current.insert(query.value(0).toLongLong(), {query.value(1).toString(), 0, 0});
    if (!query.exec(QStringLiteral("SELECT job_id, COUNT(*), MAX(id) FROM chunks GROUP BY job_id")))
        return sqlError(query.lastError(), QStringLiteral("counting the current chunks"));
    QHash<qint64, ChunkSetSignature> signatures;
    while (query.next()) {
        const auto found = current.constFind(query.value(0).toLongLong());
        if (found == current.cend())
            continue;
        signatures.insert(found.key(), {found->document, query.value(1).toInt(), query.value(2).toLongLong()});
    }
    return signatures;
}

Result<int> forEachChunkVector(const Database &db, std::optional<qint64> jobId,
                               const std::function<void(const ChunkVectorRow &)> &visit)
{
    QString sql = QStringLiteral("SELECT id, job_id, idx, page_start, page_end, model, dims, vector FROM chunks");
    if (jobId)
        sql += QStringLiteral(" WHERE job_id = :job");
    QSqlQuery query(db.sql());
    query.setForwardOnly(true);
    query.prepare(sql);
    if (jobId)
        query.bindValue(QStringLiteral(":job"), *jobId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading the current chunks' vectors"));
    int visited = 0;
    ChunkVectorRow row;
    while (query.next()) {
        row.chunkId = query.value(0).toLongLong();
        row.jobId = query.value(1).toLongLong();
        row.index = query.value(2).toInt();
        row.pageStart = query.value(3).toInt();
        row.pageEnd = query.value(4).toInt();
        row.model = query.value(5).toString();
        row.dims = query.value(6).toInt();
        row.vector = query.value(7).toByteArray();
        visit(row);
        ++visited;
    }
    return visited;
}

Result<QHash<qint64, StoredChunk>> currentChunksByIds(const Database &db, const QList<qint64> &ids)
{
    QHash<qint64, StoredChunk> found;
    if (ids.isEmpty())
        return found;
    QStringList placeholders;
    for (qsizetype i = 0; i < ids.size(); ++i)
        placeholders << QStringLiteral(":id%1").arg(i);
    QSqlQuery query(db.sql());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT ") + chunkSelectColumns() + kCurrentJoin + QStringLiteral(" WHERE c.id IN (")
                  + placeholders.join(u',') + u')');
    for (qsizetype i = 0; i < ids.size(); ++i)
        query.bindValue(placeholders.at(i), ids.at(i));
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading the chunks found"));
    while (query.next()) {
        StoredChunk row = readChunkRow(query);
        found.insert(row.chunkId, std::move(row));
    }
    return found;
}

} // namespace Docpipe::Store
