#include "changenotice.h"

#include "database.h"

#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

namespace Docpipe::Store {

std::optional<Stage> ChangeNotice::claimableBy() const
{
    if (kind != Kind::Job || status != JobStatus::Queued || !isCheckpoint(stage))
        return std::nullopt;
    return activeStageAfter(stage);
}

QString jobPayload(Stage stage, JobStatus status, qint64 jobId, qint64 delayMs)
{
    QString payload = stageName(stage) + u':' + statusName(status) + u':' + QString::number(jobId);
    if (delayMs > 0)
        payload += u':' + QString::number(delayMs);
    return payload;
}

QString controlPayload(const QString &word)
{
    return QStringLiteral("control:") + word;
}

QString drainPayload(const QString &worker)
{
    return QStringLiteral("drain:") + worker;
}

std::optional<ChangeNotice> parseChangePayload(const QString &payload)
{
    ChangeNotice notice;
    if (payload.startsWith(QLatin1String("control:"))) {
        notice.kind = ChangeNotice::Kind::Control;
        notice.word = payload.mid(8);
        return notice;
    }
    if (payload.startsWith(QLatin1String("drain:"))) {
        notice.kind = ChangeNotice::Kind::Drain;
        notice.word = payload.mid(6);
        return notice;
    }
    const QStringList parts = payload.split(u':');
    if (parts.size() < 3 || parts.size() > 4)
        return std::nullopt;
    const auto stage = stageFromName(parts.at(0));
    const auto status = statusFromName(parts.at(1));
    bool idOk = false;
    notice.jobId = parts.at(2).toLongLong(&idOk);
    if (!stage || !status || !idOk)
        return std::nullopt;
    notice.stage = *stage;
    notice.status = *status;
    if (parts.size() == 4)
        notice.delayMs = qMax<qint64>(0, parts.at(3).toLongLong());
    return notice;
}

Result<bool> notifyChange(QSqlDatabase &db, const QString &payload)
{
    if (db.driverName() != QLatin1String("QPSQL"))
        return true;
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT pg_notify(:channel, :payload)"));
    query.bindValue(QStringLiteral(":channel"), QString::fromLatin1(kChangeChannel));
    query.bindValue(QStringLiteral(":payload"), payload);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("notifying listeners"));
    return true;
}

} // namespace Docpipe::Store
