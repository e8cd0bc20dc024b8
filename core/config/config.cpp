#include "config.h"

#include "settingstable.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

#include <algorithm>

namespace Docpipe {

namespace {

// Problems are shown in the window (translated there) and printed by the CLI (in English). The
// context lupdate reads for them.
struct ConfigText
{
    Q_DECLARE_TR_FUNCTIONS(Docpipe::Config)
};

QString envOr(const char *name, const QString &fallback)
{
    const QString value = qEnvironmentVariable(name);
    return value.isEmpty() ? fallback : value;
}

// OpenAI's embedding models all tokenize with cl100k_base (tiktoken's model table); an empty
// model is the OpenAI embedder's default, text-embedding-3-small.
bool usesCl100k(const QString &model)
{
    return model.isEmpty() || model.startsWith(QLatin1String("text-embedding-3-"))
        || model == QLatin1String("text-embedding-ada-002");
}

} // namespace

Config Config::load(const QString &iniPath)
{
    Config c;
    if (!iniPath.isEmpty()) {
        const QSettings ini(iniPath, QSettings::IniFormat);
        for (const Setting &setting : settingsTable()) {
            const QString key = QString::fromLatin1(setting.key);
            if (!ini.contains(key))
                continue;
            const QVariant value = ini.value(key);
            const QVariant fallback = setting.value(c);
            if (!setting.assign(c, value)) {
                const QString reason = std::holds_alternative<Setting::BoolField>(setting.field)
                    ? ConfigText::tr("%1 must be true or false ('%2'); using %3")
                    : ConfigText::tr("%1 is not a number ('%2'); using %3");
                c.readProblems.append({key, reason.arg(key, value.toString(), fallback.toString())});
            }
        }
    }
    c.databaseUrl = envOr("DOCPIPE_DB", c.databaseUrl);
    c.embedder.apiKey = envOr("OPENAI_API_KEY", c.embedder.apiKey);
    c.embedder.baseUrl = envOr("OPENAI_BASE_URL", c.embedder.baseUrl);
    c.parser.llamaApiKey = envOr("LLAMA_CLOUD_API_KEY", c.parser.llamaApiKey);
    c.parser.llamaBaseUrl = envOr("LLAMA_CLOUD_BASE_URL", c.parser.llamaBaseUrl);
    if (c.alerts.webhookUrl.isEmpty()) {
        c.alerts.webhookUrl = qEnvironmentVariable("DOCPIPE_ALERT_WEBHOOK");
        c.alerts.webhookUrlFromEnvironment = !c.alerts.webhookUrl.isEmpty();
    }
    if (c.server.apiToken.isEmpty()) {
        c.server.apiToken = qEnvironmentVariable("DOCPIPE_API_TOKEN");
        c.server.apiTokenFromEnvironment = !c.server.apiToken.isEmpty();
    }
    return c;
}

void Config::save(const QString &iniPath) const
{
    QSettings ini(iniPath, QSettings::IniFormat);
    for (const Setting &setting : settingsTable())
        ini.setValue(QString::fromLatin1(setting.key), setting.value(*this));
    // A webhook URL carries its token: one that came from the environment stays there.
    if (alerts.webhookUrlFromEnvironment)
        ini.setValue(QStringLiteral("alerts/webhook_url"), QString());
    if (server.apiTokenFromEnvironment)
        ini.setValue(QStringLiteral("server/api_token"), QString());
    ini.sync();
}

QList<ConfigProblem> Config::problems() const
{
    QList<ConfigProblem> problems = readProblems;
    const auto add = [&](const char *key, const QString &message) {
        problems.append({QString::fromLatin1(key), message});
    };
    for (const Setting &setting : settingsTable()) {
        const QString key = QString::fromLatin1(setting.key);
        const bool unreadable = std::any_of(readProblems.cbegin(), readProblems.cend(),
                                            [&](const ConfigProblem &p) { return p.key == key; });
        if (const QString problem = setting.problem(*this); !problem.isEmpty() && !unreadable)
            problems.append({key, problem});
    }
    // What one row cannot say: values that depend on each other, and the database URL's shape.
    const QString url = effectiveDatabaseUrl();
    if (url.startsWith(QLatin1String("postgres"))) {
        const QUrl parsed(url);
        if (!parsed.isValid() || parsed.host().isEmpty() || parsed.path().size() < 2)
            add("database/url", ConfigText::tr("database URL must look like postgresql://user:pass@host:port/db"));
    } else if (!databaseUrl.isEmpty() && !QFileInfo(QFileInfo(url).absolutePath()).isDir()) {
        // (the default folder is made when the first database is created there)
        add("database/url", ConfigText::tr("database folder does not exist: %1").arg(QFileInfo(url).absolutePath()));
    }
    if (chunking.overlapTokens >= 0 && chunking.overlapTokens >= chunking.chunkTokens / 2)
        add("chunking/overlap_tokens",
            ConfigText::tr("chunk overlap must be less than half the chunk size (is %1)").arg(chunking.overlapTokens));
    if (parser.kind == QLatin1String("llamaparse") && parser.llamaApiKey.isEmpty())
        add("parser/llamaparse_api_key",
            ConfigText::tr("LlamaParse needs an API key (LLAMA_CLOUD_API_KEY or the keychain)"));
    if (embedder.kind == QLatin1String("openai")) {
        if (embedder.maxInputTokens >= 16 && chunking.chunkTokens > embedder.maxInputTokens)
            add("chunking/chunk_tokens",
                ConfigText::tr("chunks of %1 tokens would be over the embedding model's limit of %2 tokens per input")
                    .arg(chunking.chunkTokens)
                    .arg(embedder.maxInputTokens));
        if (embedder.maxBatchTokens < embedder.maxInputTokens)
            add("embedder/max_batch_tokens",
                ConfigText::tr("the per-request token limit (%1) must hold at least one input (%2)")
                    .arg(embedder.maxBatchTokens)
                    .arg(embedder.maxInputTokens));
    }
    return problems;
}

QStringList Config::validate() const
{
    QStringList lines;
    for (const ConfigProblem &problem : problems())
        lines << problem.message;
    return lines;
}

TokenCounting EmbedderConfig::tokenCounting() const
{
    return kind == QLatin1String("openai") && !usesCl100k(model) ? TokenCounting::Estimate : TokenCounting::Cl100k;
}

ChunkingConfig Config::effectiveChunking() const
{
    ChunkingConfig effective = chunking;
    effective.counting = embedder.tokenCounting();
    return effective;
}

QString Config::effectiveDatabaseUrl() const
{
    return databaseUrl.isEmpty() ? defaultDatabasePath() : databaseUrl;
}

int Config::effectiveParseConcurrency() const
{
    return parser.kind == QLatin1String("local") ? engine.parseConcurrency : engine.remoteParseConcurrency;
}

int Config::effectiveEmbedConcurrency() const
{
    return embedder.kind == QLatin1String("local") ? engine.embedConcurrency : engine.remoteEmbedConcurrency;
}

namespace {

// Qt's App*Location is <organization>/<application>, both "docpipe": one level is enough. Releases
// before used the two-level folder; a file found only there stays in use (see legacyFolderNote()).
QString oneLevelOrLegacy(QStandardPaths::StandardLocation generic, const QString &fileName)
{
    const QString folder = QStandardPaths::writableLocation(generic) + QStringLiteral("/docpipe");
    const QString current = folder + u'/' + fileName;
    const QString legacy = folder + QStringLiteral("/docpipe/") + fileName;
    return !QFileInfo::exists(current) && QFileInfo::exists(legacy) ? legacy : current;
}

} // namespace

QString Config::defaultDataFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/docpipe");
}

QString Config::defaultDatabasePath()
{
    // No folder is made here: only the commands that may create a database create it.
    return oneLevelOrLegacy(QStandardPaths::GenericDataLocation, QStringLiteral("docpipe.sqlite"));
}

QString Config::effectiveUploadDir() const
{
    if (!server.uploadDir.isEmpty())
        return server.uploadDir;
    return QDir(defaultDataFolder()).filePath(QStringLiteral("uploads"));
}

QString Config::defaultConfigPath()
{
    return oneLevelOrLegacy(QStandardPaths::GenericConfigLocation, QStringLiteral("docpipe.ini"));
}

QString Config::legacyFolderNote()
{
    const QString database = defaultDatabasePath();
    if (QFileInfo(database).absolutePath() == defaultDataFolder())
        return {};
    return ConfigText::tr("the database is in the folder of earlier releases, %1; to move it, stop Docpipe and move "
                          "%1/docpipe.sqlite* to %2/")
        .arg(QFileInfo(database).absolutePath(), defaultDataFolder());
}

} // namespace Docpipe
