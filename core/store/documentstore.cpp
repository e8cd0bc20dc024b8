#include "documentstore.h"

#include "records.h"
#include "transition.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QSqlQuery>
#include <QVariant>

namespace Docpipe::Store {

namespace {

struct FileContent
{
    QByteArray bytes; // empty when over the limit
    QString sha256;
    qint64 size = 0;
    QString mimeType;
};

Result<FileContent> readFile(const QString &path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return StageError::permanent(QStringLiteral("unreadable_file"),
                                     QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    FileContent content;
    content.size = file.size();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (content.size <= maxBytes) {
        content.bytes = file.readAll();
        if (content.bytes.size() != content.size)
            return StageError::permanent(QStringLiteral("unreadable_file"),
                                         QStringLiteral("could only read %1 of %2 bytes of %3")
                                             .arg(content.bytes.size())
                                             .arg(content.size)
                                             .arg(path));
        hash.addData(content.bytes);
        content.mimeType = QMimeDatabase().mimeTypeForFileNameAndData(path, content.bytes).name();
    } else {
        if (!hash.addData(&file))
            return StageError::permanent(QStringLiteral("unreadable_file"), QStringLiteral("cannot read %1").arg(path));
        content.mimeType = QMimeDatabase().mimeTypeForFile(path).name();
    }
    content.sha256 = QString::fromLatin1(hash.result().toHex());
    return content;
}

QString humanSize(qint64 bytes)
{
    return QStringLiteral("%1 MB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

Result<qint64> findOrInsertDocument(QSqlDatabase &sql, const FileContent &content, bool tooLarge)
{
    QSqlQuery query(sql);
    query.prepare(
        QStringLiteral(
            "INSERT INTO documents (sha256, size_bytes, mime_type, content, created_at) VALUES (?, ?, ?, ?, %1) "
            "ON CONFLICT (sha256) DO NOTHING")
            .arg(serverNowSql(sql)));
    query.addBindValue(content.sha256);
    query.addBindValue(content.size);
    query.addBindValue(content.mimeType);
    // Over the limit: the row records the hash and size but no bytes (content stays NULL).
    query.addBindValue(tooLarge ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(content.bytes));
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("storing the document"));
    query.prepare(QStringLiteral("SELECT id FROM documents WHERE sha256 = ?"));
    query.addBindValue(content.sha256);
    if (!query.exec() || !query.next())
        return sqlError(query.lastError(), QStringLiteral("finding the stored document"));
    return query.value(0).toLongLong();
}

Result<qint64> existingJobFor(QSqlDatabase &sql, qint64 documentId)
{
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("SELECT id FROM jobs WHERE document_id = ? ORDER BY id DESC LIMIT 1"));
    query.addBindValue(documentId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("looking for an existing job"));
    return query.next() ? query.value(0).toLongLong() : qint64(0);
}

} // namespace

Result<IngestResult> ingestFile(const Database &db, const QString &path, const IngestOptions &options)
{
    auto read = readFile(path, options.maxBytes);
    if (!read)
        return read.error();
    const FileContent &content = read.value();

    IngestResult result;
    result.name = QFileInfo(path).fileName();
    result.sha256 = content.sha256;
    result.tooLarge = content.size > options.maxBytes;

    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QStringLiteral("starting to ingest %1").arg(result.name));
    auto documentId = findOrInsertDocument(tx.sql(), content, result.tooLarge);
    if (!documentId)
        return documentId.error();
    result.documentId = documentId.value();

    if (!options.force) {
        auto existing = existingJobFor(tx.sql(), result.documentId);
        if (!existing)
            return existing.error();
        if (existing.value() != 0) {
            result.jobId = existing.value();
            result.duplicate = true;
            return result; // nothing written worth keeping; the transaction rolls back
        }
    }

    const JobStatus status = result.tooLarge ? JobStatus::Failed : JobStatus::Queued;
    const QString errorCode = result.tooLarge ? QStringLiteral("file_too_large") : QString();
    const QString errorMessage = result.tooLarge
        ? QStringLiteral("the file is %1, over the %2 limit per document; it was not stored")
              .arg(humanSize(content.size), humanSize(options.maxBytes))
        : QString();
    QSqlQuery query(tx.sql());
    query.prepare(
        QStringLiteral(
            "INSERT INTO jobs (document_id, name, source_path, stage, status, priority, created_at, updated_at, "
            "stage_started_at, error_code, error_message) VALUES (?, ?, ?, ?, ?, ?, %1, %1, %1, ?, ?) RETURNING id")
            .arg(serverNowSql(tx.sql())));
    query.addBindValue(result.documentId);
    query.addBindValue(result.name);
    query.addBindValue(QFileInfo(path).absoluteFilePath());
    query.addBindValue(stageName(Stage::Uploaded));
    query.addBindValue(statusName(status));
    query.addBindValue(options.priority);
    query.addBindValue(errorCode.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(errorCode));
    query.addBindValue(errorMessage.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(errorMessage));
    if (!query.exec() || !query.next())
        return sqlError(query.lastError(), QStringLiteral("creating the job for %1").arg(result.name));
    result.jobId = query.value(0).toLongLong();
    query.finish();

    EventRow created{result.jobId, QString::fromLatin1(EventKind::Created),
                     QString(),    stageName(Stage::Uploaded),
                     QString(),    QStringLiteral("%1 (%2 bytes)").arg(result.name).arg(content.size),
                     QString(),    -1};
    if (auto ok = insertEvent(tx.sql(), created); !ok)
        return ok.error();
    if (result.tooLarge) {
        EventRow failed{result.jobId,
                        QString::fromLatin1(EventKind::Failed),
                        stageName(Stage::Uploaded),
                        stageName(Stage::Uploaded),
                        errorCode,
                        errorMessage,
                        QString(),
                        -1};
        if (auto ok = insertEvent(tx.sql(), failed); !ok)
            return ok.error();
    }
    if (!tx.commit())
        return sqlError(tx.sql().lastError(), QStringLiteral("committing the job for %1").arg(result.name));
    return result;
}

Result<QByteArray> loadDocumentContent(const Database &db, qint64 jobId)
{
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral(
        "SELECT d.content, d.size_bytes FROM jobs j JOIN documents d ON d.id = j.document_id WHERE j.id = ?"));
    query.addBindValue(jobId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading the document of job %1").arg(jobId));
    if (!query.next())
        return StageError::permanent(QStringLiteral("document_missing"),
                                     QStringLiteral("job %1 has no document").arg(jobId));
    if (query.value(0).isNull() && query.value(1).toLongLong() > 0)
        return StageError::permanent(
            QStringLiteral("file_too_large"),
            QStringLiteral("the document (%1) was over the size limit when dropped and was not stored; "
                           "drop it again after raising the limit")
                .arg(humanSize(query.value(1).toLongLong())));
    return query.value(0).toByteArray();
}

} // namespace Docpipe::Store
