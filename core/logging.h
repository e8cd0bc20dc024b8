// One logging category per subsystem; enable with QT_LOGGING_RULES="docpipe.*=true".
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcEngine)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcStages)
Q_DECLARE_LOGGING_CATEGORY(lcNet)

namespace Docpipe {
// Drops Qt SQL's own "QSqlQuery::exec: database not open" (and prepare's) warnings: while the
// database is unreachable every statement tried on a connection that could not be reopened gives
// one, several a second, whereas the engine already says the outage once with its reason (the
// statement's error is classified unreachable). Every other message goes where it went before.
// For main() of each program, once.
void installQuietDatabaseWarnings();
} // namespace Docpipe
