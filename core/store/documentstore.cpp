#include "documentstore.h"

#include "changenotice.h"
#include "documentversions.h"
#include "records.h"
#include "transition.h"

#include <QCryptographicHash>
#include <QDateTime>
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
    // Opening a named pipe would wait for a writer, a device may never end: regular files only
    // (folder walks skip the others with a note before they get here).
    if (const QFileInfo info(path); info.exists() && !info.isFile() && !info.isDir())
        return StageError::permanent(QStringLiteral("unreadable_file"),
                                     QStringLiteral("cannot read %1: not a regular file").arg(path));
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

struct FileStamp
{
    qint64 size = 0;
    qint64 mtime = 0; // ms since the epoch
};

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

// The job an ingest of this content duplicates (0: none). The identity's own latest version with
// the same content is a duplicate unless the file was deleted meanwhile; for a drop, so is any
// document's latest version with the same content.
Result<qint64> duplicateOf(QSqlDatabase &sql, const SourceRow &source, const QString &sha256, qint64 documentId,
                           DuplicateScope scope)
{
    if (source.latestJobId != 0 && source.latestSha256 == sha256 && !source.removed)
        return source.latestJobId;
    if (scope != DuplicateScope::AnyDocument)
        return qint64(0);
    QSqlQuery query(sql);
    query.prepare(
        QStringLiteral("SELECT j.id FROM jobs j JOIN sources s ON s.id = j.source_id WHERE j.document_id = ? "
                       "AND j.version = s.latest_version AND s.removed_at IS NULL ORDER BY j.id DESC LIMIT 1"));
    query.addBindValue(documentId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("looking for an existing job"));
    return query.next() ? query.value(0).toLongLong() : qint64(0);
}

// The file's size and modification time when it was read, so a folder watcher can tell an
// unchanged file without reading it again; a watched file is adopted by its folder.
Result<bool> recordFileStamp(QSqlDatabase &sql, qint64 sourceId, const FileStamp &stamp, qint64 folderId)
{
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("UPDATE sources SET file_size = :size, file_mtime = :mtime, "
                                 "folder_id = CASE WHEN :folder = 0 THEN folder_id ELSE COALESCE(folder_id, :folder) "
                                 "END WHERE id = :id"));
    query.bindValue(QStringLiteral(":size"), stamp.size);
    query.bindValue(QStringLiteral(":mtime"), stamp.mtime);
    query.bindValue(QStringLiteral(":folder"), folderId);
    query.bindValue(QStringLiteral(":id"), sourceId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("recording the file's size and time"));
    return true;
}

Result<bool> startVersion(QSqlDatabase &sql, qint64 sourceId, int version)
{
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("UPDATE sources SET latest_version = ?, removed_at = NULL WHERE id = ?"));
    query.addBindValue(version);
    query.addBindValue(sourceId);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("recording a new version"));
    return true;
}

QString createdMessage(const IngestResult &result, qint64 size, const SourceRow &source)
{
    QString message = QStringLiteral("%1 (%2 bytes)").arg(result.name).arg(size);
    if (result.version > 1) {
        message += source.currentJobId != 0
            ? QStringLiteral("; version %1 of %2, replaces the current version once embedded")
                  .arg(result.version)
                  .arg(source.key)
            : QStringLiteral("; version %1 of %2").arg(result.version).arg(source.key);
    }
    return message;
}

Result<qint64> insertJob(QSqlDatabase &sql, const IngestResult &result, const QString &sourcePath, int priority,
                         const QString &errorCode, const QString &errorMessage)
{
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("INSERT INTO jobs (document_id, name, source_path, stage, status, priority, "
                                 "created_at, updated_at, stage_started_at, error_code, error_message, source_id, "
                                 "version) VALUES (:document, :name, :path, :stage, :status, :priority, %1, %1, %1, "
                                 ":code, :message, :source, :version) RETURNING id")
                      .arg(serverNowSql(sql)));
    const auto nullable
        = [](const QString &text) { return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text); };
    query.bindValue(QStringLiteral(":document"), result.documentId);
    query.bindValue(QStringLiteral(":name"), result.name);
    query.bindValue(QStringLiteral(":path"), sourcePath);
    query.bindValue(QStringLiteral(":stage"), stageName(Stage::Uploaded));
    query.bindValue(QStringLiteral(":status"), statusName(result.tooLarge ? JobStatus::Failed : JobStatus::Queued));
    query.bindValue(QStringLiteral(":priority"), priority);
    query.bindValue(QStringLiteral(":code"), nullable(errorCode));
    query.bindValue(QStringLiteral(":message"), nullable(errorMessage));
    query.bindValue(QStringLiteral(":source"), result.sourceId);
    query.bindValue(QStringLiteral(":version"), result.version);
    if (!query.exec() || !query.next())
        return sqlError(query.lastError(), QStringLiteral("creating the job for %1").arg(result.name));
    const qint64 id = query.value(0).toLongLong();
    query.finish();
    const JobStatus status = result.tooLarge ? JobStatus::Failed : JobStatus::Queued;
    if (auto notified = notifyChange(sql, jobPayload(Stage::Uploaded, status, id)); !notified)
        return notified.error();
    return id;
}

} // namespace

Result<IngestResult> ingestFile(const Database &db, const QString &path, const IngestOptions &options)
{
    const QFileInfo info(path);
    // Taken before reading: if the file changes while it is read, a watcher sees a newer stamp later.
    const FileStamp stamp{info.size(), info.lastModified().toMSecsSinceEpoch()};
    auto read = readFile(path, options.maxBytes);
    if (!read)
        return read.error();
    const FileContent &content = read.value();

    IngestResult result;
    result.name = info.fileName();
    result.sha256 = content.sha256;
    result.tooLarge = content.size > options.maxBytes;

    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QStringLiteral("starting to ingest %1").arg(result.name));
    auto documentId = findOrInsertDocument(tx.sql(), content, result.tooLarge);
    if (!documentId)
        return documentId.error();
    result.documentId = documentId.value();
    auto source = lockSource(tx.sql(), options.identity.isEmpty() ? info.absoluteFilePath() : options.identity);
    if (!source)
        return source.error();
    result.sourceId = source.value().id;

    if (!options.force) {
        auto duplicate = duplicateOf(tx.sql(), source.value(), content.sha256, result.documentId, options.duplicates);
        if (!duplicate)
            return duplicate.error();
        if (duplicate.value() != 0) {
            result.jobId = duplicate.value();
            result.duplicate = true;
            result.version = source.value().latestVersion;
            if (duplicate.value() != source.value().latestJobId)
                return result; // another document's: nothing written worth keeping; the transaction rolls back
            if (auto ok = recordFileStamp(tx.sql(), result.sourceId, stamp, options.folderId); !ok)
                return ok.error();
            if (!tx.commit())
                return sqlError(tx.commitError(), QStringLiteral("recording %1 as unchanged").arg(result.name));
            return result;
        }
    }

    result.version = source.value().latestVersion + 1;
    if (auto ok = startVersion(tx.sql(), result.sourceId, result.version); !ok)
        return ok.error();
    if (auto ok = recordFileStamp(tx.sql(), result.sourceId, stamp, options.folderId); !ok)
        return ok.error();
    const QString errorCode = result.tooLarge ? QStringLiteral("file_too_large") : QString();
    const QString errorMessage = result.tooLarge
        ? QStringLiteral("the file is %1, over the %2 limit per document; it was not stored")
              .arg(humanSize(content.size), humanSize(options.maxBytes))
        : QString();
    auto jobId = insertJob(tx.sql(), result, info.absoluteFilePath(), options.priority, errorCode, errorMessage);
    if (!jobId)
        return jobId.error();
    result.jobId = jobId.value();
    auto superseded = supersedeOlderVersions(tx.sql(), result.sourceId, result.jobId, result.version);
    if (!superseded)
        return superseded.error();
    result.superseded = superseded.value();

    EventRow created{result.jobId,  QString::fromLatin1(EventKind::Created),
                     QString(),     stageName(Stage::Uploaded),
                     QString(),     createdMessage(result, content.size, source.value()),
                     options.actor, -1};
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
        return sqlError(tx.commitError(), QStringLiteral("committing the job for %1").arg(result.name));
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
