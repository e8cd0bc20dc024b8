// docpipe-cli mock-server: Docpipe's stand-in for LlamaParse and OpenAI embeddings, on loopback,
// until SIGINT/SIGTERM. Its first line on stdout is "listening on http://HOST:PORT".
#include "cli.h"
#include "signalwatcher.h"

#include "mockserver.h"

#include <QCoreApplication>

#include <functional>

namespace Docpipe::Cli {

namespace {

using Services::MockServerOptions;

struct NumberOption
{
    const char *name;
    const char *help;
    double minimum;
    double maximum;
    std::function<void(MockServerOptions &, double)> apply;
};

const QList<NumberOption> &numberOptions()
{
    static const QList<NumberOption> list{
        {"port", "Port; 0 picks a free one (default 0).", 0, 65535,
         [](MockServerOptions &o, double v) { o.port = quint16(v); }},
        {"latency-ms", "Delay of every answer (default 0).", 0, 600000,
         [](MockServerOptions &o, double v) { o.latencyMs = int(v); }},
        {"jitter-ms", "Extra random delay, up to this (default 0).", 0, 600000,
         [](MockServerOptions &o, double v) { o.jitterMs = int(v); }},
        {"fail-rate", "Share of requests answered 500 or 503 (default 0).", 0, 1,
         [](MockServerOptions &o, double v) { o.failRate = v; }},
        {"rpm", "Requests per minute per API; 0 is unlimited (default 0).", 0, 1e9,
         [](MockServerOptions &o, double v) { o.requestsPerMinute = int(v); }},
        {"tpm", "Embedding tokens per minute; 0 is unlimited (default 0).", 0, 1e9,
         [](MockServerOptions &o, double v) { o.tokensPerMinute = int(v); }},
        {"burst-seconds", "Unused allowance that may pile up, in seconds of the limit (default 60).", 1, 3600,
         [](MockServerOptions &o, double v) { o.burstSeconds = int(v); }},
        {"seed", "Seed of every random fault and jitter (default 1).", 0, 4294967295.0,
         [](MockServerOptions &o, double v) { o.seed = quint32(v); }},
        {"dimensions", "Embedding dimensions when a request names none (default 1536).", 1, 16384,
         [](MockServerOptions &o, double v) { o.dimensions = int(v); }},
        {"parse-ms", "Least time a parse job stays PENDING (default 200).", 0, 3600000,
         [](MockServerOptions &o, double v) { o.parseMs = int(v); }},
    };
    return list;
}

} // namespace

int runMockServer(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral(
            "Serve mock LlamaParse (v1 upload/job/result) and OpenAI /v1/embeddings on loopback, with injectable "
            "faults.\n"
            "Control: GET /_mock/stats, POST /_mock/faults {\"faults\":[{\"route\",\"fault\",\"count\",\"rate\"}]}, "
            "DELETE /_mock/faults, POST /_mock/outage?seconds=N, POST /_mock/reset.\n"
            "Routes: embeddings, parse_upload, parse_status, parse_result, parse, any. Faults: ")
        + Services::faultNames().join(QStringLiteral(", ")) + u'.');
    addGlobalOptions(parser);
    parser.addOption({QStringLiteral("host"), QStringLiteral("Address to listen on (default 127.0.0.1)."),
                      QStringLiteral("host"), QStringLiteral("127.0.0.1")});
    parser.addOption({QStringLiteral("api-key"),
                      QStringLiteral("Accept only this key; repeat for more (default: any)."), QStringLiteral("key")});
    parser.addOption(
        {QStringLiteral("no-base64"), QStringLiteral("Refuse encoding_format \"base64\", as older servers do.")});
    for (const NumberOption &option : numberOptions())
        parser.addOption({QString::fromLatin1(option.name), QString::fromLatin1(option.help), QStringLiteral("n")});
    if (!parseCommandLine(parser, QStringLiteral("mock-server"), context.args))
        return 2;

    MockServerOptions options;
    options.host = parser.value(QStringLiteral("host"));
    options.apiKeys = parser.values(QStringLiteral("api-key"));
    options.base64 = !parser.isSet(QStringLiteral("no-base64"));
    for (const NumberOption &option : numberOptions()) {
        const QString name = QString::fromLatin1(option.name);
        if (!parser.isSet(name))
            continue;
        bool ok = false;
        const double value = parser.value(name).toDouble(&ok);
        if (!ok || value < option.minimum || value > option.maximum)
            return fail(QStringLiteral("--%1 must be a number from %2 to %3, not '%4'")
                            .arg(name)
                            .arg(option.minimum)
                            .arg(option.maximum)
                            .arg(parser.value(name)),
                        2);
        option.apply(options, value);
    }

    Services::MockServer server(options);
    QString error;
    if (!server.listen(&error))
        return fail(error);
    out() << "listening on " << server.url().toString() << Qt::endl;
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &server, [] { QCoreApplication::quit(); });
    QCoreApplication::exec();
    return 0;
}

} // namespace Docpipe::Cli
