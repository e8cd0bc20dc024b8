// One real call to the configured parser and embedding services: what `docpipe-cli check` prints
// and what the window's "test" buttons and status bar show.
#pragma once

#include "config/config.h"

#include <QString>

namespace Docpipe::Services {

struct ServiceCheck
{
    QString service; // "parser" | "embedder"
    QString kind; // "local" | "llamaparse" | "openai"
    bool ok = false;
    QString message; // one line for a person; never contains a key
    qint64 latencyMs = -1; // of the call, -1 when none was made
};

// Blocking (at most one HTTP request, bounded by the configuration's timeouts): call it off the
// GUI thread. Local kinds answer at once without the network.
ServiceCheck checkParserService(const ParserConfig &config);
ServiceCheck checkEmbedderService(const EmbedderConfig &config);
// Connects to the database at `url` (a SQLite path or postgresql:// URL) and disconnects again,
// changing nothing: a SQLite file that does not exist yet is not created. Blocking (PostgreSQL's
// connect timeout bounds it): call it off the GUI thread.
ServiceCheck checkDatabaseService(const QString &url);

} // namespace Docpipe::Services
