// A real `docpipe-cli worker` when its PostgreSQL goes away: stopped and started again, or cut
// off by a network link that drops packets (the worker in its own network namespace, its link
// taken down). It says so once on stderr, goes on when the database is back, and after a cut its
// late writes are refused while another worker has taken its jobs over: every job is embedded
// once. Each test owns its PostgreSQL server (the shared one must not be stopped).
#include "clirunner.h"
#include "documentgenerator.h"
#include "engine/ingestor.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "outagechecks.h"
#include "pipelinerun.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace Docpipe;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

QStringList ingestDocuments(PrivatePostgres &pg, const QString &dir, int count, int first)
{
    QStringList paths;
    for (int i = first; i < first + count; ++i)
        paths << writeMarkdown(dir, u"doc%1.md"_s.arg(i), 4400 + quint32(i)).path;
    const Store::Database db(pg.url());
    if (const auto migrated = db.migrate(); !migrated)
        return {migrated.error().message};
    const IngestReport report = ingestPaths(db, paths, {});
    db.closeThreadConnection();
    return report.errors;
}

QString writeConfig(const QString &dir, int leaseSeconds)
{
    const QString ini = dir + u"/worker.ini"_s;
    QSettings settings(ini, QSettings::IniFormat);
    settings.setValue(u"engine/lease_seconds"_s, leaseSeconds);
    settings.setValue(u"engine/heartbeat_ms"_s, 500);
    settings.setValue(u"engine/poll_ms"_s, 100);
    settings.setValue(u"watch/enabled"_s, false);
    settings.setValue(u"retry/base_delay_ms"_s, 50);
    settings.setValue(u"retry/max_delay_ms"_s, 200);
    return ini;
}

QByteArray stopWorker(QProcess *worker)
{
    ::kill(pid_t(worker->processId()), SIGTERM);
    if (!worker->waitForFinished(60000)) {
        worker->kill();
        worker->waitForFinished();
    }
    return worker->readAllStandardError();
}

int runIp(const QStringList &arguments)
{
    QProcess ip;
    ip.setProcessChannelMode(QProcess::MergedChannels);
    ip.start(u"ip"_s, arguments);
    if (!ip.waitForFinished(10000) || ip.exitStatus() != QProcess::NormalExit)
        return -1;
    return ip.exitCode();
}

// A network namespace joined to this one by a veth pair on a private /30 made for the test.
class CutLink final
{
public:
    CutLink()
        : m_name(u"dpcut%1"_s.arg(::getpid()))
        , m_host(u"dpv%1"_s.arg(::getpid() % 100000))
        , m_peer(u"dpw%1"_s.arg(::getpid() % 100000))
    {
        const int net = 4 * (::getpid() % 60); // 10.232.<pid % 250>.<net>/30
        m_hostAddress = u"10.232.%1.%2"_s.arg(::getpid() % 250).arg(net + 1);
        m_peerAddress = u"10.232.%1.%2"_s.arg(::getpid() % 250).arg(net + 2);
        m_network = u"10.232.%1.%2/30"_s.arg(::getpid() % 250).arg(net);
        const QList<QStringList> steps{
            {u"netns"_s, u"add"_s, m_name},
            {u"link"_s, u"add"_s, m_host, u"type"_s, u"veth"_s, u"peer"_s, u"name"_s, m_peer},
            {u"link"_s, u"set"_s, m_peer, u"netns"_s, m_name},
            {u"addr"_s, u"add"_s, m_hostAddress + u"/30"_s, u"dev"_s, m_host},
            {u"link"_s, u"set"_s, m_host, u"up"_s},
            {u"-n"_s, m_name, u"addr"_s, u"add"_s, m_peerAddress + u"/30"_s, u"dev"_s, m_peer},
            {u"-n"_s, m_name, u"link"_s, u"set"_s, m_peer, u"up"_s},
            {u"-n"_s, m_name, u"link"_s, u"set"_s, u"lo"_s, u"up"_s},
        };
        for (const QStringList &step : steps) {
            if (runIp(step) != 0) {
                m_problem = u"cannot make a network namespace (needs root and iproute2): ip "_s + step.join(u' ');
                return;
            }
        }
        m_ready = true;
    }
    ~CutLink()
    {
        runIp({u"link"_s, u"del"_s, m_host});
        runIp({u"netns"_s, u"del"_s, m_name});
    }
    Q_DISABLE_COPY_MOVE(CutLink)

    bool isReady() const { return m_ready; }
    QString problem() const { return m_problem; }
    QString hostAddress() const { return m_hostAddress; }
    QString network() const { return m_network; }
    // Down: packets are dropped, nothing is refused (the peer end stays up and keeps its state).
    bool setUp(bool up) { return runIp({u"link"_s, u"set"_s, m_host, up ? u"up"_s : u"down"_s}) == 0; }
    // Runs docpipe-cli inside the namespace.
    QProcess *startCli(const QStringList &arguments, QObject *parent) const
    {
        auto *process = new QProcess(parent);
        process->start(u"ip"_s, QStringList{u"netns"_s, u"exec"_s, m_name, cliPath()} + arguments);
        return process;
    }

private:
    QString m_name, m_host, m_peer, m_hostAddress, m_peerAddress, m_network, m_problem;
    bool m_ready = false;
};

} // namespace

class tst_WorkerOutage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workerSaysItOnceAndGoesOn_data()
    {
        QTest::addColumn<int>("outageSeconds");
        QTest::newRow("5 s") << 5;
        QTest::newRow("60 s") << 60;
    }

    // The worker is idle when the server goes away (the worst case for waking up: it waits for a
    // change notice, on a notification connection the outage broke too), and documents arrive
    // right after the server is back. The outage comes right after the last job finished, so with
    // the test server's asynchronous commit that job's last transition is often lost in the
    // crash: the worker must hand back the lease it forgot instead of letting it expire.
    void workerSaysItOnceAndGoesOn()
    {
        QFETCH(int, outageSeconds);
        PrivatePostgres pg;
        if (!pg.start()) {
            if (TestDatabase::postgresRequired())
                QFAIL(qPrintable(pg.error()));
            QSKIP(qPrintable(pg.error()));
        }
        QTemporaryDir dir;
        QVERIFY(ingestDocuments(pg, dir.path(), 10, 0).isEmpty());
        const QString ini = writeConfig(dir.path(), 30);
        {
            // The alert monitor and the folder watcher look often, so that each meets the outage.
            QSettings settings(ini, QSettings::IniFormat);
            settings.setValue(u"alerts/check_interval_seconds"_s, 1);
            settings.setValue(u"watch/enabled"_s, true);
            settings.setValue(u"watch/rescan_seconds"_s, 1);
        }
        std::unique_ptr<QProcess> worker(startCli({u"--db"_s, pg.url(), u"--config"_s, ini, u"worker"_s}, nullptr));
        QVERIFY(worker->waitForStarted());
        QString err;
        connect(worker.get(), &QProcess::readyReadStandardError, worker.get(),
                [&] { err += QString::fromUtf8(worker->readAllStandardError()); });
        QVERIFY(QTest::qWaitFor([&] { return embeddedJobs(pg) == 10; }, 60000));

        QVERIFY2(pg.stop(true), qPrintable(pg.error()));
        QTest::qWait(outageSeconds * 1000); // the worker keeps trying meanwhile, with backoff
        QVERIFY2(pg.restart(), qPrintable(pg.error()));
        QElapsedTimer back; // the server accepts connections again
        back.start();
        QVERIFY(ingestDocuments(pg, dir.path(), 10, 10).isEmpty());
        qint64 firstStageMs = -1;
        QVERIFY(QTest::qWaitFor(
            [&] {
                if (firstStageMs < 0 && recoveryMs(pg) >= 0)
                    firstStageMs = back.elapsed();
                return embeddedJobs(pg) == 20;
            },
            60000));
        const qint64 allMs = back.elapsed();
        if (firstStageMs < 0)
            firstStageMs = allMs;
        qInfo("worker after a %d s outage: first stage completed %lld ms after PostgreSQL accepted connections "
              "again (%lld ms after its postmaster started, crash recovery included); all 20 documents embedded "
              "after %lld ms",
              outageSeconds, firstStageMs, recoveryMs(pg), allMs);
        QVERIFY2(firstStageMs < 15000, qPrintable(u"%1 ms"_s.arg(firstStageMs)));
        QVERIFY2(allMs < 15000, qPrintable(u"%1 ms"_s.arg(allMs)));
        // The alert checks go on too (they retry with the same short backoff).
        QVERIFY2(QTest::qWaitFor([&] { return err.contains(u"alert checks: database reachable again"_s); }, 5000),
                 qPrintable(err.right(3000)));
        qInfo("alert checks back %lld ms after PostgreSQL accepted connections again", back.elapsed());
        QCOMPARE(worker->state(), QProcess::Running);
        err += QString::fromUtf8(stopWorker(worker.get()));
        QCOMPARE(worker->exitCode(), 0);
        QCOMPARE(err.count(u"warning: database unavailable"_s), 1);
        QCOMPARE(err.count(u"database reachable again after"_s), 1);
        QVERIFY2(!err.contains(u"cannot claim work"_s), qPrintable(err));
        // The alert monitor and the folder watcher say it once too (the watcher through the
        // engine's line above), not at every check.
        QCOMPARE(err.count(u"alert checks wait for the database"_s), 1);
        QCOMPARE(err.count(u"alert checks: database reachable again"_s), 1);
        QVERIFY2(!err.contains(u"alert check failed"_s), qPrintable(err));
        QVERIFY2(!err.contains(u"watching folders:"_s), qPrintable(err));
        // Nor does Qt repeat "database not open" for every statement tried meanwhile.
        QVERIFY2(!err.contains(u"database not open"_s), qPrintable(err));
        const FinalTables tables = finalTables(pg);
        QVERIFY2(tables.allEmbeddedOnce(20), qPrintable(tables.describe()));
    }

    void networkCutMovesLeasesToAnotherWorker()
    {
        if (::geteuid() != 0)
            QSKIP("a network namespace needs root");
        CutLink link;
        if (!link.isReady())
            QSKIP(qPrintable(link.problem()));
        PrivatePostgres pg;
        pg.listenAlsoOn(link.hostAddress(), link.network());
        if (!pg.start()) {
            if (TestDatabase::postgresRequired())
                QFAIL(qPrintable(pg.error()));
            QSKIP(qPrintable(pg.error()));
        }
        QTemporaryDir dir;
        const int first = 300;
        QVERIFY(ingestDocuments(pg, dir.path(), first, 0).isEmpty());
        const int leaseSeconds = 4;
        const QString ini = writeConfig(dir.path(), leaseSeconds);
        QString remoteUrl = pg.url();
        remoteUrl.replace(u"127.0.0.1"_s, link.hostAddress());

        // Worker A, across the link.
        std::unique_ptr<QProcess> cutOff(
            link.startCli({u"--db"_s, remoteUrl, u"--config"_s, ini, u"worker"_s}, nullptr));
        QVERIFY(cutOff->waitForStarted());
        QByteArray errA;
        connect(cutOff.get(), &QProcess::readyReadStandardError, cutOff.get(),
                [&] { errA += cutOff->readAllStandardError(); });
        const qint64 pid = cutOff->processId();
        QVERIFY2(QTest::qWaitFor([&] { return embeddedJobs(pg) >= 20; }, 60000), errA.constData());
        const QString workerA = pg.psql(u"SELECT id FROM workers WHERE pid = %1"_s.arg(pid));
        QVERIFY(!workerA.isEmpty());

        QVERIFY(link.setUp(false));
        QElapsedTimer cut;
        cut.start();
        const int heldAtCut
            = pg.psql(u"SELECT count(*) FROM jobs WHERE status = 'running' AND lease_owner = '%1'"_s.arg(workerA))
                  .toInt();
        // Worker B, on this side, takes over once A's leases have expired.
        Config config = fastTestConfig(pg.url());
        config.engine.leaseSeconds = leaseSeconds;
        config.engine.heartbeatMs = 500;
        config.watch.enabled = false;
        auto other = std::make_unique<PipelineEngine>(config, makeParser(config), makeEmbedder(config));
        QVERIFY(startAndWait(*other));
        QVERIFY(QTest::qWaitFor([&] { return embeddedJobs(pg) == first; }, 120000));
        if (heldAtCut > 0)
            QVERIFY(
                pg.psql(u"SELECT count(*) FROM job_events WHERE kind = 'lease_expired' AND message LIKE '%%1%'"_s.arg(
                            workerA))
                    .toInt()
                >= 1);

        // A's queries do not hang for ever: it notices the cut by itself.
        QVERIFY2(QTest::qWaitFor([&] { return errA.contains("warning: database unavailable"); }, 60000),
                 "the cut-off worker never noticed the cut");
        qInfo("network cut: the cut-off worker noticed after %lld ms; %d lease(s) it held were taken over",
              cut.elapsed(), heldAtCut);
        QCOMPARE(cutOff->state(), QProcess::Running);

        // The link comes back: A reconnects, its late writes are refused, and it goes on alone.
        QVERIFY(link.setUp(true));
        QVERIFY(stopAndWait(*other));
        other.reset();
        QVERIFY(ingestDocuments(pg, dir.path(), 10, first).isEmpty());
        QVERIFY2(QTest::qWaitFor([&] { return embeddedJobs(pg) == first + 10; }, 120000), errA.constData());
        QCOMPARE(pg.psql(u"SELECT count(DISTINCT job_id) FROM job_events WHERE kind = 'transition' AND to_stage = "
                         "'embedded' AND worker = '%1' AND job_id > %2"_s.arg(workerA)
                             .arg(first)),
                 u"10"_s);
        errA += stopWorker(cutOff.get());
        QVERIFY2(errA.contains("database reachable again after"), errA.constData());
        const FinalTables tables = finalTables(pg);
        QVERIFY2(tables.allEmbeddedOnce(first + 10), qPrintable(tables.describe()));
    }
};

QTEST_GUILESS_MAIN(tst_WorkerOutage)
#include "tst_workeroutage.moc"
