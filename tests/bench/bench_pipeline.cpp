// The whole local pipeline on a folder of documents, against poppler's pdftotext run one process
// after another on the same PDFs (as a shell loop would). Prints pages/s, the ratio, per-stage
// p50/p95, the time of one long PDF from drop to embedded, and peak RSS. Not a ctest test.
//
//   bench_pipeline [--docs DIR] [--count N] [--pdf-pages P] [--max-pages M] [--db URL] [--seed S]
//
// Without --docs it generates N PDFs (the first with P pages, the others 1 to --max-pages pages).
#include "documentgenerator.h"
#include "engine/ingestor.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "pipelinerun.h"
#include "store/jobqueries.h"

#include <QCommandLineParser>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Docpipe;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

// Resident set size now and at its peak, in MB, from /proc/self/status.
struct Rss
{
    double currentMb = 0;
    double peakMb = 0;
};

Rss readRss()
{
    Rss rss;
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return rss;
    for (const QByteArray &line : status.readAll().split('\n')) {
        const auto kb
            = [&](const char *key) { return line.mid(qstrlen(key)).trimmed().split(' ').first().toDouble() / 1024.0; };
        if (line.startsWith("VmRSS:"))
            rss.currentMb = kb("VmRSS:");
        else if (line.startsWith("VmHWM:"))
            rss.peakMb = kb("VmHWM:");
    }
    return rss;
}

double percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype rank = qBound<qsizetype>(0, qsizetype(p * double(values.size()) + 0.999999) - 1, values.size() - 1);
    return double(values.at(rank));
}

QStringList writeCorpus(const QString &dir, int count, int longPages, int maxPages, quint32 seed)
{
    QStringList paths;
    QRandomGenerator random(seed);
    for (int i = 0; i < count; ++i) {
        const int pages = i == 0 ? longPages : 1 + int(random.bounded(qMax(1, maxPages)));
        const auto doc = Test::writePdf(dir, QStringLiteral("bench-%1.pdf").arg(i + 1, 4, 10, QChar(u'0')), pages,
                                        seed + quint32(i));
        if (!doc.path.isEmpty())
            paths << doc.path;
    }
    return paths;
}

QStringList pdfsIn(const QString &dir)
{
    QStringList pdfs;
    QDirIterator it(dir, {QStringLiteral("*.pdf"), QStringLiteral("*.PDF")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        pdfs << it.next();
    pdfs.sort();
    return pdfs;
}

int queryInt(const Store::Database &db, const QString &sql)
{
    QSqlQuery query(db.sql());
    return query.exec(sql) && query.next() ? query.value(0).toInt() : -1;
}

// Runs the event loop until `done` holds (checked every few ms) or `timeoutMs` passes.
bool waitUntil(const std::function<bool()> &done, int timeoutMs, const std::function<void()> &onTick = {})
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        if (onTick)
            onTick();
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

bool startEngine(PipelineEngine &engine)
{
    QString failure;
    if (Test::startAndWait(engine, &failure))
        return true;
    std::fprintf(stderr, "engine did not start: %s\n", qPrintable(failure));
    return false;
}

struct StageTimes
{
    QString stage;
    QList<qint64> durations;
};

QList<StageTimes> stageDurations(const Store::Database &db)
{
    QList<StageTimes> stages{
        {QStringLiteral("parsing"), {}}, {QStringLiteral("chunking"), {}}, {QStringLiteral("embedding"), {}}};
    QSqlQuery query(db.sql());
    query.exec(QStringLiteral(
        "SELECT from_stage, duration_ms FROM job_events WHERE kind = 'transition' AND duration_ms >= 0"));
    while (query.next()) {
        for (StageTimes &times : stages) {
            if (times.stage == query.value(0).toString())
                times.durations << query.value(1).toLongLong();
        }
    }
    return stages;
}

// One long PDF alone, dropped while the engine already runs: milliseconds from drop to embedded.
qint64 timeOneDocument(const Config &base, const QString &path, const QString &dbPath)
{
    Config config = base;
    config.databaseUrl = dbPath;
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    if (!startEngine(engine))
        return -1;
    const Store::Database db(config.databaseUrl);
    QElapsedTimer timer;
    timer.start();
    const IngestReport report = ingestPaths(db, {path}, {});
    engine.wake();
    const bool finished = waitUntil([&] { return Test::endedJobs(db) == 1; }, 120000);
    const qint64 ms = timer.elapsed();
    Test::stopAndWait(engine);
    return finished && report.created.size() == 1 ? ms : -1;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // the PDF generator paints with QPdfWriter
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Times the local pipeline against a pdftotext loop."));
    parser.addHelpOption();
    const QCommandLineOption docsOption(
        QStringLiteral("docs"), QStringLiteral("Folder of documents (default: generate PDFs)."), QStringLiteral("dir"));
    const QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("PDFs to generate."),
                                         QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption pagesOption(QStringLiteral("pdf-pages"), QStringLiteral("Pages of the first, long PDF."),
                                         QStringLiteral("n"), QStringLiteral("60"));
    const QCommandLineOption maxPagesOption(QStringLiteral("max-pages"),
                                            QStringLiteral("The other PDFs have 1 to n pages."), QStringLiteral("n"),
                                            QStringLiteral("12"));
    const QCommandLineOption dbOption(QStringLiteral("db"),
                                      QStringLiteral("Database URL (default: a temporary SQLite file)."),
                                      QStringLiteral("url"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Seed for the generated prose."),
                                        QStringLiteral("s"), QStringLiteral("7"));
    parser.addOptions({docsOption, countOption, pagesOption, maxPagesOption, dbOption, seedOption});
    parser.process(app);

    QTemporaryDir scratch;
    QString docs = parser.value(docsOption);
    if (docs.isEmpty()) {
        docs = scratch.filePath(QStringLiteral("docs"));
        QDir().mkpath(docs);
        QElapsedTimer generation;
        generation.start();
        const QStringList written
            = writeCorpus(docs, parser.value(countOption).toInt(), parser.value(pagesOption).toInt(),
                          parser.value(maxPagesOption).toInt(), parser.value(seedOption).toUInt());
        out() << "generated " << written.size() << " PDFs in " << generation.elapsed() << " ms\n";
    }
    const QString dbUrl
        = parser.isSet(dbOption) ? parser.value(dbOption) : scratch.filePath(QStringLiteral("bench.sqlite"));
    Config config;
    config.databaseUrl = dbUrl;
    const Store::Database db(dbUrl);
    if (auto migrated = db.migrate(); !migrated) {
        std::fprintf(stderr, "database: %s\n", qPrintable(migrated.error().message));
        return 1;
    }
    if (queryInt(db, QStringLiteral("SELECT COUNT(*) FROM jobs")) != 0) {
        std::fprintf(stderr, "the database must be empty (give a new --db)\n");
        return 1;
    }
    out() << "cores: " << QThread::idealThreadCount()
          << ", parse/chunk/embed concurrency: " << config.engine.parseConcurrency << '/'
          << config.engine.chunkConcurrency << '/' << config.engine.embedConcurrency << '\n';
    out().flush();

    // The pipeline: drop the folder, run to the end.
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    if (!startEngine(engine))
        return 1;
    double peakInFlightRss = 0;
    QElapsedTimer wall;
    wall.start();
    const IngestReport report = ingestPaths(db, {docs}, {});
    const qint64 ingestMs = wall.elapsed();
    engine.wake();
    const int jobs = int(report.created.size());
    const bool finished = waitUntil([&] { return Test::endedJobs(db) == jobs; }, 30 * 60 * 1000,
                                    [&] { peakInFlightRss = std::max(peakInFlightRss, readRss().currentMb); });
    const qint64 pipelineMs = wall.elapsed();
    Test::stopAndWait(engine);
    if (!finished) {
        std::fprintf(stderr, "the pipeline did not finish within 30 minutes\n");
        return 1;
    }
    const int pages = queryInt(db, QStringLiteral("SELECT SUM(pages) FROM jobs WHERE status = 'done'"));
    const int done = queryInt(db, QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status = 'done'"));
    const int chunks = queryInt(db, QStringLiteral("SELECT COUNT(*) FROM chunks"));
    const double pipelinePagesPerSecond = double(pages) / (double(pipelineMs) / 1000.0);
    out() << "\npipeline: " << jobs << " documents (" << done << " embedded), " << pages << " pages, " << chunks
          << " chunks in " << pipelineMs << " ms (ingest " << ingestMs
          << " ms): " << QString::number(pipelinePagesPerSecond, 'f', 1) << " pages/s\n";
    for (const StageTimes &times : stageDurations(db)) {
        out() << "  " << qSetFieldWidth(10) << Qt::left << times.stage << qSetFieldWidth(0) << " p50 "
              << QString::number(percentile(times.durations, 0.50), 'f', 0) << " ms, p95 "
              << QString::number(percentile(times.durations, 0.95), 'f', 0) << " ms (" << times.durations.size()
              << " runs)\n";
    }
    out() << "  peak RSS while " << jobs << " documents were in flight: " << QString::number(peakInFlightRss, 'f', 1)
          << " MB\n";
    out().flush();

    // The same PDFs through pdftotext, one process after another.
    const QStringList pdfs = pdfsIn(docs);
    int pdfPages = 0;
    {
        QSqlQuery query(db.sql());
        query.exec(QStringLiteral("SELECT SUM(pages) FROM jobs WHERE status = 'done' AND doc_type = 'pdf'"));
        pdfPages = query.next() ? query.value(0).toInt() : 0;
    }
    QElapsedTimer loop;
    loop.start();
    int pdftotextFailures = 0;
    for (const QString &pdf : pdfs) {
        if (QProcess::execute(QStringLiteral("pdftotext"), {QStringLiteral("-q"), pdf, QStringLiteral("/dev/null")})
            != 0)
            ++pdftotextFailures;
    }
    const qint64 loopMs = loop.elapsed();
    if (!pdfs.isEmpty() && pdfPages > 0) {
        const double loopPagesPerSecond = double(pdfPages) / (double(loopMs) / 1000.0);
        out() << "\npdftotext loop: " << pdfs.size() << " PDFs, " << pdfPages << " pages in " << loopMs
              << " ms: " << QString::number(loopPagesPerSecond, 'f', 1) << " pages/s"
              << (pdftotextFailures ? " (some failed)" : "") << '\n';
        if (pdfPages == pages)
            out() << "ratio pipeline / pdftotext: "
                  << QString::number(pipelinePagesPerSecond / loopPagesPerSecond, 'f', 2) << "x\n";
        else
            out() << "ratio: the folder holds other documents than PDFs; compare pages/s above with care\n";
    }

    // One long PDF alone, drop to embedded, engine already running.
    const QString longPdf = pdfs.isEmpty() ? QString() : pdfs.first();
    if (!longPdf.isEmpty()) {
        const qint64 oneMs = timeOneDocument(config, longPdf, scratch.filePath(QStringLiteral("one.sqlite")));
        const Store::Database one(scratch.filePath(QStringLiteral("one.sqlite")));
        out() << "\none document (" << QFileInfo(longPdf).fileName() << ", "
              << queryInt(one, QStringLiteral("SELECT pages FROM jobs")) << " pages) from drop to embedded: " << oneMs
              << " ms\n";
    }
    out() << "\npeak RSS of the whole run: " << QString::number(readRss().peakMb, 'f', 1) << " MB\n";
    out().flush();
    return 0;
}
