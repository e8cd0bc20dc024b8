#include "alertrules.h"

#include <QLocale>

namespace Docpipe::Alerts {

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kMb = 1024 * 1024;

QString percent(double share)
{
    return QString::number(share * 100.0, 'f', 0) + u'%';
}

void decide(Verdicts &verdicts, bool holds, AlertCondition condition)
{
    if (holds)
        verdicts.firing.append(std::move(condition));
    else
        verdicts.clear.append(condition.key);
}

void failureRate(const RuleInputs &in, const AlertsConfig &c, Verdicts &v)
{
    const auto &f = in.fleet;
    const double share = f.endedJobs > 0 ? double(f.failedJobs) / f.endedJobs : 0.0;
    const bool holds = f.failedJobs >= c.failureMinCount && share * 100.0 > c.failureRatePercent;
    decide(v, holds,
           {QString::fromLatin1(Rule::FailureRate), QString::fromLatin1(Rule::FailureRate), QStringLiteral("warning"),
            QStringLiteral("%1 of %2 jobs that ended in the last %3 min failed (%4; limit %5 failures and %6%)")
                .arg(f.failedJobs)
                .arg(f.endedJobs)
                .arg(c.failureWindowMinutes)
                .arg(percent(share))
                .arg(c.failureMinCount)
                .arg(c.failureRatePercent)});
}

void stuckJobs(const RuleInputs &in, const AlertsConfig &c, Verdicts &v)
{
    const auto &f = in.fleet;
    const qint64 minutes = f.oldestStuckSince > 0 ? (f.now - f.oldestStuckSince) / kMinute : 0;
    decide(v, f.stuckJobs > 0,
           {QString::fromLatin1(Rule::StuckJobs), QString::fromLatin1(Rule::StuckJobs), QStringLiteral("warning"),
            QStringLiteral("%1 job(s) waiting or running in one stage for more than %2 min; the oldest, job %3, "
                           "for %4 min")
                .arg(f.stuckJobs)
                .arg(c.stuckMinutes)
                .arg(f.oldestStuckJob)
                .arg(minutes)});
}

void noLiveWorker(const RuleInputs &in, const AlertsConfig &c, Verdicts &v)
{
    const auto &f = in.fleet;
    decide(v, f.waitingJobs > 0 && f.liveWorkers == 0,
           {QString::fromLatin1(Rule::NoLiveWorker), QString::fromLatin1(Rule::NoLiveWorker),
            QStringLiteral("critical"),
            QStringLiteral("%1 job(s) wait and no worker has sent a heartbeat in the last %2 s")
                .arg(f.waitingJobs)
                .arg(c.workerSilenceSeconds)});
}

void diskLow(const RuleInputs &in, const AlertsConfig &c, Verdicts &v)
{
    for (const DiskReading &disk : in.disks) {
        if (disk.freeBytes < 0)
            continue;
        const QString key = QStringLiteral("%1@%2:%3").arg(QLatin1String(Rule::DiskLow), in.host, disk.path);
        decide(v, disk.freeBytes < c.minFreeDiskMb * kMb,
               {key, QString::fromLatin1(Rule::DiskLow), QStringLiteral("critical"),
                QStringLiteral("%1 MB free on %2 at %3 (limit %4 MB)")
                    .arg(disk.freeBytes / kMb)
                    .arg(in.host, disk.path)
                    .arg(c.minFreeDiskMb)});
    }
}

void services(const RuleInputs &in, const AlertsConfig &c, Verdicts &v)
{
    for (const Stage stage : {Stage::Parsing, Stage::Embedding}) {
        const QString service = stage == Stage::Parsing ? in.parserService : in.embedderService;
        const QString name = stage == Stage::Parsing ? QStringLiteral("parsing") : QStringLiteral("embedding");
        const QString who = service.isEmpty() ? QStringLiteral("the %1 service").arg(name) : service;
        const Store::ServiceErrors e = in.fleet.services.value(stage);
        // Holds until the stage finishes a job again, or the errors leave the window.
        const bool quota = e.quotaErrors > 0 && e.lastQuotaAt > e.lastSuccessAt;
        decide(v, quota,
               {QStringLiteral("%1:%2").arg(QLatin1String(Rule::QuotaExhausted), name),
                QString::fromLatin1(Rule::QuotaExhausted), QStringLiteral("critical"),
                QStringLiteral("%1 answered insufficient_quota %2 time(s) in the last %3 min and no %4 has "
                               "succeeded since")
                    .arg(who)
                    .arg(e.quotaErrors)
                    .arg(c.serviceWindowMinutes)
                    .arg(name)});
        const bool outage = e.outageErrors >= c.outageMinErrors && e.lastOutageAt > e.lastSuccessAt;
        decide(v, outage,
               {QStringLiteral("%1:%2").arg(QLatin1String(Rule::ServiceOutage), name),
                QString::fromLatin1(Rule::ServiceOutage), QStringLiteral("critical"),
                QStringLiteral("%1 failed %2 time(s) in the last %3 min (last error: %4) and no %5 has "
                               "succeeded since")
                    .arg(who)
                    .arg(e.outageErrors)
                    .arg(c.serviceWindowMinutes)
                    .arg(e.lastOutageCode, name)});
    }
}

void queues(const RuleInputs &in, const AlertsConfig &c, Verdicts &v)
{
    for (auto it = in.queueGrowing.cbegin(); it != in.queueGrowing.cend(); ++it) {
        if (!it.value())
            continue; // not watched long enough to tell
        const QString name = stageName(it.key());
        decide(v, *it.value(),
               {QStringLiteral("%1:%2").arg(QLatin1String(Rule::QueueGrowing), name),
                QString::fromLatin1(Rule::QueueGrowing), QStringLiteral("warning"),
                QStringLiteral("the queue for %1 has grown for %2 min (%3 job(s) waiting)")
                    .arg(name)
                    .arg(c.queueGrowthMinutes)
                    .arg(in.fleet.queueDepth.value(it.key()))});
    }
}

} // namespace

QueueTrend::QueueTrend(qint64 spanMs)
    : m_spanMs(spanMs)
{ }

void QueueTrend::add(qint64 atMs, int depth)
{
    if (!m_samples.isEmpty() && atMs < m_samples.constLast().at)
        m_samples.clear(); // the clock went back: start over rather than misread
    m_samples.append({atMs, depth});
    // Keep the last sample older than the span: it is the depth at the span's start.
    while (m_samples.size() > 1 && m_samples.at(1).at <= atMs - m_spanMs)
        m_samples.removeFirst();
}

int QueueTrend::depthAt(qint64 atMs) const
{
    int depth = m_samples.constFirst().depth;
    for (const Sample &sample : m_samples) {
        if (sample.at > atMs)
            break;
        depth = sample.depth;
    }
    return depth;
}

std::optional<bool> QueueTrend::growing() const
{
    if (m_samples.isEmpty())
        return std::nullopt;
    const qint64 now = m_samples.constLast().at;
    const qint64 start = now - m_spanMs;
    if (m_samples.constFirst().at > start)
        return std::nullopt;
    const int d0 = depthAt(start);
    const int d1 = depthAt(start + m_spanMs / 3);
    const int d2 = depthAt(start + 2 * m_spanMs / 3);
    const int d3 = m_samples.constLast().depth;
    return d0 < d1 && d1 < d2 && d2 < d3;
}

Verdicts evaluateRules(const RuleInputs &inputs, const AlertsConfig &config)
{
    Verdicts verdicts;
    failureRate(inputs, config, verdicts);
    stuckJobs(inputs, config, verdicts);
    noLiveWorker(inputs, config, verdicts);
    diskLow(inputs, config, verdicts);
    services(inputs, config, verdicts);
    queues(inputs, config, verdicts);
    return verdicts;
}

Store::FleetProbeLimits probeLimits(const AlertsConfig &config)
{
    return {config.failureWindowMinutes * kMinute, config.stuckMinutes * kMinute, config.workerSilenceSeconds * 1000LL,
            config.serviceWindowMinutes * kMinute};
}

QString ruleTitle(const QString &rule)
{
    static const QMap<QString, QString> titles{
        {QString::fromLatin1(Rule::FailureRate), QStringLiteral("Failure rate high")},
        {QString::fromLatin1(Rule::StuckJobs), QStringLiteral("Jobs stuck")},
        {QString::fromLatin1(Rule::NoLiveWorker), QStringLiteral("No live worker")},
        {QString::fromLatin1(Rule::DiskLow), QStringLiteral("Free disk low")},
        {QString::fromLatin1(Rule::QuotaExhausted), QStringLiteral("API quota exhausted")},
        {QString::fromLatin1(Rule::ServiceOutage), QStringLiteral("Remote service outage")},
        {QString::fromLatin1(Rule::QueueGrowing), QStringLiteral("Queue growing")},
    };
    return titles.value(rule, rule);
}

} // namespace Docpipe::Alerts
