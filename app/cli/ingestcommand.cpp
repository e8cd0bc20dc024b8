// docpipe-cli ingest [--wait] [--force] [--follow-symlinks] [--priority N] PATH...
#include "cli.h"

#include "enginerun.h"
#include "listenoption.h"

#include "engine/ingestor.h"
#include "engine/pipelineengine.h"
#include "store/jobqueries.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QMap>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace Docpipe::Cli {

namespace {

struct Tally
{
    QMap<Stage, int> active; // queued or running, by stage
    int embedded = 0;
    int failed = 0;
    int cancelled = 0;
    int total = 0;
    bool allFinished() const { return embedded + failed + cancelled == total; }
};

Tally tally(const QList<Store::JobRecord> &jobs)
{
    Tally t;
    t.total = int(jobs.size());
    for (const Store::JobRecord &job : jobs) {
        switch (job.status) {
        case JobStatus::Done:
            ++t.embedded;
            break;
        case JobStatus::Failed:
            ++t.failed;
            break;
        case JobStatus::Cancelled:
            ++t.cancelled;
            break;
        default:
            ++t.active[job.stage];
        }
    }
    return t;
}

QString progressLine(const Tally &t, qint64 elapsedMs)
{
    QStringList parts;
    for (auto it = t.active.cbegin(); it != t.active.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(stageName(it.key())).arg(it.value());
    parts << QStringLiteral("embedded %1").arg(t.embedded);
    if (t.failed)
        parts << QStringLiteral("failed %1").arg(t.failed);
    if (t.cancelled)
        parts << QStringLiteral("cancelled %1").arg(t.cancelled);
    return QStringLiteral("[%1/%2] %3 (%4 s)")
        .arg(t.embedded + t.failed + t.cancelled)
        .arg(t.total)
        .arg(parts.join(QStringLiteral(" · ")))
        .arg(double(elapsedMs) / 1000.0, 0, 'f', 1);
}

void printReport(const IngestReport &report)
{
    for (const auto &created : report.created) {
        if (created.tooLarge)
            out() << "job " << created.jobId << ": " << printable(created.name) << " (failed: file_too_large)\n";
        else
            out() << "queued job " << created.jobId << ": " << printable(created.name) << '\n';
    }
    for (const auto &duplicate : report.duplicates)
        out() << "duplicate of job " << duplicate.jobId << ": " << printable(duplicate.name)
              << " (same content; use --force to run it again)\n";
    out().flush();
    for (const QString &note : report.notes)
        err() << "note: " << printable(note) << '\n';
    for (const QString &error : report.errors)
        err() << "error: " << printable(error) << '\n';
    err().flush();
}

} // namespace

int runIngest(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Record documents (files and folders) as jobs."));
    addGlobalOptions(parser);
    parser.addOption(
        {QStringLiteral("wait"), QStringLiteral("Run the engine until these jobs are embedded, failed or cancelled.")});
    parser.addOption({QStringLiteral("force"), QStringLiteral("Make a new job even for content ingested before.")});
    parser.addOption({QStringLiteral("follow-symlinks"),
                      QStringLiteral("Also read files that symbolic links lead to outside the given folders "
                                     "(default: the setting ingest/follow_symlinks, off).")});
    parser.addOption({QStringLiteral("priority"), QStringLiteral("Job priority (higher first)."), QStringLiteral("n"),
                      QStringLiteral("0")});
    parser.addPositionalArgument(QStringLiteral("path"), QStringLiteral("Files or folders."),
                                 QStringLiteral("PATH..."));
    if (!parseCommandLine(parser, QStringLiteral("ingest"), context.args))
        return 2;
    const QStringList paths = parser.positionalArguments();
    if (paths.isEmpty())
        return fail(QStringLiteral("ingest needs at least one file or folder"), 2);
    if (std::none_of(paths.cbegin(), paths.cend(), [](const QString &path) { return QFileInfo::exists(path); }))
        return fail(QStringLiteral("none of the given paths exists; nothing ingested"));
    if (!openDatabase(context, Creation::MayCreate))
        return 1;

    Store::IngestOptions options;
    options.force = parser.isSet(QStringLiteral("force"));
    options.priority = parser.value(QStringLiteral("priority")).toInt();
    options.maxBytes = context.config.engine.maxDocumentBytes;
    CollectOptions collect;
    collect.followSymlinks = parser.isSet(QStringLiteral("follow-symlinks")) || context.config.ingest.followSymlinks;
    const IngestReport report = ingestPaths(context.db, paths, options, collect);
    printReport(report);
    if (!report.errors.isEmpty())
        return 1;
    if (report.created.isEmpty() && report.duplicates.isEmpty())
        return fail(QStringLiteral("no document found in the given paths; nothing ingested"));
    if (!parser.isSet(QStringLiteral("wait")))
        return 0;

    const QList<qint64> ids = report.jobIds();
    if (ids.isEmpty())
        return fail(QStringLiteral("no documents to run"));
    const bool terminal = ::isatty(fileno(stdout));
    QElapsedTimer elapsed;
    elapsed.start();
    Tally last;
    QString lastLine;
    qint64 lastPrinted = -1;
    EngineRunOptions run;
    run.onTick = [&] {
        auto jobs = Store::listJobs(context.db, {.ids = ids});
        if (!jobs) {
            err() << "warning: " << jobs.error().message << Qt::endl;
            return;
        }
        last = tally(jobs.value());
        const QString line = progressLine(last, elapsed.elapsed());
        if (terminal) {
            out() << '\r' << line << "\x1b[K";
            out().flush();
        } else if (line.section(u'(', 0, 0) != lastLine.section(u'(', 0, 0)
                   && elapsed.elapsed() - lastPrinted >= 1000) {
            out() << line << '\n';
            out().flush();
            lastPrinted = elapsed.elapsed();
        }
        lastLine = line;
    };
    run.finished = [&] { return last.total > 0 && last.allFinished(); };
    Context oneOff = context;
    oneOff.config.watch.enabled = false; // a run for these documents only; long-running workers watch folders
    const int code = runEngine(oneOff, run);
    if (terminal)
        out() << '\n';
    if (code != 0)
        return code;

    auto jobs = Store::listJobs(context.db, {.ids = ids});
    if (!jobs)
        return fail(jobs.error().message);
    const Tally final = tally(jobs.value());
    out() << QStringLiteral("%1 document(s): %2 embedded, %3 failed, %4 cancelled in %5 s")
                 .arg(final.total)
                 .arg(final.embedded)
                 .arg(final.failed)
                 .arg(final.cancelled)
                 .arg(double(elapsed.elapsed()) / 1000.0, 0, 'f', 1)
          << '\n';
    for (const Store::JobRecord &job : jobs.value()) {
        if (job.status == JobStatus::Failed)
            out() << "  failed job " << job.id << " " << printable(job.name) << " [" << stageName(job.stage) << "] "
                  << job.errorCode << ": " << printable(job.errorMessage) << '\n';
    }
    out().flush();
    if (!final.allFinished())
        return fail(QStringLiteral("stopped before every job finished; a worker will continue them"));
    return final.failed > 0 ? 1 : 0;
}

int runWorker(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run the engine until SIGINT or SIGTERM."));
    addGlobalOptions(parser);
    addListenOption(parser);
    if (!parseCommandLine(parser, QStringLiteral("worker"), context.args))
        return 2;
    if (!openDatabase(context, Creation::MayCreate))
        return 1;
    std::unique_ptr<Server::ServiceHost> http;
    if (const QString address = listenAddress(parser, context); !address.isEmpty()) {
        http = startHttpService(address, context, QStringLiteral("worker"));
        if (!http)
            return 2;
    }
    EngineRunOptions options;
    options.alerts = true;
    options.attach = [&](PipelineEngine &engine) {
        if (http) // an upload, a retry or a resume through the API: look for work now
            QObject::connect(http.get(), &Server::ServiceHost::workArrived, &engine, &PipelineEngine::wake);
    };
    return runEngine(context, options);
}

} // namespace Docpipe::Cli
