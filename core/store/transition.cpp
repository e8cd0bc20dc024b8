#include "transition.h"

#include "database.h"

#include <QSqlQuery>
#include <QVariant>

namespace Docpipe::Store {

namespace {
QVariant nullIfEmpty(const QString &value)
{
    return value.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(value);
}
} // namespace

Result<bool> insertEvent(QSqlDatabase &db, const EventRow &event)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "INSERT INTO job_events (job_id, at, kind, from_stage, to_stage, code, message, worker, duration_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(event.jobId);
    query.addBindValue(nowMs());
    query.addBindValue(event.kind);
    query.addBindValue(nullIfEmpty(event.fromStage));
    query.addBindValue(nullIfEmpty(event.toStage));
    query.addBindValue(nullIfEmpty(event.code));
    query.addBindValue(nullIfEmpty(event.message));
    query.addBindValue(nullIfEmpty(event.worker));
    query.addBindValue(event.durationMs >= 0 ? QVariant(event.durationMs) : QVariant(QMetaType(QMetaType::LongLong)));
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("recording an event"));
    return true;
}

Result<bool> applyTransition(QSqlDatabase &db, const Transition &t)
{
    const qint64 now = nowMs();
    QString sql = QStringLiteral("UPDATE jobs SET stage = ?, status = ?, lease_owner = ?, lease_expires = ?, "
                                 "attempts = CASE WHEN ? = 1 THEN 0 ELSE attempts + ? END, not_before = ?, "
                                 "error_code = ?, error_message = ?, updated_at = ?, "
                                 "stage_started_at = CASE WHEN stage = ? THEN stage_started_at ELSE ? END");
    if (t.pages)
        sql += QStringLiteral(", pages = ?");
    if (t.chunks)
        sql += QStringLiteral(", chunks = ?");
    sql += QStringLiteral(" WHERE id = ? AND stage = ? AND status = ?");
    if (t.expectedOwner)
        sql += t.expectedOwner->isEmpty() ? QStringLiteral(" AND lease_owner IS NULL")
                                          : QStringLiteral(" AND lease_owner = ?");

    QSqlQuery query(db);
    query.prepare(sql);
    query.addBindValue(stageName(t.toStage));
    query.addBindValue(statusName(t.toStatus));
    query.addBindValue(nullIfEmpty(t.newOwner));
    query.addBindValue(t.newOwner.isEmpty() ? QVariant(QMetaType(QMetaType::LongLong)) : QVariant(t.leaseExpires));
    query.addBindValue(t.resetAttempts ? 1 : 0);
    query.addBindValue(t.addAttempts);
    query.addBindValue(t.notBefore);
    query.addBindValue(t.setError ? nullIfEmpty(t.errorCode) : QVariant(QMetaType(QMetaType::QString)));
    query.addBindValue(t.setError ? nullIfEmpty(t.errorMessage) : QVariant(QMetaType(QMetaType::QString)));
    query.addBindValue(now);
    query.addBindValue(stageName(t.toStage));
    query.addBindValue(now);
    if (t.pages)
        query.addBindValue(*t.pages);
    if (t.chunks)
        query.addBindValue(*t.chunks);
    query.addBindValue(t.jobId);
    query.addBindValue(stageName(t.fromStage));
    query.addBindValue(statusName(t.fromStatus));
    if (t.expectedOwner && !t.expectedOwner->isEmpty())
        query.addBindValue(*t.expectedOwner);
    if (!query.exec())
        return sqlError(query.lastError(),
                        QStringLiteral("moving job %1 to %2").arg(t.jobId).arg(stageName(t.toStage)));
    if (query.numRowsAffected() != 1)
        return false;

    EventRow event;
    event.jobId = t.jobId;
    event.kind = t.eventKind;
    event.fromStage = stageName(t.fromStage);
    event.toStage = stageName(t.toStage);
    event.code = t.eventCode;
    event.message = t.eventMessage;
    event.worker = t.worker;
    event.durationMs = t.durationMs;
    return insertEvent(db, event);
}

} // namespace Docpipe::Store
