// Docpipe's configuration: one value type, read from an INI file, the environment and flags.
// Every front end (window, CLI, tests) reads and writes the same keys through this file.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Docpipe {

// How chunk sizes are counted. Not a setting: it follows the embedding model (see
// Config::effectiveChunking), because a limit is only exact in the model's own tokens.
enum class TokenCounting {
    Cl100k, // exact cl100k_base: OpenAI's embedding models, and the local embedder
    Estimate, // the conservative estimate: other models, whose tokenizers Docpipe does not ship
};

struct ChunkingConfig
{
    int chunkTokens = 512;
    int overlapTokens = 64;
    TokenCounting counting = TokenCounting::Cl100k;
};

struct EngineConfig
{
    int parseConcurrency = 2;
    int chunkConcurrency = 2;
    int embedConcurrency = 2;
    // Used instead of the two above when the stage calls a remote service: I/O-bound work may
    // run wider than the cores.
    int remoteParseConcurrency = 8;
    int remoteEmbedConcurrency = 8;
    int leaseSeconds = 30;
    int heartbeatMs = 5000;
    int pollMs = 250; // how often to look for work when nothing tells us (SQLite, or no notification connection)
    // PostgreSQL: workers and windows are woken by notifications (LISTEN on a dedicated connection);
    // this slow poll is only the safety net. Off: poll every pollMs (e.g. behind PgBouncer in
    // transaction mode, where LISTEN does not work).
    bool notifications = true;
    int safetyPollSeconds = 5;
    // A job whose worker was lost this many times (lease expired) fails as worker_lost.
    int maxRescues = 3;
    qint64 maxDocumentBytes = 64LL * 1024 * 1024; // bounds memory per document in flight
    // Stage work is admitted while its estimated memory fits in this (engine/memorybudget.h); a
    // job bigger than all of it still runs, alone.
    int memoryBudgetMb = 128;
};

// Reading dropped and watched folders.
struct IngestConfig
{
    // Also read what symbolic links lead to outside the folder (the CLI's --follow-symlinks); off:
    // such links are skipped and named.
    bool followSymlinks = false;
};

// Watched folders (the list itself is in the database, so every worker agrees on it).
struct WatchConfig
{
    bool enabled = true; // this worker (or window) scans the watched folders
    int rescanSeconds = 15; // a full rescan also catches what file-system notifications miss (network shares)
    int settleMs = 1000; // a file is read once its size and time stayed the same this long
};

struct RetryConfig
{
    int maxAttempts = 5;
    int baseDelayMs = 1000;
    int maxDelayMs = 5 * 60 * 1000;
};

struct ParserConfig
{
    QString kind = QStringLiteral("local"); // local | llamaparse
    QString llamaBaseUrl = QStringLiteral("https://api.cloud.llamaindex.ai");
    QString llamaApi = QStringLiteral("v2"); // v2 | v1 (the older API, kept for accounts that need it)
    QString llamaTier = QStringLiteral("cost_effective"); // v2: fast | cost_effective | agentic | agentic_plus
    QString llamaVersion = QStringLiteral("latest"); // v2: latest, or a dated version such as 2026-08-19
    QString llamaApiKey; // from keychain or LLAMA_CLOUD_API_KEY, never the INI
    int llamaPollIntervalMs = 1000; // first wait between polls; grows to 8x
    int llamaTimeoutSeconds = 1800; // overall deadline per document
    int llamaRequestTimeoutMs = 60000; // per request, without a byte moving
    int llamaRequestsPerMinute = 0; // 0: unlimited until the server says otherwise
};

// OCR by the local parser (Tesseract): PDF pages whose text layer is empty or nearly so, and
// images (PNG, JPEG, TIFF), are rendered and read.
struct OcrConfig
{
    bool enabled = true;
    QString languages = QStringLiteral("eng"); // Tesseract language codes joined by '+', e.g. "eng+deu"
    int dpi = 300; // the resolution a PDF page is rendered at for OCR
    int minTextChars = 16; // a PDF page whose text layer has fewer visible characters is OCRed
    int minConfidence = 60; // a page read with a lower mean word confidence (0-100) gives a warning
};

struct EmbedderConfig
{
    QString kind = QStringLiteral("local"); // local | openai
    QString baseUrl = QStringLiteral("https://api.openai.com/v1");
    QString apiKey; // from keychain or OPENAI_API_KEY, never the INI
    QString model; // empty: the kind's default
    int dimensions = 0; // 0: the model's default
    int batchSize = 256;
    int maxBatchTokens = 300000;
    int maxInputTokens = 8192;
    int requestsPerMinute = 0; // 0: unlimited until the server says otherwise
    int tokensPerMinute = 0;
    int requestTimeoutMs = 60000;
    QString encodingFormat = QStringLiteral("base64"); // base64 (float when refused) | float

    // Exact cl100k_base for OpenAI's models (and the local embedder, whose limit is only a size);
    // the conservative estimate for other models served through the OpenAI API (Ollama, TEI, ...).
    TokenCounting tokenCounting() const;
};

// Alert rules evaluated against the database by every worker and the window (core/alerts), and
// where their notices go. The thresholds are also the amber/red limits of the window's status bar.
struct AlertsConfig
{
    int checkIntervalSeconds = 15;
    int failureWindowMinutes = 10; // failure rate: over the jobs that ended in this window,
    int failureMinCount = 5; // at least this many failed
    int failureRatePercent = 20; // and they are more than this share of them
    int stuckMinutes = 60; // a job waiting or running in one stage for longer
    int workerSilenceSeconds = 60; // a worker whose heartbeat is older is not live
    qint64 minFreeDiskMb = 1024; // where the database and the uploads live
    int serviceWindowMinutes = 10; // outages and exhausted quota are read from this window
    int outageMinErrors = 3; // connection errors, timeouts and 5xx with no success since
    int queueGrowthMinutes = 15; // a stage's queue growing for this long
    int maxMemoryMb = 4096; // the window's memory indicator: amber from 75%, red above
    QString webhookUrl; // alerts/webhook_url, else DOCPIPE_ALERT_WEBHOOK; may hold a token
    bool webhookUrlFromEnvironment = false; // then save() does not write it to the INI
    int webhookTimeoutMs = 10000;
    int webhookAttempts = 3;
};

// What the database may forget (core/store/retention.h): events and intermediate rows of jobs
// that ended longer ago than this, pruned by every running engine 10 minutes after it starts and
// then hourly.
struct RetentionConfig
{
    int days = 90; // 0: keep everything
};

// The HTTP service (server/): health, readiness, Prometheus metrics and the /v1 API of a worker,
// of `docpipe-cli serve` and of the window. Off unless `listen` is set.
struct ServerConfig
{
    QString listen; // "[HOST:]PORT"; empty: no HTTP service (the window's server/listen)
    QString uploadDir; // where POST /v1/documents spools files; empty: <app data>/uploads
    bool openProbes = true; // /healthz, /readyz and /metrics without a token
    int maxConnections = 64; // more are answered 503 and closed
    int readyDbTimeoutMs = 2000; // /readyz: the database must answer within this
    QString apiToken; // server/api_token, else DOCPIPE_API_TOKEN (or the keychain, in the window)
    bool apiTokenFromEnvironment = false; // then save() does not write it to the INI
};

// What the window shows (the engine does not read these).
struct WindowConfig
{
    // A running job whose progress has not moved for this long shows as stalled, not working.
    int stalledAfterSeconds = 300;
};

// One thing wrong with a configuration: the INI key it concerns (so a form can show the reason
// beside the field) and a sentence for a person.
struct ConfigProblem
{
    QString key; // e.g. "embedder/base_url"
    QString message;
};

struct Config
{
    QString databaseUrl; // sqlite file path or postgresql://...; empty: the app-data SQLite
    ChunkingConfig chunking;
    EngineConfig engine;
    RetryConfig retry;
    ParserConfig parser;
    OcrConfig ocr;
    EmbedderConfig embedder;
    WatchConfig watch;
    IngestConfig ingest;
    AlertsConfig alerts;
    RetentionConfig retention;
    ServerConfig server;
    WindowConfig window;
    // What load() could not read (a number that is not one); reported first by problems().
    QList<ConfigProblem> readProblems;

    // Reads `iniPath` (if not empty) over the defaults, then the ecosystem's environment
    // variables (OPENAI_API_KEY, OPENAI_BASE_URL, LLAMA_CLOUD_API_KEY, LLAMA_CLOUD_BASE_URL,
    // DOCPIPE_DB, DOCPIPE_ALERT_WEBHOOK when the INI has no webhook, DOCPIPE_API_TOKEN when it has
    // no API token). Never fails: problems are reported by validate().
    static Config load(const QString &iniPath = {});
    // Writes everything except the API keys, which belong in the keychain.
    void save(const QString &iniPath) const;
    // Every problem, keyed by INI key; empty when the configuration is usable.
    QList<ConfigProblem> problems() const;
    // The same, one line per problem.
    QStringList validate() const;

    QString effectiveDatabaseUrl() const;
    // The chunking settings with the token counting of the configured embedding model.
    ChunkingConfig effectiveChunking() const;
    // The stage concurrency in use: the remote limits when the stage calls a remote service.
    int effectiveParseConcurrency() const;
    int effectiveEmbedConcurrency() const;
    // The platform's data folder for Docpipe (~/.local/share/docpipe on Linux).
    static QString defaultDataFolder();
    // docpipe.sqlite in defaultDataFolder(), or where earlier releases put it when only that exists.
    static QString defaultDatabasePath();
    // Where API uploads are spooled: server/upload_dir, else <app data>/uploads.
    QString effectiveUploadDir() const;
    // When the default database is still in the earlier releases' folder: how to move it; else empty.
    static QString legacyFolderNote();
    // The window's settings file (the platform's config folder), used when no --config is given.
    static QString defaultConfigPath();
};

} // namespace Docpipe
