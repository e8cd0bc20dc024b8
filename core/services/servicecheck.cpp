#include "servicecheck.h"

#include "httpsession.h"
#include "llamaparseparser.h"
#include "openaiembedder.h"
#include "serviceendpoint.h"
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

// One GET of a job no server knows: 404 (or any answer but 401/403) means LlamaParse is there
// and took the key, without spending a credit on an upload.
ServiceCheck checkLlamaParse(const ParserConfig &config)
{
    ServiceCheck check{QStringLiteral("parser"), config.kind, false, {}, -1};
    const QString route = config.llamaApi == QLatin1String("v1") ? QStringLiteral("/api/v1/parsing/job/")
                                                                 : QStringLiteral("/api/v2/parse/");
    const QUrl url = llamaParseUrl(config.llamaBaseUrl, route + LlamaParseParser::probeJobId());
    const ServiceIdentity identity{
        QStringLiteral("LlamaParse"), hostOf(url), QStringLiteral("LLAMA_CLOUD_API_KEY"), {}, config.llamaApiKey};
    QElapsedTimer timer;
    timer.start();
    HttpSession session;
    const HttpReply reply = session.get(url, {config.llamaApiKey, config.llamaRequestTimeoutMs, {}});
    check.latencyMs = timer.elapsed();
    const bool answered = reply.status >= 200 && reply.status < 500 && reply.status != 401 && reply.status != 403
        && reply.status != 429 && reply.status != 402 && !reply.timedOut;
    check.ok = answered;
    check.message = answered ? QStringLiteral("LlamaParse at %1 answered and accepted the key (%2 ms)")
                                   .arg(identity.host)
                                   .arg(check.latencyMs)
                             : classifyFailure(reply, identity).message;
    return check;
}

ServiceCheck checkEmbeddings(const EmbedderConfig &config)
{
    ServiceCheck check{QStringLiteral("embedder"), config.kind, false, {}, -1};
    const OpenAiEmbedder embedder(config);
    QElapsedTimer timer;
    timer.start();
    const auto vectors = embedder.embed({QStringLiteral("Docpipe service check")}, {});
    check.latencyMs = timer.elapsed();
    check.ok = vectors.ok();
    check.message = vectors.ok()
        ? QStringLiteral("%1 at %2: model %3, %4 dimensions (%5 ms)")
              .arg(QStringLiteral("embedding service"), hostOf(embeddingsUrl(config.baseUrl)), embedder.model())
              .arg(vectors.value().constFirst().size())
              .arg(check.latencyMs)
        : vectors.error().message;
    return check;
}

} // namespace

ServiceCheck checkParserService(const ParserConfig &config)
{
    if (config.kind == QLatin1String("local"))
        return localCheck(QStringLiteral("parser"), QStringLiteral("local parser (no network)"));
    return checkLlamaParse(config);
}

ServiceCheck checkEmbedderService(const EmbedderConfig &config)
{
    if (config.kind == QLatin1String("local"))
        return localCheck(QStringLiteral("embedder"), QStringLiteral("local lexical embedder (no network)"));
    return checkEmbeddings(config);
}

ServiceCheck checkDatabaseService(const QString &url)
{
    const Store::Database db(url);
    const bool postgres = db.dialect() == Store::Dialect::Postgres;
    ServiceCheck check{
        QStringLiteral("database"), postgres ? QStringLiteral("postgresql") : QStringLiteral("sqlite"), false, {}, -1};
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
            const bool asked = query.exec(postgres ? QStringLiteral("SHOW server_version")
                                                   : QStringLiteral("SELECT sqlite_version()"))
                && query.next();
            check.ok = asked;
            check.message = asked ? QStringLiteral("connected (%1 %2)")
                                        .arg(postgres ? QStringLiteral("PostgreSQL") : QStringLiteral("SQLite"),
                                             query.value(0).toString())
                                  : query.lastError().text().simplified();
        }
    }
    check.latencyMs = timer.elapsed();
    db.closeThreadConnection();
    return check;
}

} // namespace Docpipe::Services
