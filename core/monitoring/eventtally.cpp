#include "eventtally.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace Docpipe::Monitoring {

namespace {

// The kinds the counters read; "created", "warning", "priority" and the like are not counted.
const QString &countedKinds()
{
    static const QString kinds = QStringLiteral(
        "('transition','retry','failed','lease_expired','cancelled','operator_retry','rerun','released')");
    return kinds;
}

QString bucketColumns()
{
    QStringList columns;
    for (const double bound : kDurationBuckets)
        columns << QStringLiteral("SUM(CASE WHEN duration_ms <= %1 THEN 1 ELSE 0 END)").arg(qint64(bound * 1000));
    return columns.join(QStringLiteral(", "));
}

} // namespace

void EventTally::add(const EventKey &key, qint64 durationMs)
{
    EventCount &count = m_totals[key];
    ++count.count;
    if (durationMs < 0)
        return;
    ++count.durationCount;
    count.durationSumSeconds += double(durationMs) / 1000.0;
    for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
        if (double(durationMs) <= kDurationBuckets[i] * 1000)
            ++count.buckets[i];
    }
}

Result<bool> EventTally::aggregateUpTo(const Store::Database &db, qint64 lastId)
{
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral("SELECT kind, COALESCE(from_stage, ''), COALESCE(to_stage, ''), COALESCE(code, ''), "
                                 "COUNT(*), COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), %1 "
                                 "FROM job_events WHERE id <= :last AND kind IN %2 "
                                 "GROUP BY kind, from_stage, to_stage, code")
                      .arg(bucketColumns(), countedKinds()));
    query.bindValue(QStringLiteral(":last"), lastId);
    if (!query.exec())
        return Store::sqlError(query.lastError(), QStringLiteral("counting events"));
    QMap<EventKey, EventCount> totals;
    while (query.next()) {
        EventCount &count = totals[{query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
                                    query.value(3).toString()}];
        count.count += query.value(4).toLongLong();
        count.durationCount += query.value(5).toLongLong();
        count.durationSumSeconds += query.value(6).toDouble() / 1000.0;
        for (size_t i = 0; i < kDurationBuckets.size(); ++i)
            count.buckets[i] += query.value(7 + int(i)).toLongLong();
    }
    m_totals = totals;
    m_watermark = lastId;
    m_countedAbove.clear();
    m_primed = true;
    return true;
}

Result<bool> EventTally::update(const Store::Database &db)
{
    QSqlDatabase sql = db.sql();
    if (!m_primed) {
        // Everything old enough to be settled in one aggregate; the rest row by row below.
        QSqlQuery settled(sql);
        settled.prepare(QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM job_events WHERE at < %1 - :settle")
                            .arg(Store::serverNowSql(sql)));
        settled.bindValue(QStringLiteral(":settle"), kSettleMs);
        if (!settled.exec() || !settled.next())
            return Store::sqlError(settled.lastError(), QStringLiteral("counting events"));
        const qint64 lastId = settled.value(0).toLongLong();
        settled.finish();
        if (auto primed = aggregateUpTo(db, lastId); !primed)
            return primed;
    }
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("SELECT id, at, kind, COALESCE(from_stage, ''), COALESCE(to_stage, ''), "
                                 "COALESCE(code, ''), duration_ms, %1 FROM job_events "
                                 "WHERE id > :after AND kind IN %2 ORDER BY id")
                      .arg(Store::serverNowSql(sql), countedKinds()));
    query.bindValue(QStringLiteral(":after"), m_watermark);
    if (!query.exec())
        return Store::sqlError(query.lastError(), QStringLiteral("counting events"));
    qint64 settledUpTo = m_watermark;
    bool stillSettled = true; // every event so far is old: the watermark may pass it
    while (query.next()) {
        const qint64 id = query.value(0).toLongLong();
        const qint64 now = query.value(7).toLongLong();
        if (!m_countedAbove.contains(id)) {
            m_countedAbove.insert(id);
            add({query.value(2).toString(), query.value(3).toString(), query.value(4).toString(),
                 query.value(5).toString()},
                query.value(6).isNull() ? -1 : query.value(6).toLongLong());
        }
        stillSettled = stillSettled && query.value(1).toLongLong() < now - kSettleMs;
        if (stillSettled)
            settledUpTo = id;
    }
    if (settledUpTo > m_watermark) {
        m_watermark = settledUpTo;
        m_countedAbove.removeIf([this](qint64 id) { return id <= m_watermark; });
    }
    return true;
}

} // namespace Docpipe::Monitoring
