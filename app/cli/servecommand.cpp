// docpipe-cli serve --listen [HOST:]PORT: the HTTP service without an engine, for a node that
// only takes uploads and answers the API; the workers on the same database do the work.
#include "cli.h"

#include "listenoption.h"
#include "signalwatcher.h"

#include <QCoreApplication>

namespace Docpipe::Cli {

int runServe(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Serve the HTTP API and probes without running the engine, until SIGINT or SIGTERM."));
    addGlobalOptions(parser);
    addListenOption(parser);
    if (const int code = prepare(parser, QStringLiteral("serve"), context))
        return code;
    const QString address = listenAddress(parser, context);
    if (address.isEmpty())
        return fail(QStringLiteral("serve needs --listen [HOST:]PORT (or server/listen in the INI)"), 2);
    const auto http = startHttpService(address, context, QStringLiteral("serve"));
    if (!http)
        return 2;
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &watcher, [] { QCoreApplication::quit(); });
    QCoreApplication::exec();
    return 0;
}

} // namespace Docpipe::Cli
