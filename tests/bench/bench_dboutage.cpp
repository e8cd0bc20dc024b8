// How fast work goes on after PostgreSQL comes back: a private server under a running engine
// (the same PipelineEngine as in docpipe-cli worker and the window) is stopped with an immediate
// shutdown for a few seconds and started again, or has its sessions killed, round after round.
// Prints, per round, the time from the server accepting connections to the first stage
// completion committed after it, and checks the final tables. Not a test.
//   bench_dboutage [outage seconds, default "1,5,10"]
#include "documentgenerator.h"
#include "engine/ingestor.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "outagechecks.h"
#include "pipelinerun.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace Docpipe;
using namespace Docpipe::Test;

namespace {
template <typename Predicate>
void waitFor(const char *what, Predicate predicate, int timeoutMs)
{
    if (!QTest::qWaitFor(predicate, timeoutMs))
        qFatal("bench_dboutage: timed out waiting for %s", what);
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QList<int> outages{1, 5, 10};
    if (argc > 1) {
        outages.clear();
        for (const QString &n : QString::fromLocal8Bit(argv[1]).split(u','))
            outages << n.toInt();
    }
    PrivatePostgres pg;
    if (!pg.start())
        qFatal("cannot start a private PostgreSQL: %s", qPrintable(pg.error()));
    const Store::Database db(pg.url());
    if (!db.migrate())
        qFatal("cannot migrate");
    QTemporaryDir docs;
    const int perRound = 40;
    const int rounds = int(outages.size()) + 1; // the outages, then a round of killed sessions
    QStringList paths;
    for (int i = 0; i < perRound * rounds; ++i)
        paths << writeMarkdown(docs.path(), QStringLiteral("doc%1.md").arg(i), 300 + quint32(i)).path;

    Config config = fastTestConfig(pg.url());
    config.engine.heartbeatMs = 1000;
    config.watch.enabled = false;
    PipelineEngine engine(config, makeParser(config), std::make_shared<SlowEmbedder>(40));
    QSignalSpy unreachable(&engine, &PipelineEngine::databaseUnreachable);
    if (!startAndWait(engine))
        qFatal("the engine did not start");

    for (int round = 0; round < rounds; ++round) {
        const IngestReport report = ingestPaths(db, paths.mid(round * perRound, perRound), {});
        db.closeThreadConnection();
        if (report.created.size() != perRound)
            qFatal("ingest failed");
        const int target = (round + 1) * perRound;
        waitFor(
            "work before the outage", [&] { return embeddedJobs(pg) >= target - perRound + 5; }, 60000);
        const qsizetype saidBefore = unreachable.size();
        QElapsedTimer noticed;
        noticed.start();
        QString what;
        if (round < outages.size()) {
            what = QStringLiteral("immediate shutdown for %1 s").arg(outages.at(round));
            pg.stop(true);
            waitFor(
                "the engine to notice", [&] { return unreachable.size() > saidBefore; }, 30000);
            const qint64 noticedMs = noticed.elapsed();
            QTest::qWait(qMax(0, outages.at(round) * 1000 - int(noticedMs)));
            pg.restart();
            what += QStringLiteral(" (engine said unreachable after %1 ms)").arg(noticedMs);
        } else {
            what = QStringLiteral("sessions killed with pg_terminate_backend (%1)").arg(pg.terminateSessions());
        }
        waitFor(
            "the first completion", [&] { return recoveryMs(pg) >= 0; }, 30000);
        const qint64 recovery = round < outages.size() ? recoveryMs(pg) : -1;
        waitFor(
            "every job", [&] { return embeddedJobs(pg) >= target; }, 120000);
        const FinalTables tables = finalTables(pg);
        out << "bench_dboutage: " << what << ": "
            << (recovery >= 0 ? QStringLiteral("first stage completion %1 ms after the server was back").arg(recovery)
                              : QStringLiteral("work went on"))
            << "; " << (tables.allEmbeddedOnce(target) ? "all " : "NOT all ") << target << " jobs embedded once ("
            << tables.describe() << ")" << Qt::endl;
    }
    stopAndWait(engine);
    return 0;
}
