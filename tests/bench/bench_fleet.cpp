// A fleet on one PostgreSQL (DOCPIPE_TEST_PG_URL names the server; each part gets a fresh
// database). Prints figures; not a ctest test.
//
//   bench_fleet [--part handoff|idle|scale|all] [--jobs N] [--docs N] [--cli PATH]
//
// handoff: a job committed by another process -> claimed by an idle worker, p50/p95, with change
//          notices and with polling only (250 ms, as before notices).
// idle:    transactions per second PostgreSQL serves to 4 idle workers and 2 windows' engines and
//          live feeds, polling only vs notices (pg_stat_database xact_commit + xact_rollback).
// scale:   1, 2 and 4 `docpipe-cli worker` processes over the same generated corpus: documents/s,
//          queue wait before each claim p50/p95, PostgreSQL's own CPU time and transactions per job.
#include "benchmeasures.h"
#include "documentgenerator.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "livefeed.h"
#include "metrics/percentile.h"
#include "pipelinerun.h"
#include "store/jobqueries.h"
#include "storefixtures.h"
#include "testdatabase.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QUrl>

#include <csignal>
#include <memory>
#include <unistd.h>

using namespace Docpipe;
using namespace Docpipe::Test;
using Docpipe::Metrics::percentile;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

// A benchmark has no use for figures taken after something failed to happen.
template <typename Predicate>
void waitFor(Predicate done, int timeoutMs)
{
    if (!QTest::qWaitFor(done, timeoutMs))
        qFatal("timed out after %d ms", timeoutMs);
}

std::unique_ptr<TestDatabase> freshDatabase()
{
    auto db = std::make_unique<TestDatabase>(QStringLiteral("postgres"));
    if (!db->isReady())
        qFatal("PostgreSQL: %s", qPrintable(db->skipReason()));
    return db;
}

Config benchConfig(const QString &url, bool notifications)
{
    Config config;
    config.databaseUrl = url;
    config.engine.notifications = notifications;
    config.watch.enabled = false;
    return config;
}

void handoff(int jobs)
{
    for (const bool notifications : {false, true}) {
        const auto fixture = freshDatabase();
        const Store::Database db = fixture->database();
        const Config config = benchConfig(fixture->url(), notifications);
        PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
        if (!startAndWait(engine))
            qFatal("engine did not start");
        waitFor([&] { return !notifications || engine.isListening(); }, 10000);
        QRandomGenerator random(7);
        for (int i = 0; i < jobs; ++i) {
            QTest::qWait(50 + int(random.bounded(200))); // idle: arrivals not in step with the poll
            const qint64 id = ingest(db,
                                     writeFile(fixture->tempPath(), QStringLiteral("d%1.txt").arg(i),
                                               QStringLiteral("document %1 with a few words").arg(i).toUtf8()));
            waitFor([&] { return Store::findJob(db, id).value()->status == JobStatus::Done; }, 30000);
        }
        stopAndWait(engine);
        const QList<qint64> waits = queueWaits(db, {QStringLiteral("parsing")});
        out() << QStringLiteral("handoff %1: %2 jobs, created -> claimed p50 %3 ms, p95 %4 ms, max %5 ms\n")
                     .arg(notifications ? QStringLiteral("notify ") : QStringLiteral("poll250"))
                     .arg(waits.size())
                     .arg(percentile(waits, 50))
                     .arg(percentile(waits, 95))
                     .arg(percentile(waits, 100));
        out().flush();
    }
}

void idle(int seconds)
{
    for (const bool notifications : {false, true}) {
        const auto fixture = freshDatabase();
        const Store::Database db = fixture->database();
        Config config = benchConfig(fixture->url(), notifications);
        std::vector<std::unique_ptr<PipelineEngine>> engines;
        std::vector<std::unique_ptr<Ui::LiveFeed>> feeds;
        for (int i = 0; i < 6; ++i) { // 4 workers, and the engines of 2 windows
            engines.push_back(std::make_unique<PipelineEngine>(config, makeParser(config), makeEmbedder(config)));
            if (!startAndWait(*engines.back()))
                qFatal("engine did not start");
        }
        for (int i = 0; i < 2; ++i) {
            feeds.push_back(std::make_unique<Ui::LiveFeed>(db));
            feeds.back()->setNotificationsEnabled(notifications);
            feeds.back()->start();
        }
        QTest::qWait(3000); // settle: first loads, listeners up
        const qint64 before = postgresTransactions(db);
        QElapsedTimer timer;
        timer.start();
        QTest::qWait(seconds * 1000);
        // Statistics reach pg_stat_database when a backend goes idle (at most once a second).
        QTest::qWait(1500);
        const qint64 after = postgresTransactions(db);
        const double rate = double(after - before - 2) / (double(timer.elapsed()) / 1000.0);
        out() << QStringLiteral("idle %1: 4 workers + 2 windows (engine and live feed): %2 transactions/s\n")
                     .arg(notifications ? QStringLiteral("notify ") : QStringLiteral("poll   "))
                     .arg(rate, 0, 'f', 1);
        out().flush();
        feeds.clear();
        for (auto &engine : engines)
            stopAndWait(*engine);
    }
}

void scale(int docs, const QString &cli)
{
    QTemporaryDir corpusDir;
    generateMixedCorpus(corpusDir.path(), docs, 2026, 20);
    for (const int workers : {1, 2, 4}) {
        const auto fixture = freshDatabase();
        const Store::Database db = fixture->database();
        if (!db.migrate())
            qFatal("migration failed");
        QList<QProcess *> processes;
        for (int i = 0; i < workers; ++i) {
            auto *process = new QProcess;
            process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            process->start(cli, {QStringLiteral("--db"), fixture->url(), QStringLiteral("worker")});
            processes << process;
        }
        waitFor([&] { return scalar(db, QStringLiteral("SELECT COUNT(*) FROM workers")) == workers; }, 30000);
        const CpuSnapshot cpuBefore = postgresCpu(QUrl(fixture->url()).port());
        const qint64 xactBefore = postgresTransactions(db);
        QElapsedTimer timer;
        timer.start();
        QProcess ingest;
        ingest.start(cli, {QStringLiteral("--db"), fixture->url(), QStringLiteral("ingest"), corpusDir.path()});
        ingest.waitForFinished(600000);
        waitFor(
            [&] {
                return scalar(db, QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')"))
                    == 0;
            },
            1800000);
        const double seconds = double(timer.elapsed()) / 1000.0;
        const qint64 cpu = cpuUsedMs(cpuBefore, postgresCpu(QUrl(fixture->url()).port()));
        QTest::qWait(1500);
        const qint64 xacts = postgresTransactions(db) - xactBefore;
        for (QProcess *process : std::as_const(processes)) {
            ::kill(pid_t(process->processId()), SIGTERM);
            process->waitForFinished(60000);
            delete process;
        }
        const qint64 done = scalar(db, QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status = 'done'"));
        const QList<qint64> waits = queueWaits(db);
        out() << QStringLiteral("scale %1 worker(s): %2 of %3 docs in %4 s = %5 docs/s; queue wait before a claim "
                                "p50 %6 ms p95 %7 ms; PostgreSQL CPU %8 s (%9 %) = %10 ms/doc; %11 transactions/doc\n")
                     .arg(workers)
                     .arg(done)
                     .arg(docs)
                     .arg(seconds, 0, 'f', 1)
                     .arg(double(done) / seconds, 0, 'f', 2)
                     .arg(percentile(waits, 50))
                     .arg(percentile(waits, 95))
                     .arg(double(cpu) / 1000.0, 0, 'f', 2)
                     .arg(100.0 * double(cpu) / 1000.0 / seconds, 0, 'f', 1)
                     .arg(done ? double(cpu) / double(done) : 0.0, 0, 'f', 2)
                     .arg(done ? double(xacts) / double(done) : 0.0, 0, 'f', 1);
        out().flush();
    }
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("part"), QStringLiteral("handoff, idle, scale or all."), QStringLiteral("part"),
                      QStringLiteral("all")});
    parser.addOption({QStringLiteral("jobs"), QStringLiteral("Jobs for the hand-off part."), QStringLiteral("n"),
                      QStringLiteral("60")});
    parser.addOption({QStringLiteral("idle-seconds"), QStringLiteral("Length of each idle window."),
                      QStringLiteral("s"), QStringLiteral("20")});
    parser.addOption({QStringLiteral("docs"), QStringLiteral("Documents for the scale part."), QStringLiteral("n"),
                      QStringLiteral("200")});
    parser.addOption({QStringLiteral("cli"), QStringLiteral("docpipe-cli to run as workers."), QStringLiteral("path"),
                      QStringLiteral(DOCPIPE_CLI)});
    parser.addHelpOption();
    parser.process(app);
    const QString part = parser.value(QStringLiteral("part"));
    if (part == QLatin1String("handoff") || part == QLatin1String("all"))
        handoff(parser.value(QStringLiteral("jobs")).toInt());
    if (part == QLatin1String("idle") || part == QLatin1String("all"))
        idle(parser.value(QStringLiteral("idle-seconds")).toInt());
    if (part == QLatin1String("scale") || part == QLatin1String("all"))
        scale(parser.value(QStringLiteral("docs")).toInt(), parser.value(QStringLiteral("cli")));
    return 0;
}
