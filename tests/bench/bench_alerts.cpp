// What one alert check costs the database: 100,000 jobs (most embedded, some waiting, failed and
// running) with eight events each, then the fleet probe and the rules, timed over repeated checks
// on SQLite (a temporary file) and, when DOCPIPE_TEST_PG_URL is set, a fresh PostgreSQL database.
// Prints figures; not a test.   bench_alerts [jobs, default 100000] [checks, default 20]
#include "alerts/alertrules.h"
#include "store/fleetprobe.h"
#include "testdatabase.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTextStream>

#include <algorithm>

using namespace Docpipe;

namespace {

void exec(const Store::Database &db, const QString &sql)
{
    QSqlQuery query(db.sql());
    if (!query.exec(sql))
        qFatal("%s: %s", qPrintable(sql.left(200)), qPrintable(query.lastError().text()));
}

// Rows made by the database itself (a recursive series), so filling 100,000 jobs takes seconds.
void fill(const Store::Database &db, int jobs)
{
    const QString now = Store::serverNowSql(db.dialect());
    const QString series
        = QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) ").arg(jobs);
    Store::Transaction tx(db);
    exec(db,
         series
             + QStringLiteral("INSERT INTO documents (sha256, size_bytes, mime_type, created_at) "
                              "SELECT 'sha-' || i, 100, 'text/plain', 0 FROM n"));
    // 90% embedded, 5% failed, 4% waiting at a checkpoint, 1% running; spread over two days.
    exec(db,
         series
             + QStringLiteral(
                   "INSERT INTO jobs (document_id, name, source_path, stage, status, created_at, updated_at, "
                   "stage_started_at) "
                   "SELECT i, 'doc-' || i, '/in/doc-' || i, "
                   "CASE WHEN i % 100 < 90 THEN 'embedded' WHEN i % 100 < 95 THEN 'parsing' WHEN i % 100 < 97 THEN "
                   "'uploaded' "
                   "WHEN i % 100 < 99 THEN 'chunks_buffered' ELSE 'embedding' END, "
                   "CASE WHEN i % 100 < 90 THEN 'done' WHEN i % 100 < 95 THEN 'failed' WHEN i % 100 < 99 THEN 'queued' "
                   "ELSE 'running' END, %1 - i * 1700, %1 - i * 1700, %1 - i * 1700 FROM n")
                   .arg(now));
    const QStringList kinds{QStringLiteral("created"),    QStringLiteral("transition"), QStringLiteral("transition"),
                            QStringLiteral("transition"), QStringLiteral("transition"), QStringLiteral("transition"),
                            QStringLiteral("retry"),      QStringLiteral("transition")};
    for (int k = 0; k < kinds.size(); ++k)
        exec(db,
             series
                 + QStringLiteral("INSERT INTO job_events (job_id, at, kind, from_stage, to_stage, code) "
                                  "SELECT i, %1 - i * 1700 + %2, '%3', 'embedding', 'embedded', "
                                  "CASE WHEN '%3' = 'retry' THEN 'timeout' END FROM n")
                       .arg(now)
                       .arg(k * 100)
                       .arg(kinds.at(k)));
    exec(db,
         QStringLiteral("INSERT INTO workers (id, host, pid, started_at, heartbeat_at, state) "
                        "VALUES ('bench', 'h', 1, %1, %1, 'running')")
             .arg(now));
    tx.commit();
    exec(db, QStringLiteral("ANALYZE jobs"));
    exec(db, QStringLiteral("ANALYZE job_events"));
}

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
    fill(db, jobs);
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
