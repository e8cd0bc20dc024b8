#include "metricspage.h"

#include "alerts/alertmonitor.h"
#include "metrics/memoryadmission.h"
#include "metrics/processcounters.h"
#include "model/stage.h"
#include "monitoring/fleetgauges.h"
#include "monitoring/resourceusage.h"
#include "promtext.h"

#include <QElapsedTimer>
#include <QStandardPaths>

namespace Docpipe::Server {

namespace {

using Monitoring::EventCount;
using Monitoring::EventKey;

const QList<Stage> &allStages()
{
    static const QList<Stage> stages{Stage::Uploaded,       Stage::Parsing,   Stage::ParseValidated, Stage::Chunking,
                                     Stage::ChunksBuffered, Stage::Embedding, Stage::Embedded};
    return stages;
}

const QList<JobStatus> &allStatuses()
{
    static const QList<JobStatus> statuses{JobStatus::Queued, JobStatus::Running, JobStatus::Done, JobStatus::Failed,
                                           JobStatus::Cancelled};
    return statuses;
}

bool isActiveStage(const QString &stage)
{
    return stage == QLatin1String("parsing") || stage == QLatin1String("chunking")
        || stage == QLatin1String("embedding");
}

void writeJobs(PromText &out, const Monitoring::FleetGauges &gauges)
{
    out.family("docpipe_jobs", "gauge", "Jobs by stage and status (fleet-wide, from the database).");
    for (const Stage stage : allStages()) {
        for (const JobStatus status : allStatuses()) {
            const QString s = stageName(stage), st = statusName(status);
            out.sample("docpipe_jobs", {{QStringLiteral("stage"), s}, {QStringLiteral("status"), st}},
                       double(gauges.jobs.value({s, st})));
        }
    }
    out.family("docpipe_queue_oldest_age_seconds", "gauge",
               "How long the oldest queued job has waited at each checkpoint.");
    for (const Stage stage : {Stage::Uploaded, Stage::ParseValidated, Stage::ChunksBuffered}) {
        const QString s = stageName(stage);
        out.sample("docpipe_queue_oldest_age_seconds", {{QStringLiteral("stage"), s}},
                   gauges.oldestQueuedSeconds.value(s));
    }
    out.family("docpipe_workers_live", "gauge", "Workers with a heartbeat within alerts/worker_silence_seconds.");
    out.sample("docpipe_workers_live", gauges.liveWorkers);
    out.family("docpipe_paused", "gauge", "1 while the fleet is paused (no worker claims new work).");
    out.sample("docpipe_paused", gauges.paused ? 1 : 0);
    out.family("docpipe_database_size_bytes", "gauge", "Size of the database (SQLite file and WAL, or PostgreSQL).");
    out.sample("docpipe_database_size_bytes", double(gauges.databaseBytes));
}

// Sums the tally's counts by a projection of the key, for events of the given kinds.
template <typename Project>
QMap<Labels, EventCount> sumBy(const QMap<EventKey, EventCount> &totals, const QStringList &kinds, Project project)
{
    QMap<Labels, EventCount> sums;
    for (auto it = totals.cbegin(); it != totals.cend(); ++it) {
        if (!kinds.contains(it.key().kind))
            continue;
        const std::optional<Labels> labels = project(it.key());
        if (!labels)
            continue;
        EventCount &sum = sums[*labels];
        sum.count += it.value().count;
        sum.durationCount += it.value().durationCount;
        sum.durationSumSeconds += it.value().durationSumSeconds;
        for (size_t i = 0; i < sum.buckets.size(); ++i)
            sum.buckets[i] += it.value().buckets[i];
    }
    return sums;
}

void writeCounter(PromText &out, const char *name, const char *help, const QMap<Labels, EventCount> &sums,
                  bool alwaysOne = false)
{
    out.family(name, "counter", help);
    if (alwaysOne && sums.isEmpty())
        out.sample(name, 0);
    for (auto it = sums.cbegin(); it != sums.cend(); ++it)
        out.sample(name, it.key(), double(it.value().count));
}

void writeEvents(PromText &out, const QMap<EventKey, EventCount> &totals)
{
    const auto label = [](const char *name, const QString &value) {
        return QPair<QString, QString>{QString::fromLatin1(name), value};
    };
    writeCounter(out, "docpipe_transitions_total", "Stage transitions: claims (checkpoint to stage) and completions.",
                 sumBy(totals, {QStringLiteral("transition")}, [&](const EventKey &k) -> std::optional<Labels> {
                     return Labels{label("from_stage", k.fromStage), label("to_stage", k.toStage)};
                 }));
    writeCounter(out, "docpipe_stage_errors_total",
                 "Errors by stage and code; outcome retry (transient), failed (permanent) or lease_expired.",
                 sumBy(totals, {QStringLiteral("retry"), QStringLiteral("failed"), QStringLiteral("lease_expired")},
                       [&](const EventKey &k) -> std::optional<Labels> {
                           return Labels{label("stage", k.fromStage), label("code", k.code), label("outcome", k.kind)};
                       }));
    writeCounter(out, "docpipe_retries_total",
                 "Retries: by the engine after a transient error, or by an operator (retry and re-run).",
                 sumBy(totals, {QStringLiteral("retry"), QStringLiteral("operator_retry"), QStringLiteral("rerun")},
                       [&](const EventKey &k) -> std::optional<Labels> {
                           return Labels{label("by",
                                               k.kind == QLatin1String("retry") ? QStringLiteral("engine")
                                                                                : QStringLiteral("operator"))};
                       }));
    writeCounter(out, "docpipe_lease_expiries_total", "Leases that expired (a worker died or stalled), by stage.",
                 sumBy(totals, {QStringLiteral("lease_expired")}, [&](const EventKey &k) -> std::optional<Labels> {
                     return Labels{label("stage", k.fromStage)};
                 }));
    writeCounter(out, "docpipe_jobs_cancelled_total", "Jobs cancelled by an operator or replaced by a newer version.",
                 sumBy(totals, {QStringLiteral("cancelled")},
                       [](const EventKey &) -> std::optional<Labels> { return Labels{}; }),
                 true);
    writeCounter(out, "docpipe_documents_embedded_total", "Documents that reached embedded.",
                 sumBy(totals, {QStringLiteral("transition")},
                       [](const EventKey &k) -> std::optional<Labels> {
                           if (k.toStage != QLatin1String("embedded"))
                               return std::nullopt;
                           return Labels{};
                       }),
                 true);

    const auto durations
        = sumBy(totals, {QStringLiteral("transition"), QStringLiteral("retry"), QStringLiteral("failed")},
                [&](const EventKey &k) -> std::optional<Labels> {
                    if (!isActiveStage(k.fromStage))
                        return std::nullopt;
                    return Labels{label("stage", k.fromStage)};
                });
    out.family("docpipe_stage_duration_seconds", "histogram",
               "Time a stage took per job (completions and errors), from the event log.");
    for (auto it = durations.cbegin(); it != durations.cend(); ++it) {
        for (size_t i = 0; i < Monitoring::kDurationBuckets.size(); ++i) {
            Labels labels = it.key();
            labels.append(
                {QStringLiteral("le"), QString::fromLatin1(PromText::formatValue(Monitoring::kDurationBuckets[i]))});
            out.sample("docpipe_stage_duration_seconds_bucket", labels, double(it.value().buckets[i]));
        }
        Labels inf = it.key();
        inf.append({QStringLiteral("le"), QStringLiteral("+Inf")});
        out.sample("docpipe_stage_duration_seconds_bucket", inf, double(it.value().durationCount));
        out.sample("docpipe_stage_duration_seconds_sum", it.key(), it.value().durationSumSeconds);
        out.sample("docpipe_stage_duration_seconds_count", it.key(), double(it.value().durationCount));
    }
}

void writeProcess(PromText &out)
{
    const Monitoring::ResourceUsage usage = Monitoring::readResourceUsage();
    out.family("docpipe_process_cpu_seconds_total", "counter", "CPU time of this process (user and system).");
    out.sample("docpipe_process_cpu_seconds_total", usage.cpuSeconds);
    out.family("docpipe_process_resident_memory_bytes", "gauge", "Resident memory of this process.");
    out.sample("docpipe_process_resident_memory_bytes", double(usage.residentBytes));
    out.family("docpipe_process_open_fds", "gauge", "Open file descriptors of this process.");
    out.sample("docpipe_process_open_fds", double(usage.openFds));
    out.family("docpipe_process_max_fds", "gauge", "The process's limit of open file descriptors.");
    out.sample("docpipe_process_max_fds", double(usage.maxFds));
    out.family("docpipe_process_start_time_seconds", "gauge", "When this process started (Unix time).");
    out.sample("docpipe_process_start_time_seconds", usage.startTimeSeconds);

    const Metrics::MemoryAdmission admission = Metrics::memoryAdmission();
    out.family("docpipe_memory_budget_bytes", "gauge",
               "Memory budget for stage work (engine/memory_budget_mb); 0 where this process runs no engine.");
    out.sample("docpipe_memory_budget_bytes", double(admission.budgetBytes));
    out.family("docpipe_memory_admitted_bytes", "gauge", "Estimated memory of the stage work admitted now.");
    out.sample("docpipe_memory_admitted_bytes", double(admission.admittedBytes));
    out.family("docpipe_memory_waiting_jobs", "gauge", "Claimed jobs waiting for their memory to fit in the budget.");
    out.sample("docpipe_memory_waiting_jobs", double(admission.waiting));
}

void writeProcessCounters(PromText &out)
{
    const Metrics::ProcessCounterSnapshot counters = Metrics::ProcessCounters::instance().snapshot();
    for (const Metrics::ProcessCounterFamily &family : counters) {
        out.family(family.name, "counter", family.help);
        for (auto it = family.values.cbegin(); it != family.values.cend(); ++it) {
            Labels labels;
            for (const auto &pair : it.key())
                labels.append(pair);
            out.sample(family.name, labels, it.value());
        }
    }
}

void writeDisks(PromText &out, const Config &config)
{
    const QString url = config.effectiveDatabaseUrl();
    QList<QPair<QString, QString>> volumes; // (volume, path)
    if (!url.startsWith(QLatin1String("postgres")))
        volumes.append({QStringLiteral("database"), url});
    volumes.append({QStringLiteral("data"), Config::defaultDataFolder()});
    volumes.append({QStringLiteral("uploads"), config.effectiveUploadDir()});
    out.family("docpipe_filesystem_free_bytes", "gauge",
               "Free bytes (for this user) where the database, data and uploads live.");
    QList<QPair<Labels, double>> sizes;
    for (const auto &[volume, path] : volumes) {
        const QList<Alerts::DiskReading> readings = Alerts::readDisks({path});
        if (readings.isEmpty())
            continue;
        const Labels labels{{QStringLiteral("volume"), volume}, {QStringLiteral("path"), readings.first().path}};
        out.sample("docpipe_filesystem_free_bytes", labels, double(readings.first().freeBytes));
        sizes.append({labels, double(readings.first().totalBytes)});
    }
    out.family("docpipe_filesystem_size_bytes", "gauge", "Size of the file systems in docpipe_filesystem_free_bytes.");
    for (const auto &[labels, total] : sizes)
        out.sample("docpipe_filesystem_size_bytes", labels, total);
}

} // namespace

MetricsPage::MetricsPage(const Config &config, const QString &role)
    : m_config(config)
    , m_role(role)
    , m_db(config.effectiveDatabaseUrl())
{ }

Result<QByteArray> MetricsPage::render()
{
    QElapsedTimer timer;
    timer.start();
    auto gauges = Monitoring::readFleetGauges(m_db, qint64(m_config.alerts.workerSilenceSeconds) * 1000);
    if (!gauges)
        return gauges.error();
    gauges.value().databaseBytes = Monitoring::databaseSize(m_db, m_config.effectiveDatabaseUrl());
    if (auto updated = m_tally.update(m_db); !updated)
        return updated.error();

    PromText out;
    out.family("docpipe_build_info", "gauge", "Always 1; the labels say which Docpipe serves these metrics.");
    out.sample("docpipe_build_info",
               {{QStringLiteral("version"), QStringLiteral(DOCPIPE_VERSION)}, {QStringLiteral("role"), m_role}}, 1);
    writeJobs(out, gauges.value());
    writeEvents(out, m_tally.totals());
    writeProcessCounters(out);
    writeProcess(out);
    writeDisks(out, m_config);
    out.family("docpipe_scrape_duration_seconds", "gauge", "How long this page took to compute.");
    out.sample("docpipe_scrape_duration_seconds", double(timer.nsecsElapsed()) / 1e9);
    return out.text();
}

} // namespace Docpipe::Server
