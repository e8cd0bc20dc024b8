// What one alert check costs the database: 100,000 jobs (most embedded, some waiting, failed and
// running) with eight events each, then the fleet probe and the rules, timed over repeated checks
// on SQLite (a temporary file) and, when DOCPIPE_TEST_PG_URL is set, a fresh PostgreSQL database.
// Prints figures; not a test.   bench_alerts [jobs, default 100000] [checks, default 20]
#include "alerts/alertrules.h"
#include "benchfleet.h"
#include "store/fleetprobe.h"
#include "testdatabase.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>

using namespace Docpipe;

namespace {

void bench(const QString &backend, int jobs, int checks, QTextStream &out)
{
    Test::TestDatabase fixture(backend);
    if (!fixture.isReady()) {
        out << backend << ": skipped (" << fixture.skipReason() << ")\n";
        return;
    }
    const Store::Database db = fixture.database();
    if (!db.migrate())
        qFatal("migrate failed");
    QElapsedTimer timer;
    timer.start();
    Test::fillFleet(db, jobs);
    const qint64 fillMs = timer.elapsed();

    AlertsConfig config;
    QList<double> probeMs;
    Alerts::Verdicts verdicts;
    for (int i = 0; i < checks; ++i) {
        timer.restart();
        auto fleet = Store::probeFleet(db, Alerts::probeLimits(config));
        if (!fleet)
            qFatal("probe failed: %s", qPrintable(fleet.error().message));
        Alerts::RuleInputs inputs;
        inputs.fleet = fleet.value();
        verdicts = Alerts::evaluateRules(inputs, config);
        probeMs << double(timer.nsecsElapsed()) / 1e6;
    }
    std::sort(probeMs.begin(), probeMs.end());
    out << backend << ": " << jobs << " jobs, " << jobs * 8 << " events (filled in " << fillMs
        << " ms); one check: median " << QString::number(probeMs.at(probeMs.size() / 2), 'f', 1) << " ms, max "
        << QString::number(probeMs.last(), 'f', 1) << " ms over " << checks << " checks; firing:";
    for (const Alerts::AlertCondition &c : verdicts.firing)
        out << ' ' << c.key;
    out << '\n';
    out.flush();
    db.closeThreadConnection();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int jobs = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 100000;
    const int checks = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 20;
    QTextStream out(stdout);
    for (const char *backend : {"sqlite", "postgres"})
        bench(QString::fromLatin1(backend), jobs, checks, out);
    return 0;
}
