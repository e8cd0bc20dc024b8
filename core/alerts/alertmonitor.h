// Evaluates the alert rules against the database at a steady rate (alerts/check_interval_seconds)
// off the calling thread, fires and resolves alerts in the shared ledger (once per fleet, however
// many workers check), and sends what this process fired or resolved to the webhook. Every worker
// and the window run one; the window also shows what any of them fired. While the database is
// unreachable it says so once, tries again with the short backoff of databasehealth.h, and says
// once when it is back.
#pragma once

#include "alertrules.h"
#include "config/config.h"
#include "store/alertstore.h"
#include "store/database.h"
#include "store/databasehealth.h"
#include "webhooknotifier.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace Docpipe::Store {
class StoreExecutor;
}

namespace Docpipe::Alerts {

// What one check saw.
struct AlertCheck
{
    bool ok = false;
    QString error; // why the database could not be read (then nothing else is set)
    bool databaseUnavailable = false; // that error is an outage (unreachable, busy, full, read-only)
    Store::FleetSnapshot fleet;
    QList<DiskReading> disks;
    qint64 databaseBytes = -1; // the database's size (SQLite: file and WAL; PostgreSQL: pg_database_size)
    QList<Store::AlertRecord> firing; // fleet-wide, after this check
};

// The file systems to watch on this host: the SQLite database's folder (a PostgreSQL server's
// disk is its own host's business), the application's data folder and the API's upload folder.
QStringList defaultDiskPaths(const Config &config);
// Free and total bytes of each path's file system, one reading per file system.
QList<DiskReading> readDisks(const QStringList &paths);

class AlertMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertMonitor)

public:
    AlertMonitor(const Config &config, const QString &worker, QObject *parent = nullptr);
    ~AlertMonitor() override;

    void start();
    void stop();
    // Check as soon as possible (coalesced), e.g. when a stage just met an exhausted quota.
    void checkNow();
    // Takes effect at the next check (the window's settings were saved).
    void reconfigure(const Config &config);
    void setDiskPaths(const QStringList &paths);
    void setIntervalMs(int ms) { m_timer.setInterval(ms); }
    // Tests: watch the queues over this span instead of alerts/queue_growth_minutes.
    void setQueueGrowthSpanMs(qint64 ms) { m_queueSpanMs = ms; }

    const AlertCheck &lastCheck() const { return m_last; }
    WebhookNotifier *webhook() const { return m_webhook; }

Q_SIGNALS:
    // This process fired or resolved an alert (each happens once per fleet).
    void noticed(const Docpipe::Alerts::AlertNotice &notice);
    void checked(const Docpipe::Alerts::AlertCheck &check);

private:
    struct Trends;
    struct CheckResult;

    void runCheck();
    void finishCheck(const CheckResult &result);
    void makeWebhook();

    Config m_config;
    QString m_worker;
    QStringList m_diskPaths;
    qint64 m_queueSpanMs = 0; // 0: from the configuration
    std::shared_ptr<Trends> m_trends; // touched only on the executor's thread
    std::unique_ptr<Store::StoreExecutor> m_executor;
    WebhookNotifier *m_webhook = nullptr;
    QTimer m_timer;
    QTimer m_retryTimer; // while the database is unreachable
    Store::DatabaseHealth m_health; // says an outage once each way
    int m_failedChecks = 0; // in a row, for the outage's backoff
    AlertCheck m_last;
    bool m_busy = false;
    bool m_again = false;
};

} // namespace Docpipe::Alerts
