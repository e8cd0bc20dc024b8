// A fleet of real `docpipe-cli worker` processes on one database, as operators run it: `workers`
// lists them and `drain` lets one finish and stop; a worker older than the schema takes no work;
// a worker whose clock is minutes off neither steals live jobs nor leaves expired ones; a worker
// frozen (SIGSTOP) past its lease and resumed after another finished its jobs writes nothing late.
#include "clirunner.h"
#include "documentgenerator.h"
#include "store/documentstore.h"
#include "store/jobqueries.h"
#include "store/jobqueue.h"
#include "store/workerregistry.h"
#include "storefixtures.h"
#include "testdatabase.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSettings>
#include <QSqlQuery>
#include <QTest>

#include <csignal>

using namespace Docpipe;
using namespace Docpipe::Test;

namespace {

QString writeIni(const QString &dir, const QString &name, int leaseSeconds, int heartbeatMs)
{
    const QString path = dir + u'/' + name;
    QSettings settings(path, QSettings::IniFormat);
    settings.setValue(QStringLiteral("engine/lease_seconds"), leaseSeconds);
    settings.setValue(QStringLiteral("engine/heartbeat_ms"), heartbeatMs);
    settings.setValue(QStringLiteral("engine/poll_ms"), 100);
    settings.setValue(QStringLiteral("watch/enabled"), false);
    return path;
}

QJsonArray listedWorkers(const QStringList &db)
{
    const CliResult listed = runCli(db + QStringList{QStringLiteral("workers"), QStringLiteral("--json")});
    return listed.exitCode == 0 ? listed.json().object().value(QStringLiteral("workers")).toArray() : QJsonArray();
}

QJsonObject listedWorker(const QStringList &db, qint64 pid)
{
    for (const QJsonValue &worker : listedWorkers(db)) {
        if (worker.toObject().value(QStringLiteral("pid")).toInteger() == pid)
            return worker.toObject();
    }
    return {};
}

qint64 scalar(const Store::Database &db, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery query(db.sql());
    query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec() || !query.next())
        qFatal("query failed: %s", qPrintable(sql));
    return query.value(0).toLongLong();
}

bool allEmbedded(const Store::Database &db)
{
    return scalar(db, QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status <> 'done'")) == 0;
}

void terminate(QProcess *worker)
{
    ::kill(pid_t(worker->processId()), SIGTERM);
    worker->waitForFinished(30000);
}

#define POSTGRES_ONLY(var)                                                                                             \
    TestDatabase var(QStringLiteral("postgres"));                                                                      \
    if (!var.isReady()) {                                                                                              \
        if (TestDatabase::postgresRequired())                                                                          \
            QFAIL(qPrintable(var.skipReason()));                                                                       \
        QSKIP(qPrintable(var.skipReason()));                                                                           \
    }

} // namespace

class tst_Fleet final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workersAreListedAndOneIsDrained_data() { addBackendRows(); }
    void workersAreListedAndOneIsDrained();
    void workerOlderThanTheSchemaTakesNoWork_data() { addBackendRows(); }
    void workerOlderThanTheSchemaTakesNoWork();
    void workerWithSkewedClockJudgesLeasesByTheServer();
    void frozenWorkerWritesNothingLate();
};

void tst_Fleet::workersAreListedAndOneIsDrained()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database database = fixture.database();
    const QStringList db{QStringLiteral("--db"), fixture.url()};
    const QString ini = writeIni(fixture.tempPath(), QStringLiteral("w.ini"), 30, 200);
    QProcess *worker = startCli(db + QStringList{QStringLiteral("--config"), ini, QStringLiteral("worker")}, this);
    QVERIFY(worker->waitForStarted());
    QJsonObject listed;
    QVERIFY(QTest::qWaitFor(
        [&] {
            listed = listedWorker(db, worker->processId());
            return !listed.isEmpty();
        },
        30000));
    QStringList keys = listed.keys();
    keys.sort();
    QCOMPARE(keys.join(u','), QStringLiteral("host,id,jobs_held,last_heartbeat,pid,started_at,state,version"));
    QCOMPARE(listed.value(QStringLiteral("state")).toString(), QStringLiteral("running"));
    QCOMPARE(listed.value(QStringLiteral("version")).toString(), QStringLiteral(DOCPIPE_VERSION));
    QCOMPARE(listed.value(QStringLiteral("host")).toString(), Store::localHostName());
    QVERIFY(QDateTime::fromString(listed.value(QStringLiteral("started_at")).toString(), Qt::ISODateWithMs).isValid());
    const QString id = listed.value(QStringLiteral("id")).toString();
    QVERIFY(id.contains(QString::number(worker->processId())));
    const CliResult table = runCli(db + QStringList{QStringLiteral("workers")});
    QVERIFY2(table.exitCode == 0 && table.out.contains(id.toUtf8()) && table.out.contains("running"),
             qPrintable(table.describe()));

    // Work arrives; the operator drains the worker while it works: it finishes what it holds
    // (hands nothing back), takes nothing new, and stops by itself.
    const QString docs = fixture.tempPath() + QStringLiteral("/docs");
    generateMixedCorpus(docs, 12, 7, 8);
    QCOMPARE(runCli(db + QStringList{QStringLiteral("ingest"), docs}).exitCode, 0);
    QVERIFY(QTest::qWaitFor(
        [&] { return scalar(database, QStringLiteral("SELECT COUNT(*) FROM job_events WHERE worker = ?"), {id}) > 0; },
        30000));
    const CliResult drained = runCli(db + QStringList{QStringLiteral("drain"), id});
    QVERIFY2(drained.exitCode == 0, qPrintable(drained.describe()));
    QVERIFY(worker->waitForFinished(60000));
    QCOMPARE(worker->exitCode(), 0);
    QVERIFY(worker->readAllStandardError().contains("draining"));
    QCOMPARE(scalar(database, QStringLiteral("SELECT COUNT(*) FROM job_events WHERE kind = 'released'")), 0);
    QCOMPARE(scalar(database, QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status = 'running'")), 0);
    QVERIFY(listedWorker(db, worker->processId()).isEmpty()); // stopped: no longer part of the fleet
    QCOMPARE(runCli(db + QStringList{QStringLiteral("drain"), id}).exitCode, 1);
}

void tst_Fleet::workerOlderThanTheSchemaTakesNoWork()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database database = fixture.database();
    const QStringList db{QStringLiteral("--db"), fixture.url()};
    const QString ini = writeIni(fixture.tempPath(), QStringLiteral("w.ini"), 30, 200);
    QProcess *worker = startCli(db + QStringList{QStringLiteral("--config"), ini, QStringLiteral("worker")}, this);
    QVERIFY(QTest::qWaitFor([&] { return !listedWorker(db, worker->processId()).isEmpty(); }, 30000));

    // A newer Docpipe migrates the database while this worker runs.
    QSqlQuery query(database.sql());
    query.prepare(QStringLiteral("INSERT INTO schema_version (version) VALUES (?)"));
    query.addBindValue(Store::Database::latestSchemaVersion() + 1);
    QVERIFY(query.exec());
    const qint64 id = ingest(database, writeFile(fixture.tempPath(), QStringLiteral("new.txt"), "for newer workers"));
    QVERIFY(QTest::qWaitFor([&] { return worker->readAllStandardError().contains("upgrade Docpipe"); }, 30000));
    QCOMPARE(Store::findJob(database, id).value()->status, JobStatus::Queued);
    QCOMPARE(Store::findJob(database, id).value()->stage, Stage::Uploaded);
    terminate(worker);
    QCOMPARE(worker->exitCode(), 0);

    // A worker of this version starting now refuses at once, and says why.
    const CliResult refused
        = runCli(db + QStringList{QStringLiteral("--config"), ini, QStringLiteral("worker")}, 60000);
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("upgrade Docpipe"), qPrintable(refused.describe()));
}

void tst_Fleet::workerWithSkewedClockJudgesLeasesByTheServer()
{
    // libfaketime preloaded into the worker itself (the faketime wrapper would stand between the
    // test and the worker's pid, and not pass SIGTERM on).
    const QString libfaketime = QStringLiteral("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
    if (!QFile::exists(libfaketime))
        QSKIP("libfaketime is not installed (Debian package faketime; packaging/install-deps.sh installs it)");
    const auto skewed = [&](const QString &offset) {
        QProcessEnvironment env;
        env.insert(QStringLiteral("LD_PRELOAD"), libfaketime);
        env.insert(QStringLiteral("FAKETIME"), offset);
        return env;
    };
    POSTGRES_ONLY(fixture); // SQLite's clock is the worker's own: one host, nothing to disagree about
    const Store::Database database = fixture.database();
    QVERIFY(database.migrate().ok());
    for (int i = 0; i < 4; ++i)
        ingest(database,
               writeFile(fixture.tempPath(), QStringLiteral("doc%1.txt").arg(i), QByteArray("text ") + char('a' + i)));
    // Two jobs held by a live worker on another host (five minutes of lease left), two by one that
    // is gone (its lease runs out in a second).
    const QString live = QStringLiteral("live@elsewhere");
    const QString gone = QStringLiteral("gone@elsewhere");
    QList<qint64> liveJobs;
    for (int i = 0; i < 2; ++i)
        liveJobs << claimOrFail(database, Stage::Parsing, live, 300 * 1000).id;
    for (int i = 0; i < 2; ++i)
        claimOrFail(database, Stage::Parsing, gone, 1000);

    const QStringList db{QStringLiteral("--db"), fixture.url()};
    const QString ini = writeIni(fixture.tempPath(), QStringLiteral("w.ini"), 30, 200);
    const QStringList args = db + QStringList{QStringLiteral("--config"), ini, QStringLiteral("worker")};
    // Ten minutes ahead: by its own clock the live worker's leases ended five minutes ago; by the
    // server's they have five minutes left. The gone worker's jobs are over by either clock.
    QProcess *ahead = startCli(args, this, skewed(QStringLiteral("+600s")));
    const QString doneSql = QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status = 'done'");
    QVERIFY(QTest::qWaitFor([&] { return scalar(database, doneSql) == 2; }, 60000));
    terminate(ahead);
    for (const qint64 id : liveJobs) {
        const Store::JobRecord job = *Store::findJob(database, id).value();
        QCOMPARE(job.status, JobStatus::Running);
        QCOMPARE(job.leaseOwner, live);
        QCOMPARE(job.rescues, 0);
    }

    // The live worker's leases run out now (by the server's clock). A worker ten minutes behind
    // would see ten minutes of lease left if it read its own clock; it rescues them and does them.
    QSqlQuery query(database.sql());
    QVERIFY(query.exec(QStringLiteral("UPDATE jobs SET lease_expires = ") + Store::serverNowSql(database.dialect())
                       + QStringLiteral(" + 500 WHERE status = 'running'")));
    QProcess *behind = startCli(args, this, skewed(QStringLiteral("-600s")));
    QVERIFY(QTest::qWaitFor([&] { return allEmbedded(database); }, 60000));
    terminate(behind);
    QCOMPARE(scalar(database, QStringLiteral("SELECT COUNT(*) FROM job_events WHERE kind = 'lease_expired'")), 4);
}

void tst_Fleet::frozenWorkerWritesNothingLate()
{
    POSTGRES_ONLY(fixture); // a frozen SQLite writer would hold the one host's write lock
    const Store::Database database = fixture.database();
    // A worker frozen inside a transaction would hold its rows locked until it wakes; the server
    // ends such a session after a while, as DEPLOYMENT.md recommends for a fleet.
    QSqlQuery setup(database.sql());
    QVERIFY(setup.exec(QStringLiteral("SELECT current_database()")) && setup.next());
    QVERIFY(setup.exec(QStringLiteral("ALTER DATABASE \"%1\" SET idle_in_transaction_session_timeout = '3s'")
                           .arg(setup.value(0).toString())));
    const QStringList db{QStringLiteral("--db"), fixture.url()};
    const QString docs = fixture.tempPath() + QStringLiteral("/docs");
    generateMixedCorpus(docs, 24, 11, 40);
    QCOMPARE(runCli(db + QStringList{QStringLiteral("ingest"), docs}).exitCode, 0);

    // Worker A holds short leases; it is frozen while it holds jobs.
    const QString shortLease = writeIni(fixture.tempPath(), QStringLiteral("a.ini"), 2, 300);
    QProcess *a = startCli(db + QStringList{QStringLiteral("--config"), shortLease, QStringLiteral("worker")}, this);
    QVERIFY(a->waitForStarted());
    const QString heldSql = QStringLiteral("SELECT COUNT(*) FROM jobs j JOIN workers w ON w.id = j.lease_owner "
                                           "WHERE j.status = 'running' AND w.pid = ?");
    qint64 held = 0;
    for (int tries = 0; tries < 50 && held == 0; ++tries) {
        QVERIFY(QTest::qWaitFor([&] { return scalar(database, heldSql, {a->processId()}) > 0; }, 30000));
        ::kill(pid_t(a->processId()), SIGSTOP);
        held = scalar(database, heldSql, {a->processId()});
        if (held == 0)
            ::kill(pid_t(a->processId()), SIGCONT);
    }
    QVERIFY2(held > 0, "worker A never held a job when frozen");

    // Worker B rescues A's jobs once their leases ran out and finishes everything.
    const QString normal = writeIni(fixture.tempPath(), QStringLiteral("b.ini"), 30, 300);
    QProcess *b = startCli(db + QStringList{QStringLiteral("--config"), normal, QStringLiteral("worker")}, this);
    QVERIFY(QTest::qWaitFor([&] { return allEmbedded(database); }, 180000));
    QVERIFY(scalar(database, QStringLiteral("SELECT COUNT(*) FROM job_events WHERE kind = 'lease_expired'")) >= held);
    const qint64 lastEvent = scalar(database, QStringLiteral("SELECT MAX(id) FROM job_events"));

    // A wakes up: whatever it was doing completes and tries to write, and is refused.
    ::kill(pid_t(a->processId()), SIGCONT);
    terminate(a); // it finishes or hands back what it had in hand before it exits
    QCOMPARE(a->exitCode(), 0);
    terminate(b);
    QCOMPARE(scalar(database,
                    QStringLiteral("SELECT COUNT(*) FROM job_events e JOIN workers w ON w.id = e.worker "
                                   "WHERE e.id > ? AND w.pid = ?"),
                    {lastEvent, a->processId()}),
             0);
    QCOMPARE(scalar(database,
                    QStringLiteral("SELECT COUNT(*) FROM (SELECT job_id FROM job_events WHERE kind = "
                                   "'transition' AND to_stage = 'embedded' GROUP BY job_id "
                                   "HAVING COUNT(*) <> 1) AS odd")),
             0);
    QCOMPARE(scalar(database, QStringLiteral("SELECT COUNT(*) FROM chunks")),
             scalar(database, QStringLiteral("SELECT SUM(chunks) FROM jobs")));
    QCOMPARE(scalar(database,
                    QStringLiteral("SELECT COUNT(*) FROM (SELECT job_id, idx FROM chunks GROUP BY job_id, "
                                   "idx HAVING COUNT(*) > 1) AS twice")),
             0);
}

QTEST_MAIN(tst_Fleet)
#include "tst_fleet.moc"
