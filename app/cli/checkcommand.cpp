// docpipe-cli check: is the configuration usable and the database reachable?
#include "cli.h"

#include "services/servicecheck.h"
#include "store/jobqueries.h"
#include "store/workerregistry.h"

namespace Docpipe::Cli {

int runCheck(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Validate the configuration and reach the database."));
    addGlobalOptions(parser);
    parser.addOption({QStringLiteral("init"), QStringLiteral("Create the SQLite database when it is not there.")});
    if (!parseCommandLine(parser, QStringLiteral("check"), context.args))
        return 2;
    const QStringList configProblems = context.config.validate();
    for (const QString &problem : configProblems)
        out() << "config: " << problem << '\n';
    if (!configProblems.isEmpty()) {
        // A wrong setting (an unknown embedder kind, say) would make the checks below reach the
        // wrong place, or a default host the operator never meant to contact.
        out().flush();
        return fail(QStringLiteral("%1 problem(s) in the configuration; database and services not checked")
                        .arg(configProblems.size()));
    }
    int problems = 0;
    out() << "database: " << context.db.displayUrl() << '\n';
    if (const QString note = Config::legacyFolderNote(); !note.isEmpty() && context.config.databaseUrl.isEmpty())
        out() << "database: note: " << note << '\n';
    const QString missing = parser.isSet(QStringLiteral("init")) ? QString() : missingDatabase(context);
    if (!missing.isEmpty()) {
        out() << "database: FAILED: " << missing << '\n';
        ++problems;
    } else if (auto migrated = context.db.migrate(); !migrated) {
        out() << "database: FAILED: " << migrated.error().message << '\n';
        ++problems;
    } else {
        auto counts = Store::statusCounts(context.db);
        auto workers = Store::listWorkers(context.db, Store::nowMs() - 60000);
        out() << "database: ok (schema " << migrated.value() << ", " << (counts ? counts.value().total : 0)
              << " job(s), " << (workers ? workers.value().size() : 0) << " worker(s) seen in the last minute)\n";
    }
    for (const Services::ServiceCheck &service : {Services::checkParserService(context.config.parser),
                                                  Services::checkEmbedderService(context.config.embedder)}) {
        out() << service.service << ": " << (service.ok ? "ok" : "FAILED") << " (" << service.kind
              << "): " << service.message << '\n';
        if (!service.ok)
            ++problems;
    }
    out().flush();
    if (problems > 0)
        return fail(QStringLiteral("%1 problem(s) found").arg(problems));
    out() << "ok" << Qt::endl;
    return 0;
}

} // namespace Docpipe::Cli
