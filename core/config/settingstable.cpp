#include "settingstable.h"

#include "config.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>

namespace Docpipe {

namespace {

struct ConfigText
{
    Q_DECLARE_TR_FUNCTIONS(Docpipe::Config)
};

bool openAiEmbedder(const Config &c)
{
    return c.embedder.kind == QLatin1String("openai");
}

bool llamaParser(const Config &c)
{
    return c.parser.kind == QLatin1String("llamaparse");
}

bool llamaParserV2(const Config &c)
{
    return llamaParser(c) && c.parser.llamaApi == QLatin1String("v2");
}

// OCR is the local parser's: LlamaParse reads scans itself.
bool localOcr(const Config &c)
{
    return c.ocr.enabled && c.parser.kind == QLatin1String("local");
}

bool hasWebhook(const Config &c)
{
    return !c.alerts.webhookUrl.isEmpty();
}

constexpr qint64 kDayMs = 24LL * 3600 * 1000;
constexpr qint64 kNoMax = std::numeric_limits<qint64>::max();

#define FIELD(type, member) static_cast<type>([](Config & c) -> auto & { return c.member; })
#define INT(member) FIELD(Setting::IntField, member)
#define INT64(member) FIELD(Setting::Int64Field, member)
#define TEXT(member) FIELD(Setting::StringField, member)
#define BOOL(member) FIELD(Setting::BoolField, member)

QString withUnit(qint64 number, const char *unit)
{
    if (!*unit)
        return QString::number(number);
    return QStringLiteral("%1 %2").arg(number).arg(ConfigText::tr(unit));
}

// "[HOST:]PORT" with a port in 1..65535 (the full parsing is the server's; this is its shape).
QString listenAddressProblem(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    bool ok = false;
    const int port = text.mid(colon + 1).toInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return QStringLiteral("port");
    if (colon == 0)
        return QStringLiteral("host");
    return {};
}

QString choiceList(const QStringList &choices)
{
    QStringList quoted;
    for (const QString &choice : choices)
        quoted << u'\'' + choice + u'\'';
    if (quoted.size() == 2)
        return ConfigText::tr("%1 or %2").arg(quoted.at(0), quoted.at(1));
    return ConfigText::tr("one of %1").arg(quoted.join(QStringLiteral(", ")));
}

} // namespace

// Labels and units are marked for translation here and translated where a problem is worded.
const QList<Setting> &settingsTable()
{
    static const QList<Setting> table{
        {"database/url", TEXT(databaseUrl), QT_TRANSLATE_NOOP("Docpipe::Config", "database URL")},

        {"chunking/chunk_tokens", INT(chunking.chunkTokens), QT_TRANSLATE_NOOP("Docpipe::Config", "chunk size"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "tokens"), 16, 8192},
        {"chunking/overlap_tokens", INT(chunking.overlapTokens), QT_TRANSLATE_NOOP("Docpipe::Config", "chunk overlap"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "tokens"), 0},

        {"engine/parse_concurrency", INT(engine.parseConcurrency),
         QT_TRANSLATE_NOOP("Docpipe::Config", "parse concurrency"), "", 1, 256},
        {"engine/chunk_concurrency", INT(engine.chunkConcurrency),
         QT_TRANSLATE_NOOP("Docpipe::Config", "chunk concurrency"), "", 1, 256},
        {"engine/embed_concurrency", INT(engine.embedConcurrency),
         QT_TRANSLATE_NOOP("Docpipe::Config", "embed concurrency"), "", 1, 256},
        {"engine/remote_parse_concurrency", INT(engine.remoteParseConcurrency),
         QT_TRANSLATE_NOOP("Docpipe::Config", "remote parse concurrency"), "", 1, 256},
        {"engine/remote_embed_concurrency", INT(engine.remoteEmbedConcurrency),
         QT_TRANSLATE_NOOP("Docpipe::Config", "remote embed concurrency"), "", 1, 256},
        {"engine/lease_seconds", INT(engine.leaseSeconds), QT_TRANSLATE_NOOP("Docpipe::Config", "lease"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "seconds"), 1, 24 * 3600},
        {"engine/heartbeat_ms", INT(engine.heartbeatMs), QT_TRANSLATE_NOOP("Docpipe::Config", "heartbeat interval"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "ms"), 50, 3600 * 1000},
        {"engine/poll_ms", INT(engine.pollMs), QT_TRANSLATE_NOOP("Docpipe::Config", "poll interval"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "ms"), 10, kDayMs},
        {"engine/notifications", BOOL(engine.notifications),
         QT_TRANSLATE_NOOP("Docpipe::Config", "wake-up by database notifications")},
        {"engine/safety_poll_seconds", INT(engine.safetyPollSeconds),
         QT_TRANSLATE_NOOP("Docpipe::Config", "safety-net poll interval with notifications"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "seconds"), 1, 3600},
        {"engine/max_rescues", INT(engine.maxRescues), QT_TRANSLATE_NOOP("Docpipe::Config", "rescues of a job"), "", 1,
         100},
        {"engine/max_document_bytes", INT64(engine.maxDocumentBytes),
         QT_TRANSLATE_NOOP("Docpipe::Config", "document size limit"), QT_TRANSLATE_NOOP("Docpipe::Config", "bytes"), 1},
        {"engine/memory_budget_mb", INT(engine.memoryBudgetMb), QT_TRANSLATE_NOOP("Docpipe::Config", "memory budget"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "MB"), 16, 1024 * 1024},

        {"ingest/follow_symlinks", BOOL(ingest.followSymlinks),
         QT_TRANSLATE_NOOP("Docpipe::Config", "following symbolic links out of a folder")},

        {"watch/enabled", BOOL(watch.enabled), QT_TRANSLATE_NOOP("Docpipe::Config", "watching folders")},
        {"watch/rescan_seconds", INT(watch.rescanSeconds),
         QT_TRANSLATE_NOOP("Docpipe::Config", "folder rescan interval"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "seconds"), 1, 24 * 3600},
        {"watch/settle_ms", INT(watch.settleMs), QT_TRANSLATE_NOOP("Docpipe::Config", "settle time of a written file"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "ms"), 0, 3600 * 1000},

        {"retry/max_attempts", INT(retry.maxAttempts), QT_TRANSLATE_NOOP("Docpipe::Config", "retry attempts"), "", 1,
         100},
        {"retry/base_delay_ms", INT(retry.baseDelayMs), QT_TRANSLATE_NOOP("Docpipe::Config", "first retry delay"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "ms"), 0, kDayMs},
        {"retry/max_delay_ms", INT(retry.maxDelayMs), QT_TRANSLATE_NOOP("Docpipe::Config", "longest retry delay"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "ms"), 0, 7 * kDayMs},

        {"parser/kind",
         TEXT(parser.kind),
         QT_TRANSLATE_NOOP("Docpipe::Config", "parser"),
         "",
         0,
         0,
         {QStringLiteral("local"), QStringLiteral("llamaparse")}},
        {"parser/llamaparse_base_url",
         TEXT(parser.llamaBaseUrl),
         QT_TRANSLATE_NOOP("Docpipe::Config", "LlamaParse base URL"),
         "",
         0,
         0,
         {},
         llamaParser,
         "http"},
        {"parser/llamaparse_api",
         TEXT(parser.llamaApi),
         QT_TRANSLATE_NOOP("Docpipe::Config", "LlamaParse API"),
         "",
         0,
         0,
         {QStringLiteral("v2"), QStringLiteral("v1")},
         llamaParser},
        {"parser/llamaparse_tier",
         TEXT(parser.llamaTier),
         QT_TRANSLATE_NOOP("Docpipe::Config", "LlamaParse tier"),
         "",
         0,
         0,
         {QStringLiteral("fast"), QStringLiteral("cost_effective"), QStringLiteral("agentic"),
          QStringLiteral("agentic_plus")},
         llamaParserV2},
        {"parser/llamaparse_version",
         TEXT(parser.llamaVersion),
         QT_TRANSLATE_NOOP("Docpipe::Config", "LlamaParse version"),
         "",
         0,
         0,
         {},
         llamaParserV2,
         "version"},
        {"parser/llamaparse_poll_interval_ms",
         INT(parser.llamaPollIntervalMs),
         QT_TRANSLATE_NOOP("Docpipe::Config", "LlamaParse poll interval"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "ms"),
         10,
         kDayMs,
         {},
         llamaParser},
        {"parser/llamaparse_timeout_seconds",
         INT(parser.llamaTimeoutSeconds),
         QT_TRANSLATE_NOOP("Docpipe::Config", "LlamaParse deadline"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "seconds"),
         1,
         7 * 24 * 3600,
         {},
         llamaParser},
        {"parser/llamaparse_request_timeout_ms",
         INT(parser.llamaRequestTimeoutMs),
         QT_TRANSLATE_NOOP("Docpipe::Config", "LlamaParse request timeout"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "ms"),
         100,
         kDayMs,
         {},
         llamaParser},
        {"parser/llamaparse_requests_per_minute",
         INT(parser.llamaRequestsPerMinute),
         QT_TRANSLATE_NOOP("Docpipe::Config", "LlamaParse requests per minute"),
         "",
         0,
         kNoMax,
         {},
         llamaParser},

        {"ocr/enabled", BOOL(ocr.enabled), QT_TRANSLATE_NOOP("Docpipe::Config", "OCR of pages without text")},
        {"ocr/languages",
         TEXT(ocr.languages),
         QT_TRANSLATE_NOOP("Docpipe::Config", "OCR languages"),
         "",
         0,
         0,
         {},
         localOcr,
         "languages"},
        {"ocr/dpi",
         INT(ocr.dpi),
         QT_TRANSLATE_NOOP("Docpipe::Config", "OCR resolution"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "dpi"),
         70,
         600,
         {},
         localOcr},
        {"ocr/min_text_chars",
         INT(ocr.minTextChars),
         QT_TRANSLATE_NOOP("Docpipe::Config", "text below which a PDF page is OCRed"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "characters"),
         1,
         100000,
         {},
         localOcr},
        {"ocr/min_confidence",
         INT(ocr.minConfidence),
         QT_TRANSLATE_NOOP("Docpipe::Config", "OCR confidence below which a page gives a warning"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "%"),
         0,
         100,
         {},
         localOcr},

        {"embedder/kind",
         TEXT(embedder.kind),
         QT_TRANSLATE_NOOP("Docpipe::Config", "embedder"),
         "",
         0,
         0,
         {QStringLiteral("local"), QStringLiteral("openai")}},
        {"embedder/base_url",
         TEXT(embedder.baseUrl),
         QT_TRANSLATE_NOOP("Docpipe::Config", "embedding base URL"),
         "",
         0,
         0,
         {},
         openAiEmbedder,
         "http"},
        {"embedder/model", TEXT(embedder.model), QT_TRANSLATE_NOOP("Docpipe::Config", "embedding model")},
        {"embedder/dimensions",
         INT(embedder.dimensions),
         QT_TRANSLATE_NOOP("Docpipe::Config", "embedding dimensions"),
         "",
         0,
         16384,
         {},
         openAiEmbedder},
        {"embedder/batch_size",
         INT(embedder.batchSize),
         QT_TRANSLATE_NOOP("Docpipe::Config", "embedding batch size"),
         "",
         1,
         2048,
         {},
         openAiEmbedder},
        {"embedder/max_batch_tokens",
         INT(embedder.maxBatchTokens),
         QT_TRANSLATE_NOOP("Docpipe::Config", "per-request token limit"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "tokens"),
         1,
         kNoMax,
         {},
         openAiEmbedder},
        {"embedder/max_input_tokens",
         INT(embedder.maxInputTokens),
         QT_TRANSLATE_NOOP("Docpipe::Config", "per-input token limit"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "tokens"),
         16,
         kNoMax,
         {},
         openAiEmbedder},
        {"embedder/requests_per_minute",
         INT(embedder.requestsPerMinute),
         QT_TRANSLATE_NOOP("Docpipe::Config", "embedding requests per minute"),
         "",
         0,
         kNoMax,
         {},
         openAiEmbedder},
        {"embedder/tokens_per_minute",
         INT(embedder.tokensPerMinute),
         QT_TRANSLATE_NOOP("Docpipe::Config", "embedding tokens per minute"),
         "",
         0,
         kNoMax,
         {},
         openAiEmbedder},
        {"embedder/request_timeout_ms",
         INT(embedder.requestTimeoutMs),
         QT_TRANSLATE_NOOP("Docpipe::Config", "embedding request timeout"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "ms"),
         100,
         kDayMs,
         {},
         openAiEmbedder},
        {"embedder/encoding_format",
         TEXT(embedder.encodingFormat),
         QT_TRANSLATE_NOOP("Docpipe::Config", "embedding encoding"),
         "",
         0,
         0,
         {QStringLiteral("base64"), QStringLiteral("float")},
         openAiEmbedder},

        {"retention/days", INT(retention.days),
         QT_TRANSLATE_NOOP("Docpipe::Config", "retention of finished jobs' events and intermediate data"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "days"), 0, 100 * 365},

        {"window/stalled_after_seconds", INT(window.stalledAfterSeconds),
         QT_TRANSLATE_NOOP("Docpipe::Config", "time without progress before a job shows as stalled"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "seconds"), 10, 7 * 24 * 3600},

        {"alerts/check_interval_seconds", INT(alerts.checkIntervalSeconds),
         QT_TRANSLATE_NOOP("Docpipe::Config", "alert check interval"), QT_TRANSLATE_NOOP("Docpipe::Config", "seconds"),
         1, 3600},
        {"alerts/failure_window_minutes", INT(alerts.failureWindowMinutes),
         QT_TRANSLATE_NOOP("Docpipe::Config", "failure rate window"), QT_TRANSLATE_NOOP("Docpipe::Config", "minutes"),
         1, 7 * 24 * 60},
        {"alerts/failure_min_count", INT(alerts.failureMinCount),
         QT_TRANSLATE_NOOP("Docpipe::Config", "failures before a failure rate alert"), "", 1, kNoMax},
        {"alerts/failure_rate_percent", INT(alerts.failureRatePercent),
         QT_TRANSLATE_NOOP("Docpipe::Config", "failure rate alert threshold"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "%"), 0, 100},
        {"alerts/stuck_minutes", INT(alerts.stuckMinutes), QT_TRANSLATE_NOOP("Docpipe::Config", "stuck job limit"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "minutes"), 1, 30 * 24 * 60},
        {"alerts/worker_silence_seconds", INT(alerts.workerSilenceSeconds),
         QT_TRANSLATE_NOOP("Docpipe::Config", "silence before a worker counts as gone"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "seconds"), 1, 24 * 3600},
        {"alerts/min_free_disk_mb", INT64(alerts.minFreeDiskMb),
         QT_TRANSLATE_NOOP("Docpipe::Config", "free disk alert threshold"), QT_TRANSLATE_NOOP("Docpipe::Config", "MB"),
         0},
        {"alerts/service_window_minutes", INT(alerts.serviceWindowMinutes),
         QT_TRANSLATE_NOOP("Docpipe::Config", "service outage window"), QT_TRANSLATE_NOOP("Docpipe::Config", "minutes"),
         1, 24 * 60},
        {"alerts/outage_min_errors", INT(alerts.outageMinErrors),
         QT_TRANSLATE_NOOP("Docpipe::Config", "errors before an outage alert"), "", 1, kNoMax},
        {"alerts/queue_growth_minutes", INT(alerts.queueGrowthMinutes),
         QT_TRANSLATE_NOOP("Docpipe::Config", "queue growth alert span"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "minutes"), 1, 24 * 60},
        {"alerts/max_memory_mb", INT(alerts.maxMemoryMb), QT_TRANSLATE_NOOP("Docpipe::Config", "memory warning limit"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "MB"), 64, 1024 * 1024},
        {"alerts/webhook_url",
         TEXT(alerts.webhookUrl),
         QT_TRANSLATE_NOOP("Docpipe::Config", "alert webhook URL"),
         "",
         0,
         0,
         {},
         hasWebhook,
         "http"},
        {"alerts/webhook_timeout_ms", INT(alerts.webhookTimeoutMs),
         QT_TRANSLATE_NOOP("Docpipe::Config", "alert webhook timeout"), QT_TRANSLATE_NOOP("Docpipe::Config", "ms"), 100,
         600 * 1000},
        {"alerts/webhook_attempts", INT(alerts.webhookAttempts),
         QT_TRANSLATE_NOOP("Docpipe::Config", "alert webhook attempts"), "", 1, 20},

        {"server/listen",
         TEXT(server.listen),
         QT_TRANSLATE_NOOP("Docpipe::Config", "HTTP service address"),
         "",
         0,
         0,
         {},
         nullptr,
         "listen"},
        {"server/upload_dir", TEXT(server.uploadDir), QT_TRANSLATE_NOOP("Docpipe::Config", "API upload folder")},
        {"server/open_probes", BOOL(server.openProbes),
         QT_TRANSLATE_NOOP("Docpipe::Config", "health and metrics without a token")},
        {"server/max_connections", INT(server.maxConnections),
         QT_TRANSLATE_NOOP("Docpipe::Config", "HTTP connection limit"), "", 1, 10000},
        {"server/ready_db_timeout_ms", INT(server.readyDbTimeoutMs),
         QT_TRANSLATE_NOOP("Docpipe::Config", "readiness database time limit"),
         QT_TRANSLATE_NOOP("Docpipe::Config", "ms"), 50, 60000},
        {"server/api_token", TEXT(server.apiToken), QT_TRANSLATE_NOOP("Docpipe::Config", "API token")},
    };
    return table;
}

const Setting *findSetting(const QString &key)
{
    for (const Setting &setting : settingsTable()) {
        if (key == QLatin1String(setting.key))
            return &setting;
    }
    return nullptr;
}

QVariant Setting::value(const Config &config) const
{
    Config &c = const_cast<Config &>(config); // the accessors only read here
    return std::visit([&](auto get) { return QVariant::fromValue(get(c)); }, field);
}

bool Setting::assign(Config &config, const QVariant &value) const
{
    const QString text = value.toString().trimmed();
    bool ok = true;
    if (auto *intField = std::get_if<IntField>(&field)) {
        const qint64 number = text.toLongLong(&ok);
        ok = ok && number >= std::numeric_limits<int>::min() && number <= std::numeric_limits<int>::max();
        if (ok)
            (*intField)(config) = int(number);
    } else if (auto *int64Field = std::get_if<Int64Field>(&field)) {
        const qint64 number = text.toLongLong(&ok);
        if (ok)
            (*int64Field)(config) = number;
    } else if (auto *boolField = std::get_if<BoolField>(&field)) {
        const QString lower = text.toLower();
        ok = QStringList{QStringLiteral("true"), QStringLiteral("false"), QStringLiteral("1"),  QStringLiteral("0"),
                         QStringLiteral("yes"),  QStringLiteral("no"),    QStringLiteral("on"), QStringLiteral("off")}
                 .contains(lower);
        if (ok)
            (*boolField)(config) = lower == QLatin1String("true") || lower == QLatin1String("1")
                || lower == QLatin1String("yes") || lower == QLatin1String("on");
    } else {
        std::get<StringField>(field)(config) = value.toString();
    }
    return ok;
}

QString Setting::problem(const Config &config) const
{
    if (applies && !applies(config))
        return {};
    const QString name = ConfigText::tr(label);
    Config &c = const_cast<Config &>(config);
    if (auto *stringField = std::get_if<StringField>(&field)) {
        const QString &text = (*stringField)(c);
        if (!choices.isEmpty() && !choices.contains(text))
            return ConfigText::tr("%1 must be %2 (is '%3')").arg(name, choiceList(choices), text);
        if (qstrcmp(format, "http") == 0) {
            const QUrl url(text);
            if (!url.isValid() || !(url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")))
                return ConfigText::tr("%1 must be an http(s) URL (is '%2')").arg(name, text);
        }
        if (qstrcmp(format, "listen") == 0 && !text.isEmpty() && !listenAddressProblem(text).isEmpty())
            return ConfigText::tr("%1 must be [HOST:]PORT (is '%2')").arg(name, text);
        static const QRegularExpression dated(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
        // Tesseract's language codes ("eng", "chi_sim", "script/Latin") joined by '+'.
        static const QRegularExpression languages(QStringLiteral("^[A-Za-z_/]+(\\+[A-Za-z_/]+)*$"));
        if (qstrcmp(format, "languages") == 0 && !languages.match(text).hasMatch())
            return ConfigText::tr("%1 must be Tesseract language codes joined by '+', such as eng+deu (is '%2')")
                .arg(name, text);
        if (qstrcmp(format, "version") == 0 && text != QLatin1String("latest") && !dated.match(text).hasMatch())
            return ConfigText::tr("%1 must be 'latest' or a date such as 2026-08-19 (is '%2')").arg(name, text);
        return {};
    }
    if (std::holds_alternative<BoolField>(field))
        return {};
    const qint64 number = std::holds_alternative<IntField>(field) ? qint64(std::get<IntField>(field)(c))
                                                                  : std::get<Int64Field>(field)(c);
    if (number >= minimum && number <= maximum)
        return {};
    const bool bounded = maximum != std::numeric_limits<qint64>::max();
    if (bounded && minimum != std::numeric_limits<qint64>::min())
        return ConfigText::tr("%1 must be between %2 and %3 (is %4)")
            .arg(name, QString::number(minimum), withUnit(maximum, unit), QString::number(number));
    if (bounded)
        return ConfigText::tr("%1 must be at most %2 (is %3)")
            .arg(name, withUnit(maximum, unit), QString::number(number));
    return ConfigText::tr("%1 must be at least %2 (is %3)").arg(name, withUnit(minimum, unit), QString::number(number));
}

} // namespace Docpipe
