// docpipe-cli workers | drain: the fleet as operators see it, and a rolling upgrade's first step.
#include "cli.h"

#include "store/fleetworkers.h"
#include "store/recordjson.h"
#include "store/workerregistry.h"

namespace Docpipe::Cli {

int runWorkers(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Workers on this database: host, process, version, start, last heartbeat, jobs held, stages done in the last "
        "10 minutes, and state (running, draining, or lost: no heartbeat for alerts/worker_silence_seconds)."));
    addGlobalOptions(parser);
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON document on stdout.")});
    if (const int code = prepare(parser, QStringLiteral("workers"), context))
        return code;
    Store::FleetListing listing;
    listing.silenceMs = qint64(context.config.alerts.workerSilenceSeconds) * 1000;
    auto fleet = Store::listFleet(context.db, listing);
    if (!fleet)
        return fail(fleet.error().message);
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(QJsonDocument(Store::fleetToJson(fleet.value())));
        return 0;
    }
    if (fleet.value().isEmpty()) {
        out() << "no workers\n";
        out().flush();
        return 0;
    }
    out() << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9\n")
                 .arg(QStringLiteral("ID"), -36)
                 .arg(QStringLiteral("HOST"), -16)
                 .arg(QStringLiteral("PID"), 7)
                 .arg(QStringLiteral("VERSION"), -8)
                 .arg(QStringLiteral("STARTED"), -24)
                 .arg(QStringLiteral("LAST HEARTBEAT"), -24)
                 .arg(QStringLiteral("HELD"), 5)
                 .arg(QStringLiteral("DONE10M"), 7)
                 .arg(QStringLiteral("STATE"));
    for (const Store::FleetWorker &row : fleet.value()) {
        out() << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9\n")
                     .arg(printable(row.worker.id), -36)
                     .arg(printable(row.worker.host), -16)
                     .arg(row.worker.pid, 7)
                     .arg(row.worker.version, -8)
                     .arg(Store::isoTime(row.worker.startedAt), -24)
                     .arg(Store::isoTime(row.worker.heartbeatAt), -24)
                     .arg(row.jobsHeld, 5)
                     .arg(row.doneRecently, 7)
                     .arg(row.state);
    }
    out().flush();
    return 0;
}

int runDrain(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Ask a worker (its id, as `workers` lists it) to finish the jobs it holds, claim nothing new, "
                       "and stop: the first step of a rolling upgrade."));
    addGlobalOptions(parser);
    parser.addPositionalArgument(QStringLiteral("worker"), QStringLiteral("The worker's id."));
    if (const int code = prepare(parser, QStringLiteral("drain"), context))
        return code;
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("drain takes one worker id"), 2);
    const QString id = parser.positionalArguments().first();
    auto drained = Store::requestDrain(context.db, id);
    if (!drained)
        return fail(drained.error().message);
    if (!drained.value())
        return fail(QStringLiteral("no running worker '%1' (see docpipe-cli workers)").arg(printable(id)));
    out() << "worker " << printable(id) << " finishes what it holds, takes nothing new, then stops\n";
    out().flush();
    return 0;
}

} // namespace Docpipe::Cli
