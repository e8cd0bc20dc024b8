#include "config.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>

namespace Docpipe {

namespace {

// Problems are shown in the window (translated there) and printed by the CLI (in English). The
// context lupdate reads for them.
struct ConfigText
{
    Q_DECLARE_TR_FUNCTIONS(Docpipe::Config)
};

template <typename T>
void readInto(const QSettings &ini, const char *key, T &target)
{
    const QString k = QString::fromLatin1(key);
    if (ini.contains(k))
        target = ini.value(k).value<T>();
}

QString envOr(const char *name, const QString &fallback)
{
    const QString value = qEnvironmentVariable(name);
    return value.isEmpty() ? fallback : value;
}

} // namespace

Config Config::load(const QString &iniPath)
{
    Config c;
    if (!iniPath.isEmpty()) {
        const QSettings ini(iniPath, QSettings::IniFormat);
        readInto(ini, "database/url", c.databaseUrl);
        readInto(ini, "chunking/chunk_tokens", c.chunking.chunkTokens);
        readInto(ini, "chunking/overlap_tokens", c.chunking.overlapTokens);
        readInto(ini, "engine/parse_concurrency", c.engine.parseConcurrency);
        readInto(ini, "engine/chunk_concurrency", c.engine.chunkConcurrency);
        readInto(ini, "engine/embed_concurrency", c.engine.embedConcurrency);
        readInto(ini, "engine/remote_parse_concurrency", c.engine.remoteParseConcurrency);
        readInto(ini, "engine/remote_embed_concurrency", c.engine.remoteEmbedConcurrency);
        readInto(ini, "engine/lease_seconds", c.engine.leaseSeconds);
        readInto(ini, "engine/heartbeat_ms", c.engine.heartbeatMs);
        readInto(ini, "engine/poll_ms", c.engine.pollMs);
        readInto(ini, "engine/max_document_bytes", c.engine.maxDocumentBytes);
        readInto(ini, "retry/max_attempts", c.retry.maxAttempts);
        readInto(ini, "retry/base_delay_ms", c.retry.baseDelayMs);
        readInto(ini, "retry/max_delay_ms", c.retry.maxDelayMs);
        readInto(ini, "parser/kind", c.parser.kind);
        readInto(ini, "parser/llamaparse_base_url", c.parser.llamaBaseUrl);
        readInto(ini, "parser/llamaparse_poll_interval_ms", c.parser.llamaPollIntervalMs);
        readInto(ini, "parser/llamaparse_timeout_seconds", c.parser.llamaTimeoutSeconds);
        readInto(ini, "parser/llamaparse_request_timeout_ms", c.parser.llamaRequestTimeoutMs);
        readInto(ini, "parser/llamaparse_requests_per_minute", c.parser.llamaRequestsPerMinute);
        readInto(ini, "embedder/kind", c.embedder.kind);
        readInto(ini, "embedder/base_url", c.embedder.baseUrl);
        readInto(ini, "embedder/model", c.embedder.model);
        readInto(ini, "embedder/dimensions", c.embedder.dimensions);
        readInto(ini, "embedder/batch_size", c.embedder.batchSize);
        readInto(ini, "embedder/max_batch_tokens", c.embedder.maxBatchTokens);
        readInto(ini, "embedder/max_input_tokens", c.embedder.maxInputTokens);
        readInto(ini, "embedder/requests_per_minute", c.embedder.requestsPerMinute);
        readInto(ini, "embedder/tokens_per_minute", c.embedder.tokensPerMinute);
        readInto(ini, "embedder/request_timeout_ms", c.embedder.requestTimeoutMs);
        readInto(ini, "embedder/encoding_format", c.embedder.encodingFormat);
    }
    c.databaseUrl = envOr("DOCPIPE_DB", c.databaseUrl);
    c.embedder.apiKey = envOr("OPENAI_API_KEY", c.embedder.apiKey);
    c.embedder.baseUrl = envOr("OPENAI_BASE_URL", c.embedder.baseUrl);
    c.parser.llamaApiKey = envOr("LLAMA_CLOUD_API_KEY", c.parser.llamaApiKey);
    c.parser.llamaBaseUrl = envOr("LLAMA_CLOUD_BASE_URL", c.parser.llamaBaseUrl);
    return c;
}

void Config::save(const QString &iniPath) const
{
    QSettings ini(iniPath, QSettings::IniFormat);
    ini.setValue(QStringLiteral("database/url"), databaseUrl);
    ini.setValue(QStringLiteral("chunking/chunk_tokens"), chunking.chunkTokens);
    ini.setValue(QStringLiteral("chunking/overlap_tokens"), chunking.overlapTokens);
    ini.setValue(QStringLiteral("engine/parse_concurrency"), engine.parseConcurrency);
    ini.setValue(QStringLiteral("engine/chunk_concurrency"), engine.chunkConcurrency);
    ini.setValue(QStringLiteral("engine/embed_concurrency"), engine.embedConcurrency);
    ini.setValue(QStringLiteral("engine/remote_parse_concurrency"), engine.remoteParseConcurrency);
    ini.setValue(QStringLiteral("engine/remote_embed_concurrency"), engine.remoteEmbedConcurrency);
    ini.setValue(QStringLiteral("engine/lease_seconds"), engine.leaseSeconds);
    ini.setValue(QStringLiteral("engine/heartbeat_ms"), engine.heartbeatMs);
    ini.setValue(QStringLiteral("engine/poll_ms"), engine.pollMs);
    ini.setValue(QStringLiteral("engine/max_document_bytes"), engine.maxDocumentBytes);
    ini.setValue(QStringLiteral("retry/max_attempts"), retry.maxAttempts);
    ini.setValue(QStringLiteral("retry/base_delay_ms"), retry.baseDelayMs);
    ini.setValue(QStringLiteral("retry/max_delay_ms"), retry.maxDelayMs);
    ini.setValue(QStringLiteral("parser/kind"), parser.kind);
    ini.setValue(QStringLiteral("parser/llamaparse_base_url"), parser.llamaBaseUrl);
    ini.setValue(QStringLiteral("parser/llamaparse_poll_interval_ms"), parser.llamaPollIntervalMs);
    ini.setValue(QStringLiteral("parser/llamaparse_timeout_seconds"), parser.llamaTimeoutSeconds);
    ini.setValue(QStringLiteral("parser/llamaparse_request_timeout_ms"), parser.llamaRequestTimeoutMs);
    ini.setValue(QStringLiteral("parser/llamaparse_requests_per_minute"), parser.llamaRequestsPerMinute);
    ini.setValue(QStringLiteral("embedder/kind"), embedder.kind);
    ini.setValue(QStringLiteral("embedder/base_url"), embedder.baseUrl);
    ini.setValue(QStringLiteral("embedder/model"), embedder.model);
    ini.setValue(QStringLiteral("embedder/dimensions"), embedder.dimensions);
    ini.setValue(QStringLiteral("embedder/batch_size"), embedder.batchSize);
    ini.setValue(QStringLiteral("embedder/max_batch_tokens"), embedder.maxBatchTokens);
    ini.setValue(QStringLiteral("embedder/max_input_tokens"), embedder.maxInputTokens);
    ini.setValue(QStringLiteral("embedder/requests_per_minute"), embedder.requestsPerMinute);
    ini.setValue(QStringLiteral("embedder/tokens_per_minute"), embedder.tokensPerMinute);
    ini.setValue(QStringLiteral("embedder/request_timeout_ms"), embedder.requestTimeoutMs);
    ini.setValue(QStringLiteral("embedder/encoding_format"), embedder.encodingFormat);
    ini.sync();
}

QList<ConfigProblem> Config::problems() const
{
    QList<ConfigProblem> problems;
    const auto add = [&](const char *key, const QString &message) {
        problems.append({QString::fromLatin1(key), message});
    };
    const QString url = effectiveDatabaseUrl();
    if (url.startsWith(QLatin1String("postgres"))) {
        const QUrl parsed(url);
        if (!parsed.isValid() || parsed.host().isEmpty() || parsed.path().size() < 2)
            add("database/url", ConfigText::tr("database URL must look like postgresql://user:pass@host:port/db"));
    } else if (!QFileInfo(QFileInfo(url).absolutePath()).isDir()) {
        add("database/url", ConfigText::tr("database folder does not exist: %1").arg(QFileInfo(url).absolutePath()));
    }
    if (chunking.chunkTokens < 16 || chunking.chunkTokens > 8192)
        add("chunking/chunk_tokens",
            ConfigText::tr("chunk size must be between 16 and 8192 tokens (is %1)").arg(chunking.chunkTokens));
    if (chunking.overlapTokens < 0 || chunking.overlapTokens >= chunking.chunkTokens / 2)
        add("chunking/overlap_tokens",
            ConfigText::tr("chunk overlap must be at least 0 and less than half the chunk size (is %1)")
                .arg(chunking.overlapTokens));
    const auto checkConcurrency = [&](int value, const char *what, const char *key) {
        if (value < 1 || value > 256)
            add(key,
                ConfigText::tr("%1 concurrency must be between 1 and 256 (is %2)").arg(QLatin1String(what)).arg(value));
    };
    checkConcurrency(engine.parseConcurrency, "parse", "engine/parse_concurrency");
    checkConcurrency(engine.chunkConcurrency, "chunk", "engine/chunk_concurrency");
    checkConcurrency(engine.embedConcurrency, "embed", "engine/embed_concurrency");
    checkConcurrency(engine.remoteParseConcurrency, "remote parse", "engine/remote_parse_concurrency");
    checkConcurrency(engine.remoteEmbedConcurrency, "remote embed", "engine/remote_embed_concurrency");
    if (retry.maxAttempts < 1 || retry.maxAttempts > 100)
        add("retry/max_attempts",
            ConfigText::tr("retry attempts must be between 1 and 100 (is %1)").arg(retry.maxAttempts));
    if (parser.kind != QLatin1String("local") && parser.kind != QLatin1String("llamaparse"))
        add("parser/kind", ConfigText::tr("parser must be 'local' or 'llamaparse' (is '%1')").arg(parser.kind));
    if (embedder.kind != QLatin1String("local") && embedder.kind != QLatin1String("openai"))
        add("embedder/kind", ConfigText::tr("embedder must be 'local' or 'openai' (is '%1')").arg(embedder.kind));
    if (parser.kind == QLatin1String("llamaparse")) {
        const QUrl base(parser.llamaBaseUrl);
        if (!base.isValid() || !(base.scheme() == QLatin1String("http") || base.scheme() == QLatin1String("https")))
            add("parser/llamaparse_base_url", ConfigText::tr("LlamaParse base URL must be an http(s) URL"));
        if (parser.llamaApiKey.isEmpty())
            add("parser/llamaparse_api_key",
                ConfigText::tr("LlamaParse needs an API key (LLAMA_CLOUD_API_KEY or the keychain)"));
        if (parser.llamaPollIntervalMs < 10)
            add("parser/llamaparse_poll_interval_ms",
                ConfigText::tr("LlamaParse poll interval must be at least 10 ms (is %1)")
                    .arg(parser.llamaPollIntervalMs));
        if (parser.llamaTimeoutSeconds < 1)
            add("parser/llamaparse_timeout_seconds",
                ConfigText::tr("LlamaParse deadline must be at least 1 second (is %1)")
                    .arg(parser.llamaTimeoutSeconds));
        if (parser.llamaRequestTimeoutMs < 100)
            add("parser/llamaparse_request_timeout_ms",
                ConfigText::tr("LlamaParse request timeout must be at least 100 ms (is %1)")
                    .arg(parser.llamaRequestTimeoutMs));
    }
    if (embedder.kind == QLatin1String("openai")) {
        const QUrl base(embedder.baseUrl);
        if (!base.isValid() || !(base.scheme() == QLatin1String("http") || base.scheme() == QLatin1String("https")))
            add("embedder/base_url", ConfigText::tr("embedding base URL must be an http(s) URL"));
        if (embedder.batchSize < 1 || embedder.batchSize > 2048)
            add("embedder/batch_size",
                ConfigText::tr("embedding batch size must be between 1 and 2048 (is %1)").arg(embedder.batchSize));
        if (embedder.dimensions < 0 || embedder.dimensions > 16384)
            add("embedder/dimensions",
                ConfigText::tr("embedding dimensions must be between 0 and 16384 (is %1)").arg(embedder.dimensions));
        if (embedder.maxInputTokens < 16)
            add("embedder/max_input_tokens",
                ConfigText::tr("the per-input token limit must be at least 16 (is %1)").arg(embedder.maxInputTokens));
        else if (chunking.chunkTokens > embedder.maxInputTokens)
            add("chunking/chunk_tokens",
                ConfigText::tr("chunks of %1 tokens would be over the embedding model's limit of %2 tokens per input")
                    .arg(chunking.chunkTokens)
                    .arg(embedder.maxInputTokens));
        if (embedder.maxBatchTokens < embedder.maxInputTokens)
            add("embedder/max_batch_tokens",
                ConfigText::tr("the per-request token limit (%1) must hold at least one input (%2)")
                    .arg(embedder.maxBatchTokens)
                    .arg(embedder.maxInputTokens));
        if (embedder.requestTimeoutMs < 100)
            add("embedder/request_timeout_ms",
                ConfigText::tr("the embedding request timeout must be at least 100 ms (is %1)")
                    .arg(embedder.requestTimeoutMs));
        if (embedder.encodingFormat != QLatin1String("base64") && embedder.encodingFormat != QLatin1String("float"))
            add("embedder/encoding_format",
                ConfigText::tr("embedding encoding must be 'base64' or 'float' (is '%1')")
                    .arg(embedder.encodingFormat));
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

QString Config::defaultDatabasePath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return QDir(dir).filePath(QStringLiteral("docpipe.sqlite"));
}

QString Config::defaultConfigPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("docpipe.ini"));
}

} // namespace Docpipe
