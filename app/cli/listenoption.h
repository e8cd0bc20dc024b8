// --listen [HOST:]PORT for `worker` and `serve`: starts the HTTP service (server/) beside the
// command, on its own thread. The address falls back to the INI's server/listen.
#pragma once

#include "cli.h"

#include "servicehost.h"

#include <memory>

namespace Docpipe::Cli {

void addListenOption(QCommandLineParser &parser);
// The address asked for (flag, else server/listen); empty: none.
QString listenAddress(const QCommandLineParser &parser, const Context &context);
// Starts the service; prints "serving http://..." on stderr. Null (after printing why) on failure.
std::unique_ptr<Server::ServiceHost> startHttpService(const QString &address, const Context &context,
                                                      const QString &role);

} // namespace Docpipe::Cli
