// docpipe-cli retry | cancel | pause | resume: operator actions, as database writes.
#include "cli.h"

#include "store/jobcontrol.h"
#include "store/jobqueries.h"
#include "store/workerregistry.h"

namespace Docpipe::Cli {

namespace {

QString actor()
{
    return QStringLiteral("cli@") + Store::localHostName();
}

std::optional<QList<qint64>> parseIds(const QStringList &texts)
{
    QList<qint64> ids;
    for (const QString &text : texts) {
        bool ok = false;
        const qint64 id = text.toLongLong(&ok);
        if (!ok || id <= 0) {
            fail(QStringLiteral("'%1' is not a job id").arg(text), 2);
            return std::nullopt;
        }
        ids << id;
    }
    return ids;
}

// Names the ids that do not exist, so "nothing happened" always has a reason.
int reportMissing(const Context &context, const QList<qint64> &ids)
{
    auto jobs = Store::listJobs(context.db, {.ids = ids});
    if (!jobs)
        return fail(jobs.error().message);
    QSet<qint64> found;
    for (const Store::JobRecord &job : jobs.value())
        found.insert(job.id);
    int missing = 0;
    for (const qint64 id : ids) {
        if (!found.contains(id)) {
            err() << "docpipe-cli: no job " << id << Qt::endl;
            ++missing;
        }
    }
    return missing;
}

} // namespace

int runRetry(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Retry failed or cancelled jobs from the checkpoint before the "
                                                    "stage that failed, or re-run jobs from the start."));
    addGlobalOptions(parser);
    parser.addOption({QStringLiteral("failed"), QStringLiteral("Every failed job.")});
    parser.addOption(
        {QStringLiteral("from-start"), QStringLiteral("Back to uploaded, dropping parsed text, chunks and vectors.")});
    parser.addPositionalArgument(QStringLiteral("id"), QStringLiteral("Job ids."), QStringLiteral("[ID...]"));
    if (const int code = prepare(parser, QStringLiteral("retry"), context))
        return code;
    QList<qint64> ids;
    if (parser.isSet(QStringLiteral("failed"))) {
        auto failed = Store::failedJobIds(context.db);
        if (!failed)
            return fail(failed.error().message);
        ids = failed.value();
    } else {
        const auto parsed = parseIds(parser.positionalArguments());
        if (!parsed)
            return 2;
        ids = *parsed;
        if (ids.isEmpty())
            return fail(QStringLiteral("retry needs --failed or job ids"), 2);
        if (reportMissing(context, ids) > 0)
            return 1;
    }
    const auto from
        = parser.isSet(QStringLiteral("from-start")) ? Store::RetryFrom::Start : Store::RetryFrom::LastCheckpoint;
    auto retried = Store::retryJobs(context.db, ids, from, actor());
    if (!retried)
        return fail(retried.error().message);
    out() << (from == Store::RetryFrom::Start ? "re-running " : "retrying ") << retried.value() << " job(s)"
          << Qt::endl;
    if (retried.value() < ids.size() && !parser.isSet(QStringLiteral("failed")))
        return fail(QStringLiteral("%1 job(s) were not failed or cancelled; use --from-start to re-run them")
                        .arg(ids.size() - retried.value()));
    return 0;
}

int runCancel(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Cancel queued or running jobs."));
    addGlobalOptions(parser);
    parser.addPositionalArgument(QStringLiteral("id"), QStringLiteral("Job ids."), QStringLiteral("ID..."));
    if (const int code = prepare(parser, QStringLiteral("cancel"), context))
        return code;
    const auto ids = parseIds(parser.positionalArguments());
    if (!ids)
        return 2;
    if (ids->isEmpty())
        return fail(QStringLiteral("cancel needs job ids"), 2);
    if (reportMissing(context, *ids) > 0)
        return 1;
    auto cancelled = Store::cancelJobs(context.db, *ids, actor());
    if (!cancelled)
        return fail(cancelled.error().message);
    out() << "cancelled " << cancelled.value() << " job(s)" << Qt::endl;
    if (cancelled.value() < ids->size())
        return fail(QStringLiteral("%1 job(s) had already finished, failed or been cancelled")
                        .arg(ids->size() - cancelled.value()));
    return 0;
}

namespace {
int setPaused(const Context &context, bool paused)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(paused ? QStringLiteral("Stop every worker from claiming new work.")
                                            : QStringLiteral("Let workers claim work again."));
    addGlobalOptions(parser);
    if (const int code = prepare(parser, paused ? QStringLiteral("pause") : QStringLiteral("resume"), context))
        return code;
    auto set = Store::setPaused(context.db, paused);
    if (!set)
        return fail(set.error().message);
    out() << (paused ? "paused: workers finish what they hold and claim nothing new" : "resumed") << Qt::endl;
    return 0;
}
} // namespace

int runPause(const Context &context)
{
    return setPaused(context, true);
}

int runResume(const Context &context)
{
    return setPaused(context, false);
}

} // namespace Docpipe::Cli
