#include "logging.h"

Q_LOGGING_CATEGORY(lcEngine, "docpipe.engine", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "docpipe.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStages, "docpipe.stages", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "docpipe.net", QtInfoMsg)

namespace Docpipe {

namespace {
QtMessageHandler g_previousHandler = nullptr;

void quietDatabaseWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg
        && (message == QLatin1String("QSqlQuery::exec: database not open")
            || message == QLatin1String("QSqlQuery::prepare: database not open")))
        return;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}
} // namespace

void installQuietDatabaseWarnings()
{
    g_previousHandler = qInstallMessageHandler(quietDatabaseWarnings);
}

} // namespace Docpipe
