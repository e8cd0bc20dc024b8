#include "statusindicators.h"

#include "jobformat.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QThread>

namespace Docpipe::Ui {

namespace {

constexpr auto kTextProperty = "plainText";
constexpr auto kHealthProperty = "health";
constexpr qint64 kMb = 1024 * 1024;

QString dotColor(int health)
{
    static const char *const colors[] = {"#2b8a4e", "#c97410", "#c63b3b", "#808690"};
    return QString::fromLatin1(colors[health]);
}

QString plainText(const QLabel *label)
{
    return label->property(kTextProperty).toString();
}

} // namespace

StatusIndicators::StatusIndicators(QWidget *parent)
    : QWidget(parent)
    , m_database(new QLabel(this))
    , m_parser(new QLabel(this))
    , m_embedder(new QLabel(this))
    , m_engine(new QLabel(this))
    , m_workers(new QLabel(this))
    , m_disk(new QLabel(this))
    , m_process(new QLabel(this))
    , m_memoryBudget(new QLabel(this))
    , m_databaseSize(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(14);
    for (QLabel *label :
         {m_database, m_parser, m_embedder, m_engine, m_workers, m_disk, m_process, m_memoryBudget, m_databaseSize}) {
        label->setTextFormat(Qt::RichText);
        layout->addWidget(label);
    }
    m_database->setObjectName(QStringLiteral("databaseIndicator"));
    m_parser->setObjectName(QStringLiteral("parserIndicator"));
    m_embedder->setObjectName(QStringLiteral("embedderIndicator"));
    m_engine->setObjectName(QStringLiteral("engineIndicator"));
    m_workers->setObjectName(QStringLiteral("workersIndicator"));
    m_disk->setObjectName(QStringLiteral("diskIndicator"));
    m_process->setObjectName(QStringLiteral("processIndicator"));
    m_databaseSize->setObjectName(QStringLiteral("databaseSizeIndicator"));
    m_memoryBudget->setObjectName(QStringLiteral("memoryBudgetIndicator"));
    m_memoryBudget->hide(); // until an engine runs in this process
    m_disk->hide(); // until the first alert check has read the disks
    m_process->hide(); // until the first reading
    m_databaseSize->hide();
    setIndicator(m_database, Health::Busy, tr("Database: connecting…"), {});
    setServiceChecking(QStringLiteral("parser"));
    setServiceChecking(QStringLiteral("embedder"));
    setEngineState(EngineState::Starting);
    setWorkers({});
}

void StatusIndicators::setIndicator(QLabel *label, Health health, const QString &text, const QString &toolTip)
{
    static const char *const names[] = {"good", "busy", "bad", "neutral"};
    label->setProperty(kTextProperty, text);
    label->setProperty(kHealthProperty, QString::fromLatin1(names[int(health)]));
    label->setText(
        QStringLiteral("<span style=\"color:%1\">●</span>&nbsp;%2").arg(dotColor(int(health)), text.toHtmlEscaped()));
    label->setToolTip(toolTip);
}

void StatusIndicators::setDatabase(bool connected, const QString &where, const QString &reason)
{
    if (connected)
        setIndicator(m_database, Health::Good, tr("Database: connected"), where);
    else
        setIndicator(m_database, Health::Bad, tr("Database: unreachable"), where + QStringLiteral("\n") + reason);
}

void StatusIndicators::setServiceChecking(const QString &service)
{
    const bool parser = service == QLatin1String("parser");
    setIndicator(parser ? m_parser : m_embedder, Health::Neutral,
                 parser ? tr("Parser: checking…") : tr("Embedder: checking…"), {});
}

void StatusIndicators::setServiceCheck(const Services::ServiceCheck &check)
{
    const bool parser = check.service == QLatin1String("parser");
    const QString state = check.ok ? tr("reachable") : tr("unreachable");
    const QString text = parser ? tr("Parser: %1").arg(state) : tr("Embedder: %1").arg(state);
    QString toolTip = check.kind + QStringLiteral(": ") + check.message;
    if (check.latencyMs >= 0)
        toolTip += QStringLiteral(" (%1)").arg(formatDuration(check.latencyMs));
    setIndicator(parser ? m_parser : m_embedder, check.ok ? Health::Good : Health::Bad, text, toolTip);
}

void StatusIndicators::setEngineState(EngineState state, const QString &detail)
{
    switch (state) {
    case EngineState::Starting:
        setIndicator(m_engine, Health::Neutral, tr("Engine: starting…"), detail);
        break;
    case EngineState::Running:
        setIndicator(m_engine, Health::Good, tr("Engine: running"), detail);
        break;
    case EngineState::Paused:
        setIndicator(m_engine, Health::Busy, tr("Engine: paused"), tr("No worker claims new work until resumed."));
        break;
    case EngineState::Stopped:
        setIndicator(m_engine, Health::Neutral, tr("Engine: stopped"), detail);
        break;
    case EngineState::Failed:
        setIndicator(m_engine, Health::Bad, tr("Engine: failed to start"), detail);
        break;
    }
}

void StatusIndicators::setWorkers(const QList<Store::WorkerRecord> &workers)
{
    QStringList lines;
    int alive = 0;
    for (const Store::WorkerRecord &worker : workers) {
        if (worker.state == QLatin1String("stopped"))
            continue;
        ++alive;
        lines << tr("%1 on %2 (pid %3), %4, last heartbeat %5")
                     .arg(worker.id, worker.host)
                     .arg(worker.pid)
                     .arg(worker.state, formatTimestamp(worker.heartbeatAt));
    }
    m_alive = alive;
    m_workersToolTip = lines.join(u'\n');
    showWorkers();
}

void StatusIndicators::setWaitingJobs(int waiting)
{
    m_waiting = waiting;
    showWorkers();
}

void StatusIndicators::showWorkers()
{
    const Health health = m_alive > 0 ? Health::Good : m_waiting > 0 ? Health::Bad : Health::Neutral;
    QString toolTip = m_workersToolTip;
    if (m_alive == 0 && m_waiting > 0)
        toolTip = tr("%n job(s) wait and no worker is alive.", nullptr, m_waiting);
    setIndicator(m_workers, health, tr("%n worker(s)", nullptr, m_alive), toolTip);
}

void StatusIndicators::setDisks(const QList<Alerts::DiskReading> &disks, qint64 minFreeMb)
{
    const Alerts::DiskReading *tightest = nullptr;
    QStringList lines;
    for (const Alerts::DiskReading &disk : disks) {
        if (disk.freeBytes < 0)
            continue;
        lines << tr("%1: %2 free of %3")
                     .arg(disk.path, QLocale().formattedDataSize(disk.freeBytes),
                          QLocale().formattedDataSize(disk.totalBytes));
        if (!tightest || disk.freeBytes < tightest->freeBytes)
            tightest = &disk;
    }
    if (!tightest)
        return m_disk->hide();
    const qint64 limit = minFreeMb * kMb;
    const Health health = tightest->freeBytes < limit ? Health::Bad
        : tightest->freeBytes < 2 * limit             ? Health::Busy
                                                      : Health::Good;
    lines << tr("Alert below %1 free (alerts/min_free_disk_mb).").arg(QLocale().formattedDataSize(limit));
    setIndicator(m_disk, health, tr("Disk: %1 free").arg(QLocale().formattedDataSize(tightest->freeBytes)),
                 lines.join(u'\n'));
    m_disk->show();
}

void StatusIndicators::setProcess(double cpuShare, qint64 residentBytes, qint64 maxMemoryMb)
{
    if (residentBytes < 0)
        return m_process->hide();
    const qint64 limit = maxMemoryMb * kMb;
    const Health memory = residentBytes > limit ? Health::Bad
        : residentBytes * 4 >= limit * 3        ? Health::Busy
                                                : Health::Good;
    const Health health = memory != Health::Good ? memory : cpuShare >= 0.9 ? Health::Busy : Health::Good;
    const QString cpu = cpuShare < 0 ? QStringLiteral("–") : QStringLiteral("%1%").arg(qRound(cpuShare * 100));
    setIndicator(m_process, health, tr("CPU %1 · %2").arg(cpu, QLocale().formattedDataSize(residentBytes)),
                 tr("This process: %1 of the machine's %n core(s), %2 resident (amber from 75% of %3, red above it: "
                    "alerts/max_memory_mb).",
                    nullptr, QThread::idealThreadCount())
                     .arg(cpu, QLocale().formattedDataSize(residentBytes), QLocale().formattedDataSize(limit)));
    m_process->show();
}

void StatusIndicators::setMemoryBudget(qint64 admittedBytes, qint64 budgetBytes, int waiting)
{
    if (budgetBytes <= 0)
        return m_memoryBudget->hide();
    const auto mb = [](qint64 bytes) { return (bytes + kMb - 1) / kMb; };
    const QString toolTip
        = tr("Estimated memory of the stage work running now: %1 of the budget of %2 (engine/memory_budget_mb). Work "
             "that does not fit waits until it does; one job bigger than the budget runs alone.")
              .arg(QLocale().formattedDataSize(admittedBytes), QLocale().formattedDataSize(budgetBytes))
        + (waiting > 0 ? u'\n' + tr("%n job(s) waiting for memory.", nullptr, waiting) : QString());
    setIndicator(m_memoryBudget, waiting > 0 ? Health::Busy : Health::Good,
                 tr("Work %1/%2 MB").arg(mb(admittedBytes)).arg(mb(budgetBytes)), toolTip);
    m_memoryBudget->show();
}

void StatusIndicators::setDatabaseSize(qint64 bytes, qint64 freeBytes)
{
    if (bytes < 0)
        return m_databaseSize->hide();
    const Health health = freeBytes < 0 ? Health::Good
        : bytes > freeBytes             ? Health::Bad
        : bytes * 2 > freeBytes         ? Health::Busy
                                        : Health::Good;
    const QString toolTip = freeBytes < 0
        ? tr("The database's size on its server.")
        : tr("The database's size; %1 free on its disk (amber when the database is over half of that, red when "
             "over all of it: it could not be copied or vacuumed).")
              .arg(QLocale().formattedDataSize(freeBytes));
    setIndicator(m_databaseSize, health, tr("DB %1").arg(QLocale().formattedDataSize(bytes)), toolTip);
    m_databaseSize->show();
}

QString StatusIndicators::processText() const
{
    return plainText(m_process);
}

QString StatusIndicators::memoryBudgetText() const
{
    return plainText(m_memoryBudget);
}

QString StatusIndicators::databaseSizeText() const
{
    return plainText(m_databaseSize);
}

QString StatusIndicators::databaseText() const
{
    return plainText(m_database);
}

QString StatusIndicators::serviceText(const QString &service) const
{
    return plainText(service == QLatin1String("parser") ? m_parser : m_embedder);
}

QString StatusIndicators::engineText() const
{
    return plainText(m_engine);
}

QString StatusIndicators::workersText() const
{
    return plainText(m_workers);
}

QString StatusIndicators::diskText() const
{
    return plainText(m_disk);
}

QString StatusIndicators::healthOf(const QString &indicatorName) const
{
    const auto *label = findChild<QLabel *>(indicatorName);
    return label ? label->property(kHealthProperty).toString() : QString();
}

} // namespace Docpipe::Ui
