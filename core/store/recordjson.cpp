#include "recordjson.h"

#include <QDateTime>
#include <QJsonValue>

namespace Docpipe::Store {

namespace {
QJsonValue stringOrNull(const QString &value)
{
    return value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}
} // namespace

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject jobToJson(const JobRecord &job)
{
    return {
        {QStringLiteral("id"), job.id},
        {QStringLiteral("document"), job.name},
        {QStringLiteral("version"), job.version},
        {QStringLiteral("current"), job.isCurrent}, // its chunks are the document's current ones
        {QStringLiteral("source_removed"), job.sourceRemoved},
        {QStringLiteral("stage"), stageName(job.stage)},
        {QStringLiteral("status"), statusName(job.status)},
        {QStringLiteral("attempts"), job.attempts},
        {QStringLiteral("error_code"), stringOrNull(job.errorCode)},
        {QStringLiteral("error_message"), stringOrNull(job.errorMessage)},
        {QStringLiteral("pages"), job.pages},
        {QStringLiteral("chunks"), job.chunks},
        {QStringLiteral("updated_at"), isoTime(job.updatedAt)},
    };
}

QJsonObject eventToJson(const JobEvent &event)
{
    return {
        {QStringLiteral("id"), event.id},
        {QStringLiteral("job"), event.jobId},
        {QStringLiteral("document"), event.jobName},
        {QStringLiteral("at"), isoTime(event.at)},
        {QStringLiteral("kind"), event.kind},
        {QStringLiteral("from_stage"), stringOrNull(event.fromStage)},
        {QStringLiteral("to_stage"), stringOrNull(event.toStage)},
        {QStringLiteral("code"), stringOrNull(event.code)},
        {QStringLiteral("message"), stringOrNull(event.message)},
        {QStringLiteral("worker"), stringOrNull(event.worker)},
        {QStringLiteral("duration_ms"),
         event.durationMs >= 0 ? QJsonValue(event.durationMs) : QJsonValue(QJsonValue::Null)},
    };
}

QJsonObject statusToJson(const StatusCounts &counts)
{
    QJsonObject stages;
    for (auto it = counts.byStage.cbegin(); it != counts.byStage.cend(); ++it)
        stages.insert(stageName(it.key()), it.value());
    return {
        {QStringLiteral("stages"), stages},
        {QStringLiteral("failed"), counts.failed},
        {QStringLiteral("cancelled"), counts.cancelled},
        {QStringLiteral("total"), counts.total},
    };
}

} // namespace Docpipe::Store
