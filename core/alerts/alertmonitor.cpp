#include "alertmonitor.h"

#include "logging.h"
#include "monitoring/fleetgauges.h"
#include "store/storeexecutor.h"
#include "store/workerregistry.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QStorageInfo>

namespace Docpipe::Alerts {

namespace {

constexpr Stage kQueuedStages[] = {Stage::Parsing, Stage::Chunking, Stage::Embedding};

QString hostOf(const QString &url)
{
    return QUrl(url).host();
}

QString parserService(const Config &c)
{
    if (c.parser.kind != QLatin1String("llamaparse"))
        return {};
    return QStringLiteral("LlamaParse (%1)").arg(hostOf(c.parser.llamaBaseUrl));
}

QString embedderService(const Config &c)
{
    if (c.embedder.kind != QLatin1String("openai"))
        return {};
    return QStringLiteral("the embedding API (%1)").arg(hostOf(c.embedder.baseUrl));
}

} // namespace

struct AlertMonitor::Trends
{
    qint64 spanMs = 0;
    QMap<Stage, QueueTrend> queues;
};

struct AlertMonitor::CheckResult
{
    AlertCheck check;
    QList<AlertNotice> notices;
};

QStringList defaultDiskPaths(const Config &config)
{
    QStringList paths;
    const QString url = config.effectiveDatabaseUrl();
    if (!url.startsWith(QLatin1String("postgres")))
        paths << QFileInfo(url).absolutePath();
    paths << Config::defaultDataFolder();
    paths << config.effectiveUploadDir(); // where the HTTP API spools uploads
    return paths;
}

QList<DiskReading> readDisks(const QStringList &paths)
{
    QList<DiskReading> readings;
    QSet<QString> roots;
    for (const QString &path : paths) {
        QString existing = QFileInfo(path).absoluteFilePath(); // the folder may not exist yet
        while (!QFileInfo::exists(existing)) {
            const QString parent = QFileInfo(existing).absolutePath();
            if (parent == existing)
                break;
            existing = parent;
        }
        const QStorageInfo storage(existing);
        if (!storage.isValid() || roots.contains(storage.rootPath()))
            continue;
        roots.insert(storage.rootPath());
        readings.append({storage.rootPath(), storage.bytesAvailable(), storage.bytesTotal()});
    }
    return readings;
}

AlertMonitor::AlertMonitor(const Config &config, const QString &worker, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_worker(worker)
    , m_diskPaths(defaultDiskPaths(config))
    , m_trends(std::make_shared<Trends>())
    , m_executor(std::make_unique<Store::StoreExecutor>())
{
    m_timer.setInterval(qMax(1, config.alerts.checkIntervalSeconds) * 1000);
    connect(&m_timer, &QTimer::timeout, this, &AlertMonitor::checkNow);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &AlertMonitor::checkNow);
    makeWebhook();
}

AlertMonitor::~AlertMonitor()
{
    m_timer.stop();
    const Store::Database db(m_config.effectiveDatabaseUrl());
    m_executor->run([db] { db.closeThreadConnection(); });
    m_executor.reset(); // waits for the check in flight and the close
}

void AlertMonitor::makeWebhook()
{
    delete m_webhook;
    m_webhook = new WebhookNotifier(QUrl(m_config.alerts.webhookUrl), m_config.alerts.webhookTimeoutMs,
                                    m_config.alerts.webhookAttempts, this);
}

void AlertMonitor::start()
{
    m_timer.start();
    checkNow();
}

void AlertMonitor::stop()
{
    m_timer.stop();
    m_retryTimer.stop();
    m_again = false;
}

void AlertMonitor::reconfigure(const Config &config)
{
    const bool webhookChanged = config.alerts.webhookUrl != m_config.alerts.webhookUrl
        || config.alerts.webhookTimeoutMs != m_config.alerts.webhookTimeoutMs
        || config.alerts.webhookAttempts != m_config.alerts.webhookAttempts;
    m_config = config;
    m_timer.setInterval(qMax(1, config.alerts.checkIntervalSeconds) * 1000);
    if (webhookChanged)
        makeWebhook();
}

void AlertMonitor::setDiskPaths(const QStringList &paths)
{
    m_diskPaths = paths;
}

void AlertMonitor::checkNow()
{
    if (m_busy) {
        m_again = true;
        return;
    }
    runCheck();
}

void AlertMonitor::runCheck()
{
    m_busy = true;
    const Config config = m_config;
    const QString worker = m_worker;
    const QStringList diskPaths = m_diskPaths;
    const std::shared_ptr<Trends> trends = m_trends;
    const qint64 span = m_queueSpanMs > 0 ? m_queueSpanMs : qint64(config.alerts.queueGrowthMinutes) * 60 * 1000;
    m_executor
        ->run([config, worker, diskPaths, trends, span]() -> CheckResult {
            CheckResult result;
            const Store::Database db(config.effectiveDatabaseUrl());
            auto fleet = Store::probeFleet(db, probeLimits(config.alerts));
            if (!fleet) {
                result.check.error = fleet.error().message;
                result.check.databaseUnavailable = Store::isDatabaseUnavailable(fleet.error());
                return result;
            }
            RuleInputs inputs;
            inputs.fleet = fleet.value();
            inputs.disks = readDisks(diskPaths);
            inputs.host = Store::localHostName();
            inputs.parserService = parserService(config);
            inputs.embedderService = embedderService(config);
            if (trends->spanMs != span) {
                trends->spanMs = span;
                trends->queues.clear();
            }
            for (const Stage stage : kQueuedStages) {
                auto it = trends->queues.find(stage);
                if (it == trends->queues.end())
                    it = trends->queues.insert(stage, QueueTrend(span));
                it->add(inputs.fleet.now, inputs.fleet.queueDepth.value(stage));
                inputs.queueGrowing.insert(stage, it->growing());
            }
            const Verdicts verdicts = evaluateRules(inputs, config.alerts);

            auto firing = Store::firingAlerts(db);
            if (!firing) {
                result.check.error = firing.error().message;
                result.check.databaseUnavailable = Store::isDatabaseUnavailable(firing.error());
                return result;
            }
            QSet<QString> firingKeys;
            for (const Store::AlertRecord &alert : firing.value())
                firingKeys.insert(alert.key);
            bool changed = false;
            const QString host = Store::localHostName();
            for (const AlertCondition &condition : verdicts.firing) {
                if (firingKeys.contains(condition.key))
                    continue;
                const Store::AlertRecord record{condition.key,
                                                condition.rule,
                                                QStringLiteral("firing"),
                                                condition.severity,
                                                condition.summary,
                                                inputs.fleet.now,
                                                0,
                                                worker};
                auto fired = Store::fireAlert(db, record, worker);
                if (!fired)
                    qCWarning(lcEngine) << "cannot fire alert" << condition.key << ":" << fired.error().message;
                else if (fired.value()) {
                    result.notices.append({true, record, worker, host});
                    changed = true;
                }
            }
            for (const QString &key : verdicts.clear) {
                if (!firingKeys.contains(key))
                    continue;
                Store::AlertRecord resolved;
                auto done = Store::resolveAlert(db, key, worker, &resolved);
                if (!done)
                    qCWarning(lcEngine) << "cannot resolve alert" << key << ":" << done.error().message;
                else if (done.value()) {
                    result.notices.append({false, resolved, worker, host});
                    changed = true;
                }
            }
            if (changed)
                firing = Store::firingAlerts(db);
            result.check.ok = true;
            result.check.fleet = inputs.fleet;
            result.check.disks = inputs.disks;
            result.check.databaseBytes = Monitoring::databaseSize(db, config.effectiveDatabaseUrl());
            result.check.firing = firing ? firing.value() : QList<Store::AlertRecord>();
            return result;
        })
        .then(this, [this](const CheckResult &result) { finishCheck(result); })
        .onFailed(this, [this] {
            // Never expected; a check that threw must not stop the next ones.
            CheckResult failed;
            failed.check.error = QStringLiteral("the alert check failed unexpectedly");
            finishCheck(failed);
        });
}

void AlertMonitor::finishCheck(const CheckResult &result)
{
    m_busy = false;
    if (result.check.databaseUnavailable) {
        if (m_health.reportUnavailable(StageError::transient(QString(), result.check.error)))
            qCWarning(lcEngine).noquote()
                << "alert checks wait for the database, retrying with backoff:" << result.check.error;
        if (m_timer.isActive()) // not stopped meanwhile
            m_retryTimer.start(Store::DatabaseHealth::backoffMs(m_failedChecks++));
    } else if (!result.check.ok) {
        qCWarning(lcEngine) << "alert check failed:" << result.check.error;
    } else {
        m_failedChecks = 0;
        if (m_health.reportReachable())
            qCWarning(lcEngine) << "alert checks: database reachable again";
    }
    m_last = result.check;
    for (const AlertNotice &notice : result.notices) {
        m_webhook->send(notice);
        Q_EMIT noticed(notice);
    }
    Q_EMIT checked(result.check);
    if (std::exchange(m_again, false))
        runCheck();
}

} // namespace Docpipe::Alerts
