// Load until it breaks: the queue grown step by step (1,000, 10,000, 100,000 small generated
// documents, and a mix with large PDFs) on SQLite and on PostgreSQL (DOCPIPE_TEST_PG_URL), run by
// 1, 2 and 4 `docpipe-cli worker` processes. Prints figures; not a ctest test.
//
//   bench_load [--steps 1000,10000,100000,mix:10000] [--backends sqlite,postgres] [--workers 1,2,4]
//              [--seconds 60] [--large-percent 1] [--large-pages 100] [--cli PATH]
//
// Per step and backend the documents are ingested once with `docpipe-cli ingest` (intake time),
// then each worker count runs on a copy of that database for --seconds or until the queue is empty,
// whichever comes first. Per run: documents embedded per second over the window; the wait before a
// claim (p50/p95, from the event log: from parse_validated to chunking and from chunks_buffered to
// embedding; the wait from intake to parsing is only the backlog draining); the time one claim and
// one release take as commits (a probe in this process, twice a second); the database's size (SQLite:
// with its WAL); each worker's peak RSS (VmHWM just before it is stopped); the machine's load; on
// PostgreSQL the server's CPU and transactions per document. Per step: the window's first load
// (without an engine) and its longest GUI stall with that many jobs in the database.
#include "benchmeasures.h"
#include "documentgenerator.h"
#include "i18n.h"
#include "metrics/percentile.h"
#include "monitoring/fleetgauges.h"
#include "store/jobcontrol.h"
#include "store/jobqueue.h"
#include "testdatabase.h"
#include "windowload.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QUrl>

#include <csignal>
#include <memory>

using namespace Docpipe;
using namespace Docpipe::Test;
using Docpipe::Metrics::percentile;

namespace {

constexpr int kFolderSize = 1000; // small documents per generated folder
constexpr char kProbeOwner[] = "bench-load-probe";

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

struct Step
{
    QString label;
    int jobs = 0;
    int large = 0; // of `jobs`, large PDFs (about)
};

struct Run
{
    QString backend;
    QString step;
    int jobs = 0;
    int workers = 0;
    double intakeSeconds = 0;
    double seconds = 0;
    qint64 embedded = 0;
    qint64 completions = 0; // stages completed in the window (3 per document: parsed, chunked, embedded)
    qint64 inProgress = 0; // jobs parsed but not yet embedded at the end of the window
    QList<qint64> chunkWaits; // parse_validated -> chunking (claimed)
    QList<qint64> embedWaits; // chunks_buffered -> embedding (claimed)
    QList<qint64> claimMs; // the probe's claim commits
    QList<qint64> releaseMs; // the probe's release commits
    int probeErrors = 0; // claims or releases of the probe that failed (database busy or locked)
    QString loadAverage; // the machine's, at the end of the window (1, 5 and 15 minutes)
    qint64 databaseBytes = -1; // at the end of the window, workers still running (SQLite: with the WAL)
    qint64 walBytes = -1; // SQLite: of which the write-ahead log
    QList<qint64> peakRssKb;
    qint64 postgresCpuMs = -1;
    qint64 transactions = -1;
    int warnings = 0; // warning and error lines the workers wrote to stderr
    QString warningSample;
};

// Folders of 1,000 documents, generated once for all steps: small text and Markdown files, and in
// a mix step's folders a large PDF in place of every n-th (ingest reads a folder in directory
// order, so the large ones are spread through the queue).
class Corpus final
{
public:
    QStringList folders(const Step &step, int largePages)
    {
        const int largeEvery = step.large > 0 ? qMax(1, step.jobs / step.large) : 0;
        QStringList result;
        for (int folder = 0; folder * kFolderSize < step.jobs; ++folder)
            result << folderOf(folder, qMin(kFolderSize, step.jobs - folder * kFolderSize), largeEvery, largePages);
        return result;
    }
    double generationSeconds() const { return double(m_generationMs) / 1000.0; }

private:
    QString folderOf(int folder, int count, int largeEvery, int largePages)
    {
        const QString dir = m_dir.filePath(
            QStringLiteral("f%1-%2-%3").arg(folder, 3, 10, QLatin1Char('0')).arg(count).arg(largeEvery));
        if (QDir(dir).exists())
            return dir;
        QDir().mkpath(dir);
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < count; ++i) {
            const quint32 seed = quint32(folder * kFolderSize + i + 1);
            const QString name = QStringLiteral("doc-%1").arg(seed, 6, 10, QLatin1Char('0'));
            const GeneratedDocument doc = largeEvery > 0 && i % largeEvery == largeEvery / 2
                ? writePdf(dir, name + QStringLiteral(".pdf"), largePages, seed)
                : i % 2 ? writeMarkdown(dir, name + QStringLiteral(".md"), seed)
                        : writeText(dir, name + QStringLiteral(".txt"), seed);
            if (doc.path.isEmpty())
                qFatal("cannot write %s", qPrintable(name));
        }
        m_generationMs += timer.elapsed();
        return dir;
    }

    QTemporaryDir m_dir;
    qint64 m_generationMs = 0;
};

QString cliError(QProcess &process)
{
    return QString::fromUtf8(process.readAllStandardError()).trimmed().section(u'\n', -3);
}

// Records every folder as jobs through the real intake, `docpipe-cli ingest`; returns its seconds.
double ingestFolders(const QString &cli, const QString &url, const QStringList &folders)
{
    QElapsedTimer timer;
    timer.start();
    QProcess ingest;
    ingest.start(cli, QStringList{QStringLiteral("--db"), url, QStringLiteral("ingest")} + folders);
    if (!ingest.waitForFinished(60 * 60 * 1000) || ingest.exitCode() != 0)
        qFatal("ingest failed: %s", qPrintable(cliError(ingest)));
    return double(timer.elapsed()) / 1000.0;
}

qint64 serverNow(const Store::Database &db)
{
    return scalar(db, QStringLiteral("SELECT ") + Store::serverNowSql(db.dialect()));
}

// Claims the head of the queue and hands it straight back, timing each commit.
void probeTransitions(const Store::Database &db, Run &run)
{
    QElapsedTimer timer;
    timer.start();
    const auto claimed = Store::claimNext(db, Stage::Parsing, QString::fromLatin1(kProbeOwner), 30000);
    if (!claimed) {
        ++run.probeErrors;
        return;
    }
    if (!claimed.value())
        return; // empty
    run.claimMs << timer.restart();
    if (Store::releaseJob(db, *claimed.value(), QString::fromLatin1(kProbeOwner), QStringLiteral("load probe")))
        run.releaseMs << timer.elapsed();
    else
        ++run.probeErrors;
}

class WorkerFleet final
{
public:
    WorkerFleet(const QString &cli, const QString &url, int count, const QString &logDir)
    {
        for (int i = 0; i < count; ++i) {
            auto process = std::make_unique<QProcess>();
            m_logs << QStringLiteral("%1/worker-%2.log").arg(logDir).arg(i);
            process->setStandardErrorFile(m_logs.last());
            process->start(cli, {QStringLiteral("--db"), url, QStringLiteral("worker")});
            m_processes.push_back(std::move(process));
        }
    }
    // Peak RSS of each (read just before stopping it), then SIGTERM and wait.
    QList<qint64> stop()
    {
        QList<qint64> peaks;
        for (const auto &process : m_processes)
            peaks << peakRssKb(process->processId());
        for (const auto &process : m_processes)
            ::kill(pid_t(process->processId()), SIGTERM);
        for (const auto &process : m_processes)
            process->waitForFinished(120000);
        return peaks;
    }
    // Warning and error lines the workers wrote to stderr, and the first of them.
    int logLines(QString *first) const
    {
        int lines = 0;
        for (const QString &path : m_logs) {
            QFile log(path);
            if (!log.open(QIODevice::ReadOnly))
                continue;
            for (const QByteArray &line : log.readAll().split('\n')) {
                const QByteArray lower = line.toLower();
                if (!lower.contains("warning") && !lower.contains("error") && !lower.contains("cannot"))
                    continue;
                if (lines++ == 0)
                    *first = QString::fromUtf8(line.left(200));
            }
        }
        return lines;
    }

private:
    std::vector<std::unique_ptr<QProcess>> m_processes;
    QStringList m_logs;
};

Run runWorkers(const QString &cli, const TestDatabase &fixture, int workers, int seconds)
{
    Run run;
    run.workers = workers;
    const Store::Database db = fixture.database();
    const bool postgres = db.dialect() == Store::Dialect::Postgres;
    const int port = QUrl(fixture.url()).port();
    if (!Store::setPaused(db, true)) // the window starts when every worker is up
        qFatal("cannot pause");
    WorkerFleet fleet(cli, fixture.url(), workers, fixture.tempPath());
    if (!QTest::qWaitFor([&] { return scalar(db, QStringLiteral("SELECT COUNT(*) FROM workers")) >= workers; }, 60000))
        qFatal("the workers did not start");
    const CpuSnapshot cpuBefore = postgres ? postgresCpu(port) : CpuSnapshot();
    const qint64 xactBefore = postgres ? postgresTransactions(db) : -1;
    const qint64 startedAt = serverNow(db);
    if (!Store::setPaused(db, false))
        qFatal("cannot resume");
    QElapsedTimer timer;
    timer.start();
    const QString inFlight = QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')");
    while (timer.elapsed() < seconds * 1000LL && scalar(db, inFlight) > 0) {
        QTest::qWait(500);
        probeTransitions(db, run);
    }
    run.seconds = double(timer.elapsed()) / 1000.0;
    {
        QFile loadavg(QStringLiteral("/proc/loadavg"));
        if (loadavg.open(QIODevice::ReadOnly))
            run.loadAverage = QString::fromLatin1(loadavg.readAll()).section(u' ', 0, 2);
    }
    run.embedded = scalar(db, QStringLiteral("SELECT COUNT(*) FROM jobs WHERE stage = 'embedded'"));
    run.inProgress = scalar(db,
                            QStringLiteral("SELECT COUNT(*) FROM jobs WHERE stage IN ('parse_validated', "
                                           "'chunking', 'chunks_buffered', 'embedding')"));
    run.completions = scalar(db,
                             QStringLiteral("SELECT COUNT(*) FROM job_events WHERE kind = 'transition' AND "
                                            "to_stage IN ('parse_validated', 'chunks_buffered', 'embedded') "
                                            "AND at >= :since"),
                             {{QStringLiteral(":since"), startedAt}});
    run.databaseBytes = Monitoring::databaseSize(db, fixture.url());
    if (!postgres)
        run.walBytes = QFileInfo(fixture.url() + QStringLiteral("-wal")).size();
    if (postgres) {
        run.postgresCpuMs = cpuUsedMs(cpuBefore, postgresCpu(port));
        QTest::qWait(1500); // statistics reach pg_stat_database when a backend goes idle
        run.transactions = postgresTransactions(db) - xactBefore;
    }
    run.peakRssKb = fleet.stop();
    run.warnings = fleet.logLines(&run.warningSample);
    run.chunkWaits = queueWaits(db, {QStringLiteral("chunking")}, startedAt);
    run.embedWaits = queueWaits(db, {QStringLiteral("embedding")}, startedAt);
    return run;
}

QString mb(qint64 bytes)
{
    return bytes < 0 ? QStringLiteral("-") : QString::number(double(bytes) / 1048576.0, 'f', 1);
}

QString peaks(const QList<qint64> &kbs)
{
    QStringList list;
    for (const qint64 kb : kbs)
        list << mb(kb * 1024);
    return list.join(u'/');
}

// "46.8", or on SQLite "174.3 (WAL 127.5)".
QString databaseSize(const Run &run)
{
    return run.walBytes < 0 ? mb(run.databaseBytes)
                            : QStringLiteral("%1 (WAL %2)").arg(mb(run.databaseBytes), mb(run.walBytes));
}

// Documents' worth of work done in the window: a third of the stages completed.
double worked(const Run &run)
{
    return double(run.completions) / 3.0;
}

void printRun(const Run &run)
{
    const double rate = double(run.embedded) / run.seconds;
    QString line = QStringLiteral("%1 %2 (%3 jobs) x%4: %5 embedded in %6 s = %7 docs/s; wait before the claim: "
                                  "chunking p50 %8 / p95 %9 ms, embedding p50 %10 / p95 %11 ms; probe claim p50 %12 / "
                                  "p95 %13 ms, release p50 %14 / p95 %15 ms; database %16 MB; worker peak RSS %17 MB")
                       .arg(run.backend, run.step)
                       .arg(run.jobs)
                       .arg(run.workers)
                       .arg(run.embedded)
                       .arg(run.seconds, 0, 'f', 1)
                       .arg(rate, 0, 'f', 1)
                       .arg(percentile(run.chunkWaits, 50))
                       .arg(percentile(run.chunkWaits, 95))
                       .arg(percentile(run.embedWaits, 50))
                       .arg(percentile(run.embedWaits, 95))
                       .arg(percentile(run.claimMs, 50))
                       .arg(percentile(run.claimMs, 95))
                       .arg(percentile(run.releaseMs, 50))
                       .arg(percentile(run.releaseMs, 95))
                       .arg(databaseSize(run), peaks(run.peakRssKb));
    line += QStringLiteral("; %1 stages completed (%2 documents' worth), %3 jobs between parsed and embedded at the "
                           "end")
                .arg(run.completions)
                .arg(worked(run), 0, 'f', 0)
                .arg(run.inProgress);
    if (run.postgresCpuMs >= 0 && run.completions > 0)
        line += QStringLiteral(
                    "; PostgreSQL CPU %1 % = %2 ms per document's worth, %3 transactions per document's worth")
                    .arg(100.0 * double(run.postgresCpuMs) / 1000.0 / run.seconds, 0, 'f', 0)
                    .arg(double(run.postgresCpuMs) / worked(run), 0, 'f', 1)
                    .arg(double(run.transactions) / worked(run), 0, 'f', 1);
    line += QStringLiteral("; load average %1").arg(run.loadAverage);
    if (run.probeErrors > 0)
        line += QStringLiteral("; %1 probe commit(s) failed").arg(run.probeErrors);
    if (run.warnings > 0)
        line += QStringLiteral("; %1 warning line(s) from the workers, first: %2")
                    .arg(run.warnings)
                    .arg(run.warningSample);
    out() << line << '\n';
    out().flush();
}

struct WindowFigures
{
    qint64 firstRowsMs = -1;
    qint64 allRowsMs = -1;
    double longestStallMs = 0;
};

// The window without an engine (it only watches) on the database as the last run left it.
WindowFigures measureWindow(const TestDatabase &fixture, int jobs)
{
    Config config;
    config.databaseUrl = fixture.url();
    WindowLoad load
        = openLoadedWindow({config, fixture.tempPath() + QStringLiteral("/window.ini"), nullptr}, jobs, 10 * 60 * 1000);
    load.window->close();
    QTest::qWait(200);
    fixture.database().closeThreadConnection();
    return {load.firstRowsMs, load.allRowsMs, load.longestStallMs};
}

QList<Step> parseSteps(const QString &text, int largePercent)
{
    QList<Step> steps;
    for (const QString &item : text.split(u',', Qt::SkipEmptyParts)) {
        Step step{item, 0, 0};
        if (item.startsWith(QLatin1String("mix"))) {
            step.jobs = item.contains(u':') ? item.section(u':', 1).toInt() : 10000;
            step.large = qMax(1, step.jobs * largePercent / 100);
        } else {
            step.jobs = item.toInt();
        }
        if (step.jobs <= 0)
            qFatal("bad step: %s", qPrintable(item));
        steps << step;
    }
    return steps;
}

QList<int> parseInts(const QString &text)
{
    QList<int> values;
    for (const QString &item : text.split(u',', Qt::SkipEmptyParts))
        values << item.toInt();
    return values;
}

void printTable(const QList<Run> &runs, const QMap<QString, WindowFigures> &windows)
{
    out() << "\n| backend | step | intake docs/s | workers | embedded docs/s | worked docs/s | parsed, not embedded | "
             "wait to chunking p50/p95 ms | wait to embedding p50/p95 ms | claim p50/p95 ms | release p50/p95 ms | "
             "database MB | worker peak RSS MB | PG CPU ms/doc | window first rows / all rows ms, longest stall ms |\n"
          << QStringLiteral("|---").repeated(15) << "|\n";
    for (const Run &run : runs) {
        const WindowFigures window = windows.value(run.backend + u'/' + run.step);
        out() << QStringLiteral(
                     "| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 / %9 | %10 / %11 | %12 / %13 | %14 / %15 | %16 "
                     "| %17 | %18 | %19 / %20, %21 |\n")
                     .arg(run.backend, run.step)
                     .arg(double(run.jobs) / run.intakeSeconds, 0, 'f', 0)
                     .arg(run.workers)
                     .arg(double(run.embedded) / run.seconds, 0, 'f', 1)
                     .arg(worked(run) / run.seconds, 0, 'f', 1)
                     .arg(run.inProgress)
                     .arg(percentile(run.chunkWaits, 50))
                     .arg(percentile(run.chunkWaits, 95))
                     .arg(percentile(run.embedWaits, 50))
                     .arg(percentile(run.embedWaits, 95))
                     .arg(percentile(run.claimMs, 50))
                     .arg(percentile(run.claimMs, 95))
                     .arg(percentile(run.releaseMs, 50))
                     .arg(percentile(run.releaseMs, 95))
                     .arg(databaseSize(run), peaks(run.peakRssKb))
                     .arg(run.postgresCpuMs >= 0 && run.completions > 0
                              ? QString::number(double(run.postgresCpuMs) / worked(run), 'f', 1)
                              : QStringLiteral("-"))
                     .arg(window.firstRowsMs)
                     .arg(window.allRowsMs)
                     .arg(window.longestStallMs, 0, 'f', 0);
    }
    out().flush();
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Ui::installTranslations(QStringLiteral("en"));
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("steps"), QStringLiteral("Queue sizes; mix:N mixes in large PDFs."),
                      QStringLiteral("list"), QStringLiteral("1000,10000,100000,mix:10000")});
    parser.addOption({QStringLiteral("backends"), QStringLiteral("sqlite, postgres or both."), QStringLiteral("list"),
                      QStringLiteral("sqlite,postgres")});
    parser.addOption({QStringLiteral("workers"), QStringLiteral("Worker processes per run."), QStringLiteral("list"),
                      QStringLiteral("1,2,4")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("Longest run per worker count."), QStringLiteral("s"),
                      QStringLiteral("60")});
    parser.addOption({QStringLiteral("large-percent"), QStringLiteral("Share of large PDFs in a mix step."),
                      QStringLiteral("percent"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("large-pages"), QStringLiteral("Pages of each large PDF."), QStringLiteral("n"),
                      QStringLiteral("100")});
    parser.addOption({QStringLiteral("cli"), QStringLiteral("docpipe-cli to run as workers."), QStringLiteral("path"),
                      QStringLiteral(DOCPIPE_CLI)});
    parser.addHelpOption();
    parser.process(app);
    const QString cli = parser.value(QStringLiteral("cli"));
    const int seconds = parser.value(QStringLiteral("seconds")).toInt();
    const int largePages = parser.value(QStringLiteral("large-pages")).toInt();
    const QList<Step> steps
        = parseSteps(parser.value(QStringLiteral("steps")), parser.value(QStringLiteral("large-percent")).toInt());
    const QList<int> workerCounts = parseInts(parser.value(QStringLiteral("workers")));

    Corpus corpus;
    QList<Run> runs;
    QMap<QString, WindowFigures> windows;
    for (const QString &backend : parser.value(QStringLiteral("backends")).split(u',', Qt::SkipEmptyParts)) {
        for (const Step &step : steps) {
            const QStringList folders = corpus.folders(step, largePages);
            TestDatabase intake(backend);
            if (!intake.isReady())
                qFatal("%s: %s", qPrintable(backend), qPrintable(intake.skipReason()));
            const double intakeSeconds = ingestFolders(cli, intake.url(), folders);
            out() << QStringLiteral(
                         "%1 %2: ingested %3 jobs in %4 s = %5 docs/s (documents generated in %6 s so far)\n")
                         .arg(backend, step.label)
                         .arg(step.jobs)
                         .arg(intakeSeconds, 0, 'f', 1)
                         .arg(double(step.jobs) / intakeSeconds, 0, 'f', 0)
                         .arg(corpus.generationSeconds(), 0, 'f', 1);
            out().flush();
            std::unique_ptr<TestDatabase> last;
            for (const int workers : workerCounts) {
                last.reset();
                last = TestDatabase::copyOf(intake);
                if (!last->isReady())
                    qFatal("cannot copy the database: %s", qPrintable(last->skipReason()));
                Run run = runWorkers(cli, *last, workers, seconds);
                run.backend = backend;
                run.step = step.label;
                run.jobs = step.jobs;
                run.intakeSeconds = intakeSeconds;
                printRun(run);
                runs << run;
            }
            if (last) {
                const WindowFigures window = measureWindow(*last, step.jobs);
                windows.insert(backend + u'/' + step.label, window);
                out() << QStringLiteral("%1 %2: window first rows after %3 ms, all %4 rows after %5 ms, longest GUI "
                                        "stall %6 ms\n")
                             .arg(backend, step.label)
                             .arg(window.firstRowsMs)
                             .arg(step.jobs)
                             .arg(window.allRowsMs)
                             .arg(window.longestStallMs, 0, 'f', 0);
                out().flush();
            }
        }
    }
    printTable(runs, windows);
    return 0;
}
