#include "servicecheck.h"

#include "store/database.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlQuery>

namespace Docpipe::Services {

namespace {

ServiceCheck localCheck(const QString &service, const QString &message)
{
    return {service, QStringLiteral("local"), true, message, -1};
}

// Until the remote clients land, a remote kind is reported as not checkable rather than healthy.
ServiceCheck notYetCheckable(const QString &service, const QString &kind)
{
    return {service, kind, false, QStringLiteral("%1 cannot be checked by this build").arg(kind), -1};
}

} // namespace

ServiceCheck checkParserService(const ParserConfig &config)
{
    if (config.kind == QLatin1String("local"))
        return localCheck(QStringLiteral("parser"), QStringLiteral("local parser (no network)"));
    return notYetCheckable(QStringLiteral("parser"), config.kind);
}

ServiceCheck checkEmbedderService(const EmbedderConfig &config)
{
    if (config.kind == QLatin1String("local"))
        return localCheck(QStringLiteral("embedder"), QStringLiteral("local lexical embedder (no network)"));
    return notYetCheckable(QStringLiteral("embedder"), config.kind);
}

ServiceCheck checkDatabaseService(const QString &url)
{
    const Store::Database db(url);
    const bool postgres = db.dialect() == Store::Dialect::Postgres;
    ServiceCheck check{QStringLiteral("database"), postgres ? QStringLiteral("postgresql") : QStringLiteral("sqlite"), false, {}, -1};
    if (!postgres && !QFileInfo::exists(db.displayUrl())) {
        const QFileInfo folder(QFileInfo(db.displayUrl()).absolutePath());
        check.ok = folder.isDir() && folder.isWritable();
        check.message = check.ok ? QStringLiteral("a new database will be created at %1").arg(db.displayUrl())
                                 : QStringLiteral("cannot create a database in %1").arg(folder.filePath());
        return check;
    }
    QElapsedTimer timer;
    timer.start();
    {
        QSqlDatabase sql = db.sql();
        if (!sql.isOpen()) {
            check.message = db.lastOpenError();
        } else {
            QSqlQuery query(sql);
            const bool asked = query.exec(postgres ? QStringLiteral("SHOW server_version") : QStringLiteral("SELECT sqlite_version()"))
                && query.next();
            check.ok = asked;
            check.message = asked ? QStringLiteral("connected (%1 %2)").arg(postgres ? QStringLiteral("PostgreSQL") : QStringLiteral("SQLite"),
                                                                            query.value(0).toString())
                                  : query.lastError().text().simplified();
        }
    }
    check.latencyMs = timer.elapsed();
    db.closeThreadConnection();
    return check;
}

} // namespace Docpipe::Services
