// docpipe-cli: the headless front end. Only argument parsing and wiring; the work is in core.
#include "cli.h"
#include "logging.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <functional>

using namespace Docpipe;
using namespace Docpipe::Cli;

namespace {

struct Command
{
    const char *name;
    const char *summary;
    std::function<int(const Context &)> run;
};

const QList<Command> &commands()
{
    static const QList<Command> list{
        {"ingest", "Record documents as jobs; with --wait, run them to the end.", runIngest},
        {"worker", "Run the engine until SIGINT/SIGTERM (--listen: with the HTTP service).", runWorker},
        {"serve", "Serve the HTTP API and probes without an engine (--listen).", runServe},
        {"status", "Job counts per stage and outcome.", runStatus},
        {"jobs", "One row per job.", runJobs},
        {"events", "The event log.", runEvents},
        {"retry", "Retry failed jobs, or re-run jobs from the start.", runRetry},
        {"cancel", "Cancel jobs.", runCancel},
        {"pause", "Stop all workers from claiming new work.", runPause},
        {"resume", "Let workers claim work again.", runResume},
        {"workers", "The workers on this database and what they hold.", runWorkers},
        {"drain", "Let one worker finish what it holds, take nothing new, and stop.", runDrain},
        {"export", "Write the final chunks and vectors as JSON lines.", runExport},
        {"search", "The chunks nearest to a query (retrieval test).", runSearch},
        {"watch", "Watch folders: add, remove or list them.", runWatch},
        {"prune", "Forget finished jobs' events and intermediate data older than a date.", runPrune},
        {"check", "Validate the configuration, reach the database and each service.", runCheck},
        {"mock-server", "Serve mock LlamaParse and OpenAI embeddings APIs on loopback.", runMockServer},
    };
    return list;
}

QString usage()
{
    QString text = QStringLiteral(
        "Usage: docpipe-cli [--db URL] [--config INI] [--parser local|llamaparse] [--embedder local|openai]\n"
        "                   [--embedding-model NAME] [--embedding-dimensions N] [-v] <command> "
        "[options]\n\nCommands:\n");
    for (const Command &command : commands())
        text += QStringLiteral("  %1 %2\n").arg(QLatin1String(command.name), -12).arg(QLatin1String(command.summary));
    text += QStringLiteral("\nRun 'docpipe-cli <command> --help' for a command's options.\n");
    return text;
}

// The first argument that is neither an option nor the value of a global option.
int commandIndex(const QStringList &args)
{
    const QStringList withValue = globalValueOptions();
    for (int i = 1; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (withValue.contains(arg)) {
            ++i;
            continue;
        }
        if (!arg.startsWith(u'-'))
            return i;
    }
    return -1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    installQuietDatabaseWarnings();
    QCoreApplication::setOrganizationName(QStringLiteral("docpipe"));
    QCoreApplication::setApplicationName(QStringLiteral("docpipe"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DOCPIPE_VERSION));

    QStringList args = QCoreApplication::arguments();
    const int index = commandIndex(args);
    if (index < 0) {
        if (args.contains(QStringLiteral("--version"))) {
            out() << "docpipe-cli " << DOCPIPE_VERSION << Qt::endl;
            return 0;
        }
        out() << usage();
        out().flush();
        return args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h")) ? 0 : 2;
    }
    // "--database FILE jobs": the word taken for the command is the value of an option we do not
    // know; name the option, not its value.
    const QString before = args.at(index - 1);
    const QString name = args.takeAt(index);
    args.removeFirst();

    const auto found = std::find_if(commands().cbegin(), commands().cend(),
                                    [&](const Command &c) { return name == QLatin1String(c.name); });
    if (found == commands().cend()) {
        if (before.startsWith(QLatin1String("--")))
            return fail(QStringLiteral("unknown option '%1'\n%2").arg(before, usage()), 2);
        return fail(QStringLiteral("unknown command '%1'\n%2").arg(name, usage()), 2);
    }

    // Global options may stand before or after the command; read them once here.
    QCommandLineParser global;
    addGlobalOptions(global);
    global.parse(QStringList{name} + args); // unknown options are the command's business
    Context context;
    context.verbose = global.isSet(QStringLiteral("verbose"));
    context.config = Config::load(global.value(QStringLiteral("config")));
    if (const auto problem = applyGlobalOptions(global, context.config))
        return fail(*problem, 2);
    context.db = Store::Database(context.config.effectiveDatabaseUrl());
    context.args = args;
    QLoggingCategory::setFilterRules(context.verbose ? QStringLiteral("docpipe.*.debug=true")
                                                     : QStringLiteral("docpipe.*.info=false"));
    return found->run(context);
}
