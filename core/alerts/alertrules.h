// The alert rules as plain functions: from what one check read (the fleet snapshot, this host's
// disks, the queues' recent history) to the conditions that hold now and the ones that do not.
// Summaries are one English sentence of numbers, stages and service hosts: they go to the log,
// the window and the webhook, so they never carry a secret, a file name or document text.
#pragma once

#include "config/config.h"
#include "model/stage.h"
#include "store/fleetprobe.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Docpipe::Alerts {

namespace Rule {
inline constexpr char FailureRate[] = "failure_rate";
inline constexpr char StuckJobs[] = "stuck_jobs";
inline constexpr char NoLiveWorker[] = "no_live_worker";
inline constexpr char DiskLow[] = "disk_low";
inline constexpr char QuotaExhausted[] = "quota_exhausted";
inline constexpr char ServiceOutage[] = "service_outage";
inline constexpr char QueueGrowing[] = "queue_growing";
} // namespace Rule

struct AlertCondition
{
    QString key; // rule, then what it is about: "queue_growing:embedding", "disk_low@host:/path"
    QString rule;
    QString severity; // warning | critical
    QString summary;
};

struct Verdicts
{
    QList<AlertCondition> firing; // hold now
    QStringList clear; // evaluated and do not hold (a rule that could not tell is in neither)
};

struct DiskReading
{
    QString path; // where the database or the uploads live
    qint64 freeBytes = -1; // -1: unknown
    qint64 totalBytes = -1;
};

// The depth of one stage's queue over time, sampled at each check; memory stays bounded by the
// span. Growing means: the depth at the start of the span, at a third, at two thirds and now
// strictly increases (a burst that is being drained is not growth).
class QueueTrend final
{
public:
    explicit QueueTrend(qint64 spanMs = 15 * 60 * 1000);

    void add(qint64 atMs, int depth);
    // nullopt until the samples cover the span.
    std::optional<bool> growing() const;
    qsizetype sampleCount() const { return m_samples.size(); }

private:
    struct Sample
    {
        qint64 at;
        int depth;
    };
    int depthAt(qint64 atMs) const; // the last sample at or before atMs

    qint64 m_spanMs;
    QList<Sample> m_samples;
};

struct RuleInputs
{
    Store::FleetSnapshot fleet;
    QList<DiskReading> disks;
    QMap<Stage, std::optional<bool>> queueGrowing; // Parsing, Chunking, Embedding
    QString host; // this machine: disk alerts are per host
    QString parserService; // "LlamaParse (api.cloud.llamaindex.ai)"; empty when local
    QString embedderService; // empty when local
};

Verdicts evaluateRules(const RuleInputs &inputs, const AlertsConfig &config);

// How the probe's windows follow from the configuration.
Store::FleetProbeLimits probeLimits(const AlertsConfig &config);
// A rule's name for a person: "Failure rate high".
QString ruleTitle(const QString &rule);

} // namespace Docpipe::Alerts
