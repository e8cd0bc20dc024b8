// Remote embedding under a rate limit: 5,000 chunks (the chunker's default size) through the
// OpenAI-compatible embedder from the engine's default number of remote threads, against the
// in-process mock server with 100 ms latency and limits of 3,000 requests and 1,000,000 tokens a
// minute. Prints the tokens per minute achieved as a share of the limit (target >= 85%), the
// 429s (target: the first one at most) and the wall time. Not a test: run it on demand.
//   bench_remote_embedding [--chunks N] [--chunk-tokens N] [--rpm N] [--tpm N] [--latency-ms N] [--threads N]
#include "../core/stages/chunking/prosegenerator.h"
#include "config/config.h"
#include "mockserver.h"
#include "mockvectors.h"
#include "services/openaiembedder.h"
#include "stages/chunking/chunker.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFuture>
#include <QMutex>
#include <QtConcurrent/QtConcurrentRun>
#include <QTextStream>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <atomic>

using namespace Docpipe;
using namespace Docpipe::Services;

namespace {

QList<Chunk> makeChunks(int count, int chunkTokens)
{
    ChunkingConfig chunking;
    chunking.chunkTokens = chunkTokens;
    chunking.overlapTokens = chunkTokens / 8;
    QList<Chunk> chunks;
    for (quint32 seed = 1; chunks.size() < count; ++seed)
        chunks += Stages::chunkDocument(Test::prosePages(40, 500, true, seed), chunking);
    chunks.resize(count);
    return chunks;
}

// Batches of the embedder's input count; at the chunker's sizes they stay far below its
// per-request token bound (asserted), so this is how the engine batches them too.
QList<QList<Chunk>> batchesOf(const QList<Chunk> &chunks, const Stages::Embedder &embedder)
{
    QList<QList<Chunk>> batches;
    for (qsizetype start = 0; start < chunks.size(); start += embedder.maxBatchSize()) {
        batches.append(chunks.mid(start, embedder.maxBatchSize()));
        qint64 tokens = 0;
        for (const Chunk &chunk : batches.last())
            tokens += chunk.tokens;
        if (tokens > embedder.maxBatchTokens())
            qFatal("a batch of %lld tokens is over the embedder's bound; use smaller --chunk-tokens", tokens);
    }
    return batches;
}

struct Outcome
{
    std::atomic<int> retries{0};
    std::atomic<int> wrongVectors{0};
    std::atomic<int> failures{0};
};

// One engine thread's loop: take a batch, embed it, retry transient errors after the wait the
// server asked for (as the engine's retry policy does).
void embedBatches(const OpenAiEmbedder &embedder, const QList<QList<Chunk>> &batches, std::atomic<int> &next,
                  Outcome &outcome)
{
    for (int index = next++; index < batches.size(); index = next++) {
        QStringList texts;
        for (const Chunk &chunk : batches.at(index))
            texts << chunk.text;
        for (;;) {
            const auto vectors = embedder.embed(texts, {});
            if (vectors.ok()) {
                for (qsizetype i = 0; i < texts.size(); ++i) {
                    if (vectors.value().at(i) != mockEmbedding(texts.at(i), embedder.dimensions()))
                        ++outcome.wrongVectors;
                }
                break;
            }
            if (!vectors.error().isTransient()) {
                ++outcome.failures;
                break;
            }
            ++outcome.retries;
            QThread::msleep(quint64(std::max<qint64>(100, vectors.error().retryAfterMs)));
        }
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const auto option = [&](const char *name, const char *fallback) {
        parser.addOption(
            {QString::fromLatin1(name), QString::fromLatin1(name), QStringLiteral("n"), QString::fromLatin1(fallback)});
    };
    option("chunks", "5000");
    option("chunk-tokens", "512");
    option("rpm", "3000");
    option("tpm", "1000000");
    option("latency-ms", "100");
    option("threads", "0");
    parser.process(app);
    const auto value = [&](const char *name) { return parser.value(QString::fromLatin1(name)).toInt(); };

    MockServerOptions options;
    options.latencyMs = value("latency-ms");
    options.requestsPerMinute = value("rpm");
    options.tokensPerMinute = value("tpm");
    MockServer mock(options);
    QString error;
    if (!mock.listen(&error))
        qFatal("%s", qPrintable(error));

    const QList<Chunk> chunks = makeChunks(value("chunks"), value("chunk-tokens"));
    EmbedderConfig embedderConfig; // the defaults: no limits configured, learnt from the server
    embedderConfig.kind = QStringLiteral("openai");
    embedderConfig.baseUrl = mock.url().toString();
    embedderConfig.apiKey = QStringLiteral("sk-bench");
    const OpenAiEmbedder embedder(embedderConfig);
    const QList<QList<Chunk>> batches = batchesOf(chunks, embedder);
    const int threads = value("threads") > 0 ? value("threads") : Config().engine.remoteEmbedConcurrency;

    QThreadPool pool;
    pool.setMaxThreadCount(threads);
    std::atomic<int> next{0};
    Outcome outcome;
    QElapsedTimer wall;
    wall.start();
    QList<QFuture<void>> workers;
    for (int t = 0; t < threads; ++t)
        workers << QtConcurrent::run(&pool, [&] { embedBatches(embedder, batches, next, outcome); });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (std::all_of(workers.cbegin(), workers.cend(), [](const QFuture<void> &f) { return f.isFinished(); }))
            app.quit();
    });
    poll.start(20);
    app.exec();
    const double minutes = double(wall.elapsed()) / 60000.0;

    const MockStats stats = mock.stats();
    const double tokensPerMinute = double(stats.embeddedTokens) / minutes;
    const double requestsPerMinute = double(stats.byRoute.value(QStringLiteral("embeddings"))) / minutes;
    QTextStream out(stdout);
    out << "remote embedding: " << chunks.size() << " chunks (" << stats.embeddedTokens << " tokens) in "
        << batches.size() << " batches from " << threads << " threads; mock latency " << options.latencyMs
        << " ms, limits " << options.requestsPerMinute << " requests/min and " << options.tokensPerMinute
        << " tokens/min\n"
        << "  wall time:            " << QString::number(minutes * 60.0, 'f', 1) << " s\n"
        << "  tokens/min achieved:  " << QString::number(tokensPerMinute, 'f', 0) << " = "
        << QString::number(100.0 * tokensPerMinute / options.tokensPerMinute, 'f', 1)
        << "% of the limit (target >= 85%)\n"
        << "  requests/min:         " << QString::number(requestsPerMinute, 'f', 0) << " = "
        << QString::number(100.0 * requestsPerMinute / options.requestsPerMinute, 'f', 1) << "% of the limit\n"
        << "  HTTP 429 answers:     " << stats.byStatus.value(429)
        << " (target <= 1); refused after the first: " << stats.refusedAfterFirst429 << "\n"
        << "  client retries:       " << outcome.retries.load() << ", failures: " << outcome.failures.load()
        << ", vectors not the server's: " << outcome.wrongVectors.load() << "\n";
    return outcome.failures.load() == 0 && outcome.wrongVectors.load() == 0 ? 0 : 1;
}
