// docpipe-cli check: is the configuration usable and the database reachable? The readiness
// checks are the same code as GET /readyz (core/monitoring/readiness); the text form also makes
// one real call to each configured service and loads the OCR languages.
#include "cli.h"

#include "monitoring/readiness.h"
#include "services/servicecheck.h"
#include "stages/parsers/ocrengine.h"
#include "store/jobqueries.h"
#include "store/workerregistry.h"

namespace Docpipe::Cli {

int runCheck(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Validate the configuration and reach the database."));
    addGlobalOptions(parser);
    parser.addOption({QStringLiteral("init"), QStringLiteral("Create the SQLite database when it is not there.")});
    parser.addOption(
        {QStringLiteral("json"),
         QStringLiteral("The readiness checks (as GET /readyz) as one JSON document; exit 1 if not ready.")});
    if (!parseCommandLine(parser, QStringLiteral("check"), context.args))
        return 2;
    if (parser.isSet(QStringLiteral("json"))) {
        // Migrating first, as every command does: an old schema is brought up to date, not reported.
        if (parser.isSet(QStringLiteral("init")) || missingDatabase(context).isEmpty())
            (void)context.db.migrate();
        const Monitoring::ReadinessReport report = Monitoring::checkReadiness(context.config);
        printJson(QJsonDocument(Monitoring::readinessToJson(report)));
        return report.ready() ? 0 : 1;
    }
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
    const Monitoring::ReadinessReport report = Monitoring::checkReadiness(context.config);
    for (const Monitoring::ReadinessCheck &check : report.checks) {
        if (check.name == QLatin1String(Monitoring::Check::Config)
            || check.name == QLatin1String(Monitoring::Check::Database))
            continue; // said above
        out() << check.name << ": " << (check.ok ? "ok" : "FAILED") << " (" << check.detail << ")\n";
        if (!check.ok)
            ++problems;
    }
    for (const Services::ServiceCheck &service : {Services::checkParserService(context.config.parser),
                                                  Services::checkEmbedderService(context.config.embedder)}) {
        out() << service.service << ": " << (service.ok ? "ok" : "FAILED") << " (" << service.kind
              << "): " << service.message << '\n';
        if (!service.ok)
            ++problems;
    }
    if (context.config.parser.kind == QLatin1String("local") && context.config.ocr.enabled) {
        const auto ocr = Stages::checkOcr(context.config.ocr);
        out() << "ocr: "
              << (ocr ? QStringLiteral("ok (%1)").arg(ocr.value())
                      : QStringLiteral("FAILED: %1").arg(ocr.error().message))
              << '\n';
        if (!ocr)
            ++problems;
    }
    out().flush();
    if (problems > 0)
        return fail(QStringLiteral("%1 problem(s) found").arg(problems));
    out() << "ok" << Qt::endl;
    return 0;
}

} // namespace Docpipe::Cli
