#include "alertstore.h"

#include <QSqlQuery>
#include <QVariant>

namespace Docpipe::Store {

namespace {

Result<bool> insertFleetEvent(QSqlDatabase &sql, const char *kind, const AlertRecord &alert, const QString &message,
                              const QString &worker)
{
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("INSERT INTO fleet_events (at, kind, alert_key, severity, message, worker) "
                                 "VALUES (%1, :kind, :key, :severity, :message, :worker)")
                      .arg(serverNowSql(sql)));
    query.bindValue(QStringLiteral(":kind"), QString::fromLatin1(kind));
    query.bindValue(QStringLiteral(":key"), alert.key);
    query.bindValue(QStringLiteral(":severity"), alert.severity);
    query.bindValue(QStringLiteral(":message"), message);
    query.bindValue(QStringLiteral(":worker"), worker);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("recording an alert event"));
    return true;
}

AlertRecord alertFrom(const QSqlQuery &query)
{
    return {query.value(0).toString(),   query.value(1).toString(), query.value(2).toString(),
            query.value(3).toString(),   query.value(4).toString(), query.value(5).toLongLong(),
            query.value(6).toLongLong(), query.value(7).toString()};
}

const QString kAlertColumns
    = QStringLiteral("key, rule, state, severity, summary, fired_at, COALESCE(resolved_at, 0), worker");

} // namespace

Result<bool> fireAlert(const Database &db, const AlertRecord &alert, const QString &worker)
{
    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QStringLiteral("firing an alert"));
    QSqlQuery query(tx.sql());
    // Inserted, or a resolved row fired again; a firing row is left alone (0 rows).
    query.prepare(QStringLiteral("INSERT INTO alerts (key, rule, state, severity, summary, fired_at, worker) "
                                 "VALUES (:key, :rule, 'firing', :severity, :summary, %1, :worker) "
                                 "ON CONFLICT (key) DO UPDATE SET state = 'firing', rule = excluded.rule, "
                                 "severity = excluded.severity, summary = excluded.summary, "
                                 "fired_at = excluded.fired_at, resolved_at = NULL, worker = excluded.worker "
                                 "WHERE alerts.state <> 'firing'")
                      .arg(serverNowSql(db.dialect())));
    query.bindValue(QStringLiteral(":key"), alert.key);
    query.bindValue(QStringLiteral(":rule"), alert.rule);
    query.bindValue(QStringLiteral(":severity"), alert.severity);
    query.bindValue(QStringLiteral(":summary"), alert.summary);
    query.bindValue(QStringLiteral(":worker"), worker);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("firing alert %1").arg(alert.key));
    if (query.numRowsAffected() != 1)
        return false;
    query.finish();
    if (auto event = insertFleetEvent(tx.sql(), FleetEventKind::AlertFired, alert, alert.summary, worker); !event)
        return event;
    if (!tx.commit())
        return sqlError(tx.commitError(), QStringLiteral("firing alert %1").arg(alert.key));
    return true;
}

Result<bool> resolveAlert(const Database &db, const QString &key, const QString &worker, AlertRecord *resolved)
{
    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QStringLiteral("resolving an alert"));
    QSqlQuery query(tx.sql());
    query.prepare(QStringLiteral("UPDATE alerts SET state = 'resolved', resolved_at = %1, worker = :worker "
                                 "WHERE key = :key AND state = 'firing'")
                      .arg(serverNowSql(db.dialect())));
    query.bindValue(QStringLiteral(":worker"), worker);
    query.bindValue(QStringLiteral(":key"), key);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("resolving alert %1").arg(key));
    if (query.numRowsAffected() != 1)
        return false;
    query.prepare(QStringLiteral("SELECT %1 FROM alerts WHERE key = :key").arg(kAlertColumns));
    query.bindValue(QStringLiteral(":key"), key);
    if (!query.exec() || !query.next())
        return sqlError(query.lastError(), QStringLiteral("reading alert %1").arg(key));
    const AlertRecord alert = alertFrom(query);
    query.finish();
    if (auto event = insertFleetEvent(tx.sql(), FleetEventKind::AlertResolved, alert,
                                      QStringLiteral("resolved: %1").arg(alert.summary), worker);
        !event)
        return event;
    if (!tx.commit())
        return sqlError(tx.commitError(), QStringLiteral("resolving alert %1").arg(key));
    if (resolved)
        *resolved = alert;
    return true;
}

Result<bool> recordDatabaseOutage(const Database &db, const QString &worker, qint64 outageMs, const QString &reason)
{
    QSqlDatabase sql = db.sql();
    AlertRecord outage;
    outage.key = QStringLiteral("database_unreachable:") + worker;
    outage.severity = QStringLiteral("warning");
    const QString message = QStringLiteral("the database was unreachable for %1 s (%2); reconnected")
                                .arg(double(outageMs) / 1000.0, 0, 'f', 1)
                                .arg(reason);
    return insertFleetEvent(sql, FleetEventKind::DatabaseOutage, outage, message, worker);
}

Result<QList<AlertRecord>> firingAlerts(const Database &db)
{
    QSqlQuery query(db.sql());
    if (!query.exec(
            QStringLiteral("SELECT %1 FROM alerts WHERE state = 'firing' ORDER BY fired_at, key").arg(kAlertColumns)))
        return sqlError(query.lastError(), QStringLiteral("listing alerts"));
    QList<AlertRecord> alerts;
    while (query.next())
        alerts.append(alertFrom(query));
    return alerts;
}

Result<bool> recordFleetEvent(const Database &db, const QString &kind, const QString &message, const QString &worker)
{
    QSqlDatabase sql = db.sql();
    const QByteArray kindBytes = kind.toLatin1();
    AlertRecord about;
    about.severity = QStringLiteral("info");
    return insertFleetEvent(sql, kindBytes.constData(), about, message, worker);
}

Result<QList<FleetEvent>> listFleetEvents(const Database &db, qint64 afterId, int limit)
{
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral("SELECT id, at, kind, alert_key, severity, message, worker FROM fleet_events "
                                 "WHERE id > :after ORDER BY id DESC LIMIT :limit"));
    query.bindValue(QStringLiteral(":after"), afterId);
    query.bindValue(QStringLiteral(":limit"), limit);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("listing fleet events"));
    QList<FleetEvent> events;
    while (query.next())
        events.prepend({query.value(0).toLongLong(), query.value(1).toLongLong(), query.value(2).toString(),
                        query.value(3).toString(), query.value(4).toString(), query.value(5).toString(),
                        query.value(6).toString()});
    return events;
}

} // namespace Docpipe::Store
