#include "jobqueries.h"

#include "jobrow.h"

#include <QSqlQuery>
#include <QVariant>

namespace Docpipe::Store {

Result<StatusCounts> statusCounts(const Database &db)
{
    QSqlQuery query(db.sql());
    if (!query.exec(QStringLiteral("SELECT stage, status, COUNT(*) FROM jobs GROUP BY stage, status")))
        return sqlError(query.lastError(), QStringLiteral("counting jobs"));
    StatusCounts counts;
    for (const Stage stage : allStages())
        counts.byStage.insert(stage, 0);
    while (query.next()) {
        const auto stage = stageFromName(query.value(0).toString());
        const auto status = statusFromName(query.value(1).toString());
        const int n = query.value(2).toInt();
        counts.total += n;
        if (status == JobStatus::Failed) {
            counts.failed += n;
            if (stage)
                counts.failedByStage[*stage] += n;
        } else if (status == JobStatus::Cancelled)
            counts.cancelled += n;
        else if (stage)
            counts.byStage[*stage] += n;
        if (status == JobStatus::Running && stage)
            counts.runningByStage[*stage] += n;
    }
    return counts;
}

Result<QList<JobRecord>> listJobs(const Database &db, const JobFilter &filter)
{
    if (filter.ids.size() > 500) {
        // Keep each statement's parameter list short; SQLite allows a few thousand at most.
        QList<JobRecord> all;
        for (qsizetype from = 0; from < filter.ids.size(); from += 500) {
            JobFilter part = filter;
            part.ids = filter.ids.mid(from, 500);
            auto jobs = listJobs(db, part);
            if (!jobs)
                return jobs.error();
            all += jobs.value();
        }
        return all;
    }
    QString sql = QStringLiteral("SELECT ") + jobSelectColumns()
        + QStringLiteral(" FROM jobs j JOIN documents d ON d.id = j.document_id WHERE 1 = 1");
    if (!filter.ids.isEmpty()) {
        QStringList marks(filter.ids.size(), QStringLiteral("?"));
        sql += QStringLiteral(" AND j.id IN (%1)").arg(marks.join(u','));
    }
    if (filter.stage)
        sql += QStringLiteral(" AND j.stage = ?");
    if (filter.status)
        sql += QStringLiteral(" AND j.status = ?");
    if (filter.updatedAfter >= 0)
        sql += QStringLiteral(" AND j.updated_at > ?");
    if (filter.afterId >= 0)
        sql += QStringLiteral(" AND j.id > ?");
    sql += QStringLiteral(" ORDER BY j.id");
    if (filter.limit >= 0)
        sql += QStringLiteral(" LIMIT %1").arg(filter.limit);
    QSqlQuery query(db.sql());
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const qint64 id : filter.ids)
        query.addBindValue(id);
    if (filter.stage)
        query.addBindValue(stageName(*filter.stage));
    if (filter.status)
        query.addBindValue(statusName(*filter.status));
    if (filter.updatedAfter >= 0)
        query.addBindValue(filter.updatedAfter);
    if (filter.afterId >= 0)
        query.addBindValue(filter.afterId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("listing jobs"));
    QList<JobRecord> jobs;
    while (query.next())
        jobs.append(readJobRow(query));
    return jobs;
}

Result<std::optional<JobRecord>> findJob(const Database &db, qint64 id)
{
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral("SELECT ") + jobSelectColumns()
                  + QStringLiteral(" FROM jobs j JOIN documents d ON d.id = j.document_id WHERE j.id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading job %1").arg(id));
    if (!query.next())
        return std::optional<JobRecord>();
    return std::optional<JobRecord>(readJobRow(query));
}

Result<QList<JobEvent>> listEvents(const Database &db, const EventFilter &filter)
{
    QString sql = QStringLiteral("SELECT e.id, e.job_id, e.at, e.kind, e.from_stage, e.to_stage, e.code, e.message, "
                                 "e.worker, e.duration_ms, j.name "
                                 "FROM job_events e JOIN jobs j ON j.id = e.job_id WHERE 1 = 1");
    if (filter.jobId)
        sql += QStringLiteral(" AND e.job_id = ?");
    // isErrorKind(), in SQL
    const QString errorKinds = QStringLiteral("e.kind IN ('%1', '%2', '%3')")
                                   .arg(QLatin1String(EventKind::Retry), QLatin1String(EventKind::Failed),
                                        QLatin1String(EventKind::LeaseExpired));
    if (filter.errorsOnly)
        sql += QStringLiteral(" AND ") + errorKinds;
    if (filter.progressOnly) // errors, or a completion: a transition out of an active stage
        sql += QStringLiteral(" AND (%1 OR (e.kind = '%2' AND e.from_stage IN ('%3', '%4', '%5')))")
                   .arg(errorKinds, QLatin1String(EventKind::Transition), stageName(Stage::Parsing),
                        stageName(Stage::Chunking), stageName(Stage::Embedding));
    if (filter.since >= 0)
        sql += QStringLiteral(" AND e.at >= ?");
    if (filter.afterId >= 0)
        sql += QStringLiteral(" AND e.id > ?");
    sql += filter.limit >= 0 ? QStringLiteral(" ORDER BY e.id DESC LIMIT %1").arg(filter.limit)
                             : QStringLiteral(" ORDER BY e.id");
    QSqlQuery query(db.sql());
    query.setForwardOnly(true);
    query.prepare(sql);
    if (filter.jobId)
        query.addBindValue(*filter.jobId);
    if (filter.since >= 0)
        query.addBindValue(filter.since);
    if (filter.afterId >= 0)
        query.addBindValue(filter.afterId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading events"));
    QList<JobEvent> events;
    while (query.next()) {
        JobEvent e;
        e.id = query.value(0).toLongLong();
        e.jobId = query.value(1).toLongLong();
        e.at = query.value(2).toLongLong();
        e.kind = query.value(3).toString();
        e.fromStage = query.value(4).toString();
        e.toStage = query.value(5).toString();
        e.code = query.value(6).toString();
        e.message = query.value(7).toString();
        e.worker = query.value(8).toString();
        e.durationMs = query.value(9).isNull() ? -1 : query.value(9).toLongLong();
        e.jobName = query.value(10).toString();
        events.append(e);
    }
    if (filter.limit >= 0)
        std::reverse(events.begin(), events.end());
    return events;
}

Result<QList<ParsedPage>> parsedPages(const Database &db, qint64 jobId)
{
    QSqlQuery query(db.sql());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT page_no, text, furniture, ocr, ocr_confidence FROM parsed_pages "
                                 "WHERE job_id = :job ORDER BY page_no"));
    query.bindValue(QStringLiteral(":job"), jobId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading parsed pages of job %1").arg(jobId));
    QList<ParsedPage> pages;
    while (query.next()) {
        const QString furniture = query.value(2).toString();
        ParsedPage page{query.value(0).toInt(), query.value(1).toString(),
                        furniture.isEmpty() ? QStringList() : furniture.split(u'\n')};
        page.ocr = query.value(3).toInt() != 0;
        page.ocrConfidence = page.ocr && !query.value(4).isNull() ? query.value(4).toInt() : -1;
        pages.append(std::move(page));
    }
    return pages;
}

Result<int> forEachChunk(const Database &db, std::optional<qint64> jobId,
                         const std::function<bool(const StoredChunk &)> &visit)
{
    QString sql = QStringLiteral("SELECT ") + chunkSelectColumns()
        + QStringLiteral(" FROM chunks c JOIN jobs j ON j.id = c.job_id");
    if (jobId)
        sql += QStringLiteral(" WHERE c.job_id = ?");
    sql += QStringLiteral(" ORDER BY c.job_id, c.idx");
    QSqlQuery query(db.sql());
    query.setForwardOnly(true);
    query.prepare(sql);
    if (jobId)
        query.addBindValue(*jobId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading chunks"));
    int visited = 0;
    while (query.next()) {
        const StoredChunk row = readChunkRow(query);
        ++visited;
        if (!visit(row))
            break;
    }
    return visited;
}

} // namespace Docpipe::Store
