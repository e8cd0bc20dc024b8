#include "readiness.h"

#include "alerts/alertmonitor.h"
#include "store/alertstore.h"
#include "store/database.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSqlQuery>
#include <QThreadPool>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>

namespace Docpipe::Monitoring {

namespace {

constexpr qint64 kMb = 1024 * 1024;

struct DatabaseAnswer
{
    QString error; // empty: answered
    int schemaVersion = -1;
    QStringList serviceProblems; // summaries of firing outage and quota alerts
};

// One thread for database probes, never joined: a probe stuck on an unanswering server must not
// hold up the caller (or the process's exit), so the pool is deliberately not destroyed.
QThreadPool &probePool()
{
    static QThreadPool *const pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(1);
        return p;
    }();
    return *pool;
}

std::atomic_bool g_probeBusy{false};

DatabaseAnswer askDatabase(const Store::Database &db)
{
    DatabaseAnswer answer;
    // Opening a SQLite path that is not there would create an empty database: a probe must not
    // make a mistyped path look like an empty queue.
    if (db.isMissingFile()) {
        answer.error = QStringLiteral("no database at %1").arg(db.displayUrl());
        return answer;
    }
    QSqlDatabase sql = db.sql();
    if (!sql.isOpen()) {
        answer.error = db.lastOpenError();
        return answer;
    }
    {
        QSqlQuery query(sql);
        if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_version")) || !query.next()) {
            answer.error = query.lastError().text().simplified();
        } else {
            answer.schemaVersion = query.value(0).toInt();
        }
    }
    if (!answer.error.isEmpty()) {
        // The server may have gone away under an open connection: open a new one next time.
        db.closeThreadConnection();
        return answer;
    }
    if (answer.schemaVersion >= 3) { // the alert ledger exists
        auto firing = Store::firingAlerts(db);
        if (firing) {
            for (const Store::AlertRecord &alert : firing.value()) {
                if (alert.rule == QLatin1String(Alerts::Rule::QuotaExhausted)
                    || alert.rule == QLatin1String(Alerts::Rule::ServiceOutage))
                    answer.serviceProblems << alert.summary;
            }
        }
    }
    return answer;
}

// The database's answer, or a timeout error after `limitMs`.
DatabaseAnswer askDatabaseWithin(const Store::Database &db, int limitMs, qint64 *elapsedMs)
{
    QElapsedTimer timer;
    timer.start();
    bool expected = false;
    if (!g_probeBusy.compare_exchange_strong(expected, true)) {
        *elapsedMs = 0;
        return {QStringLiteral("an earlier check is still waiting for the database"), -1, {}};
    }
    auto promise = std::make_shared<std::promise<DatabaseAnswer>>();
    std::future<DatabaseAnswer> future = promise->get_future();
    probePool().start([db, promise] {
        promise->set_value(askDatabase(db));
        g_probeBusy = false;
    });
    if (future.wait_for(std::chrono::milliseconds(limitMs)) != std::future_status::ready) {
        *elapsedMs = timer.elapsed();
        return {QStringLiteral("the database did not answer within %1 ms").arg(limitMs), -1, {}};
    }
    *elapsedMs = timer.elapsed();
    return future.get();
}

} // namespace

bool ReadinessReport::ready() const
{
    return failing().isEmpty();
}

QStringList ReadinessReport::failing() const
{
    QStringList names;
    for (const ReadinessCheck &check : checks) {
        if (!check.ok)
            names << check.name;
    }
    return names;
}

ReadinessReport checkReadiness(const Config &config)
{
    ReadinessReport report;
    const QStringList problems = config.validate();
    report.checks.append({QString::fromLatin1(Check::Config), problems.isEmpty(),
                          problems.isEmpty() ? QStringLiteral("usable") : problems.join(QStringLiteral("; "))});

    const Store::Database db(config.effectiveDatabaseUrl());
    const DatabaseAnswer answer = askDatabaseWithin(db, config.server.readyDbTimeoutMs, &report.databaseMs);
    report.schemaVersion = answer.schemaVersion;
    report.checks.append({QString::fromLatin1(Check::Database), answer.error.isEmpty(),
                          answer.error.isEmpty()
                              ? QStringLiteral("%1 answered in %2 ms").arg(db.displayUrl()).arg(report.databaseMs)
                              : answer.error});
    const int latest = Store::Database::latestSchemaVersion();
    QString schemaDetail;
    if (answer.schemaVersion < 0)
        schemaDetail = QStringLiteral("unknown: the database did not answer");
    else if (answer.schemaVersion < latest)
        schemaDetail = QStringLiteral("schema %1 is older than %2: run a worker or `docpipe-cli check` to migrate it")
                           .arg(answer.schemaVersion)
                           .arg(latest);
    else if (answer.schemaVersion > latest)
        schemaDetail = QStringLiteral("schema %1 is newer than this program's %2: upgrade Docpipe")
                           .arg(answer.schemaVersion)
                           .arg(latest);
    else
        schemaDetail = QStringLiteral("schema %1 is current").arg(latest);
    report.checks.append({QString::fromLatin1(Check::Schema), answer.schemaVersion == latest, schemaDetail});

    report.disks = Alerts::readDisks(Alerts::defaultDiskPaths(config));
    QStringList low;
    for (const Alerts::DiskReading &disk : std::as_const(report.disks)) {
        if (disk.freeBytes >= 0 && disk.freeBytes < config.alerts.minFreeDiskMb * kMb)
            low << QStringLiteral("%1 has %2 MB free (limit %3 MB)")
                       .arg(disk.path)
                       .arg(disk.freeBytes / kMb)
                       .arg(config.alerts.minFreeDiskMb);
    }
    report.checks.append({QString::fromLatin1(Check::Disk), low.isEmpty(),
                          low.isEmpty() ? QStringLiteral("above %1 MB free").arg(config.alerts.minFreeDiskMb)
                                        : low.join(QStringLiteral("; "))});

    const bool servicesKnown = answer.error.isEmpty();
    report.checks.append({QString::fromLatin1(Check::Services), servicesKnown && answer.serviceProblems.isEmpty(),
                          !servicesKnown ? QStringLiteral("unknown: the database did not answer")
                              : answer.serviceProblems.isEmpty() ? QStringLiteral("no known outage or exhausted quota")
                                                                 : answer.serviceProblems.join(QStringLiteral("; "))});
    return report;
}

QJsonObject readinessToJson(const ReadinessReport &report)
{
    QJsonObject checks;
    for (const ReadinessCheck &check : report.checks)
        checks.insert(check.name,
                      QJsonObject{{QStringLiteral("ok"), check.ok}, {QStringLiteral("detail"), check.detail}});
    QJsonArray disks;
    for (const Alerts::DiskReading &disk : report.disks)
        disks.append(QJsonObject{{QStringLiteral("path"), disk.path},
                                 {QStringLiteral("free_bytes"), disk.freeBytes},
                                 {QStringLiteral("total_bytes"), disk.totalBytes}});
    return {{QStringLiteral("ready"), report.ready()},
            {QStringLiteral("failing"), QJsonArray::fromStringList(report.failing())},
            {QStringLiteral("checks"), checks},
            {QStringLiteral("schema_version"), report.schemaVersion},
            {QStringLiteral("disks"), disks}};
}

} // namespace Docpipe::Monitoring
