#include "transition.h"

#include "changenotice.h"
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
    query.prepare(QStringLiteral("INSERT INTO job_events (job_id, at, kind, from_stage, to_stage, code, message, "
                                 "worker, duration_ms) VALUES (:job, %1, :kind, :from, :to, :code, :message, "
                                 ":worker, :duration)")
                      .arg(serverNowSql(db)));
    query.bindValue(QStringLiteral(":job"), event.jobId);
    query.bindValue(QStringLiteral(":kind"), event.kind);
    query.bindValue(QStringLiteral(":from"), nullIfEmpty(event.fromStage));
    query.bindValue(QStringLiteral(":to"), nullIfEmpty(event.toStage));
    query.bindValue(QStringLiteral(":code"), nullIfEmpty(event.code));
    query.bindValue(QStringLiteral(":message"), nullIfEmpty(event.message));
    query.bindValue(QStringLiteral(":worker"), nullIfEmpty(event.worker));
    query.bindValue(QStringLiteral(":duration"),
                    event.durationMs >= 0 ? QVariant(event.durationMs) : QVariant(QMetaType(QMetaType::LongLong)));
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("recording an event"));
    return true;
}

Result<bool> applyTransition(QSqlDatabase &db, const Transition &t)
{
    const QString now = serverNowSql(db);
    QString sql
        = QStringLiteral(
              "UPDATE jobs SET stage = :to_stage, status = :to_status, lease_owner = :owner, "
              "lease_expires = CASE WHEN :has_lease = 1 THEN %1 + :lease_ms ELSE NULL END, "
              "lease_token = lease_token + :has_lease, "
              "attempts = CASE WHEN :reset_attempts = 1 THEN 0 ELSE attempts + :add_attempts END, "
              "rescues = CASE WHEN :reset_attempts = 1 THEN 0 ELSE rescues + :add_rescues END, "
              "not_before = %1 + :delay_ms, error_code = :error_code, error_message = :error_message, updated_at = %1, "
              "stage_started_at = CASE WHEN stage = :to_stage THEN stage_started_at ELSE %1 END")
              .arg(now);
    if (t.pages)
        sql += QStringLiteral(", pages = :pages");
    if (t.chunks)
        sql += QStringLiteral(", chunks = :chunks");
    sql += QStringLiteral(" WHERE id = :id AND stage = :from_stage AND status = :from_status");
    if (t.expectedOwner)
        sql += t.expectedOwner->isEmpty() ? QStringLiteral(" AND lease_owner IS NULL")
                                          : QStringLiteral(" AND lease_owner = :expected_owner");
    if (t.expectedToken)
        sql += QStringLiteral(" AND lease_token = :expected_token");

    const bool hasLease = !t.newOwner.isEmpty();
    QSqlQuery query(db);
    query.prepare(sql);
    query.bindValue(QStringLiteral(":to_stage"), stageName(t.toStage));
    query.bindValue(QStringLiteral(":to_status"), statusName(t.toStatus));
    query.bindValue(QStringLiteral(":owner"), nullIfEmpty(t.newOwner));
    query.bindValue(QStringLiteral(":has_lease"), hasLease ? 1 : 0);
    query.bindValue(QStringLiteral(":lease_ms"), t.leaseMs);
    query.bindValue(QStringLiteral(":reset_attempts"), t.resetAttempts ? 1 : 0);
    query.bindValue(QStringLiteral(":add_attempts"), t.addAttempts);
    query.bindValue(QStringLiteral(":add_rescues"), t.addRescues);
    query.bindValue(QStringLiteral(":delay_ms"), t.notBeforeDelayMs);
    query.bindValue(QStringLiteral(":error_code"),
                    t.setError ? nullIfEmpty(t.errorCode) : QVariant(QMetaType(QMetaType::QString)));
    query.bindValue(QStringLiteral(":error_message"),
                    t.setError ? nullIfEmpty(t.errorMessage) : QVariant(QMetaType(QMetaType::QString)));
    if (t.pages)
        query.bindValue(QStringLiteral(":pages"), *t.pages);
    if (t.chunks)
        query.bindValue(QStringLiteral(":chunks"), *t.chunks);
    query.bindValue(QStringLiteral(":id"), t.jobId);
    query.bindValue(QStringLiteral(":from_stage"), stageName(t.fromStage));
    query.bindValue(QStringLiteral(":from_status"), statusName(t.fromStatus));
    if (t.expectedOwner && !t.expectedOwner->isEmpty())
        query.bindValue(QStringLiteral(":expected_owner"), *t.expectedOwner);
    if (t.expectedToken)
        query.bindValue(QStringLiteral(":expected_token"), *t.expectedToken);
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
    if (auto recorded = insertEvent(db, event); !recorded)
        return recorded;
    // Sent when the caller's transaction commits: listeners never see a change that rolled back.
    return notifyChange(db, jobPayload(t.toStage, t.toStatus, t.jobId, t.notBeforeDelayMs));
}

} // namespace Docpipe::Store
