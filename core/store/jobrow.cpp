#include "jobrow.h"

#include <QVariant>

namespace Docpipe::Store {

QString jobSelectColumns()
{
    return QStringLiteral(
        "j.id, j.document_id, j.name, j.source_path, j.doc_type, d.sha256, d.size_bytes, j.stage, j.status, "
        "j.priority, j.attempts, j.not_before, j.lease_owner, j.lease_expires, j.error_code, j.error_message, "
        "j.pages, j.chunks, j.created_at, j.updated_at, j.stage_started_at, j.lease_token");
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
    return job;
}

} // namespace Docpipe::Store
