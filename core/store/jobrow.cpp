#include "jobrow.h"

#include <QVariant>

namespace Docpipe::Store {

QString jobSelectColumns()
{
    return QStringLiteral(
        "j.id, j.document_id, j.name, j.source_path, j.doc_type, d.sha256, d.size_bytes, j.stage, j.status, "
        "j.priority, j.attempts, j.not_before, j.lease_owner, j.lease_expires, j.error_code, j.error_message, "
        "j.pages, j.chunks, j.created_at, j.updated_at, j.stage_started_at, j.lease_token, j.source_id, j.version, "
        "(SELECT s.current_job_id FROM sources s WHERE s.id = j.source_id), "
        "(SELECT s.removed_at FROM sources s WHERE s.id = j.source_id), j.rescues");
}

JobRecord readJobRow(const QSqlQuery &q)
{
    JobRecord job;
    job.id = q.value(0).toLongLong();
    job.documentId = q.value(1).toLongLong();
    job.name = q.value(2).toString();
    job.sourcePath = q.value(3).toString();
    job.docType = q.value(4).toString();
    job.sha256 = q.value(5).toString();
    job.sizeBytes = q.value(6).toLongLong();
    job.stage = stageFromName(q.value(7).toString()).value_or(Stage::Uploaded);
    job.status = statusFromName(q.value(8).toString()).value_or(JobStatus::Queued);
    job.priority = q.value(9).toInt();
    job.attempts = q.value(10).toInt();
    job.notBefore = q.value(11).toLongLong();
    job.leaseOwner = q.value(12).toString();
    job.leaseExpires = q.value(13).toLongLong();
    job.errorCode = q.value(14).toString();
    job.errorMessage = q.value(15).toString();
    job.pages = q.value(16).toInt();
    job.chunks = q.value(17).toInt();
    job.createdAt = q.value(18).toLongLong();
    job.updatedAt = q.value(19).toLongLong();
    job.stageStartedAt = q.value(20).toLongLong();
    job.leaseToken = q.value(21).toLongLong();
    job.sourceId = q.value(22).toLongLong();
    job.version = q.value(23).toInt();
    job.isCurrent = job.sourceId != 0 && q.value(24).toLongLong() == job.id;
    job.sourceRemoved = !q.value(25).isNull();
    job.rescues = q.value(26).toInt();
    return job;
}

QString chunkSelectColumns()
{
    return QStringLiteral("c.id, c.job_id, j.name, c.idx, c.text, c.tokens, c.page_start, c.page_end, c.char_start, "
                          "c.char_end, c.model, c.dims, c.vector");
}

StoredChunk readChunkRow(const QSqlQuery &q)
{
    StoredChunk row;
    row.chunkId = q.value(0).toLongLong();
    row.jobId = q.value(1).toLongLong();
    row.document = q.value(2).toString();
    row.chunk.index = q.value(3).toInt();
    row.chunk.text = q.value(4).toString();
    row.chunk.tokens = q.value(5).toInt();
    row.chunk.pageStart = q.value(6).toInt();
    row.chunk.pageEnd = q.value(7).toInt();
    row.chunk.charStart = q.value(8).toLongLong();
    row.chunk.charEnd = q.value(9).toLongLong();
    row.model = q.value(10).toString();
    row.dims = q.value(11).toInt();
    row.vector = q.value(12).toByteArray();
    return row;
}

} // namespace Docpipe::Store
