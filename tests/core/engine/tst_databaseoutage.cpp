// PostgreSQL goes away under a running engine (the worker's and the window's): stopped with an
// immediate shutdown and started again, its sessions killed, restarted while a transition waits
// to commit. The engine says so once, waits with backoff, reconnects and goes on; afterwards
// every job is embedded exactly once and none is left running. Each test owns its server.
#include "documentgenerator.h"
#include "engine/ingestor.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "outagechecks.h"
#include "pipelinerun.h"
#include "store/alertstore.h"
#include "testdatabase.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Test;

class tst_DatabaseOutage final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<PrivatePostgres> m_pg;
    QTemporaryDir m_docs;
    std::unique_ptr<PipelineEngine> m_engine;

    // A private server with `count` documents ingested and an engine running on them.
    void startRun(int count, int leaseSeconds = 30)
    {
        m_pg = std::make_unique<PrivatePostgres>();
        if (!m_pg->start()) {
            if (TestDatabase::postgresRequired())
                QFAIL(qPrintable(m_pg->error()));
            QSKIP(qPrintable(m_pg->error()));
        }
        const Store::Database db(m_pg->url());
        QVERIFY2(db.migrate().ok(), qPrintable(db.lastOpenError()));
        QStringList paths;
        for (int i = 0; i < count; ++i)
            paths << writeMarkdown(m_docs.path(), QStringLiteral("doc%1.md").arg(i), 7000 + quint32(i)).path;
        const IngestReport report = ingestPaths(db, paths, {});
        QCOMPARE(report.created.size(), count);
        Config config = fastTestConfig(m_pg->url());
        config.engine.heartbeatMs = 500;
        config.engine.leaseSeconds = leaseSeconds; // by default longer than the outages: jobs are kept
        config.watch.enabled = false;
        m_engine = std::make_unique<PipelineEngine>(config, makeParser(config), std::make_shared<SlowEmbedder>());
        QString failure;
        QVERIFY2(startAndWait(*m_engine, &failure), qPrintable(failure));
        db.closeThreadConnection();
    }

    void verifyEveryJobEmbeddedOnce(int count)
    {
        QVERIFY2(QTest::qWaitFor([&] { return embeddedJobs(*m_pg) == count; }, 120000),
                 qPrintable(finalTables(*m_pg).describe()));
        QVERIFY(stopAndWait(*m_engine));
        const FinalTables t = finalTables(*m_pg);
        QVERIFY2(t.allEmbeddedOnce(count), qPrintable(t.describe()));
    }

private Q_SLOTS:
    void cleanup()
    {
        m_engine.reset();
        m_pg.reset();
    }

    void immediateShutdown_data()
    {
        QTest::addColumn<int>("seconds");
        QTest::newRow("5 s") << 5;
        QTest::newRow("10 s") << 10;
    }
    void immediateShutdown()
    {
        QFETCH(int, seconds);
        const int count = 60;
        startRun(count);
        if (!m_engine)
            return;
        QSignalSpy unreachable(m_engine.get(), &PipelineEngine::databaseUnreachable);
        QSignalSpy reachable(m_engine.get(), &PipelineEngine::databaseReachable);
        QVERIFY(QTest::qWaitFor([&] { return embeddedJobs(*m_pg) >= 5; }, 60000));
        const int before = embeddedJobs(*m_pg);
        QVERIFY2(before < count, "the run ended before the outage; make the embedder slower");

        QVERIFY2(m_pg->stop(true), qPrintable(m_pg->error()));
        QTRY_COMPARE_WITH_TIMEOUT(unreachable.size(), 1, 10000);
        QVERIFY(!m_engine->isDatabaseReachable());
        QVERIFY2(!m_engine->databaseProblem().isEmpty(), "the engine must say why");
        QTest::qWait(seconds * 1000); // the outage itself: nothing to wait for but time
        QCOMPARE(unreachable.size(), 1); // said once, however many calls failed meanwhile
        QVERIFY2(m_pg->restart(), qPrintable(m_pg->error()));

        QTRY_VERIFY_WITH_TIMEOUT(recoveryMs(*m_pg) >= 0, 15000);
        const qint64 recovery = recoveryMs(*m_pg);
        qInfo("recovery after a %d s immediate shutdown: first stage completion %lld ms after the server was back",
              seconds, recovery);
        QVERIFY2(recovery < 15000, qPrintable(QStringLiteral("%1 ms").arg(recovery)));
        QTRY_COMPARE_WITH_TIMEOUT(reachable.size(), 1, 15000);
        QVERIFY(m_engine->isDatabaseReachable());
        QVERIFY(reachable.first().first().toLongLong() >= seconds * 1000);
        verifyEveryJobEmbeddedOnce(count);
        QCOMPARE(unreachable.size(), 1);
        // The outage is in the fleet's event log, written once the database was back.
        QTRY_COMPARE(m_pg->psql(QStringLiteral("SELECT count(*) FROM fleet_events WHERE kind = 'database_outage'")),
                     QStringLiteral("1"));
    }

    // The engine is stopped while the database is down: its stages give their jobs up (they
    // cannot hand them back), and the heartbeat no longer renews them, so they expire and the
    // next engine recovers them. Nothing stays running.
    void stoppedDuringAnOutageLeavesNothingRunning()
    {
        const int count = 30;
        startRun(count, 3);
        if (!m_engine)
            return;
        QSignalSpy unreachable(m_engine.get(), &PipelineEngine::databaseUnreachable);
        QVERIFY(QTest::qWaitFor([&] { return embeddedJobs(*m_pg) >= 3; }, 60000));
        QVERIFY2(m_pg->stop(true), qPrintable(m_pg->error()));
        QTRY_COMPARE_WITH_TIMEOUT(unreachable.size(), 1, 10000);
        QVERIFY(stopAndWait(*m_engine));
        QVERIFY2(m_pg->restart(), qPrintable(m_pg->error()));
        Config config = fastTestConfig(m_pg->url());
        config.engine.leaseSeconds = 3;
        config.watch.enabled = false;
        m_engine = std::make_unique<PipelineEngine>(config, makeParser(config), makeEmbedder(config));
        QVERIFY(startAndWait(*m_engine));
        verifyEveryJobEmbeddedOnce(count);
    }

    void sessionsTerminatedByTheServer()
    {
        const int count = 40;
        startRun(count);
        if (!m_engine)
            return;
        QVERIFY(QTest::qWaitFor([&] { return embeddedJobs(*m_pg) >= 3; }, 60000));
        int killed = 0;
        for (int round = 0; round < 8 && embeddedJobs(*m_pg) < count; ++round) {
            killed += m_pg->terminateSessions();
            QTest::qWait(250);
        }
        QVERIFY2(killed > 0, "no session was there to kill");
        verifyEveryJobEmbeddedOnce(count);
        QVERIFY(m_engine->isDatabaseReachable());
    }

    void restartWhileATransitionCommits()
    {
        const int count = 20;
        startRun(count);
        if (!m_engine)
            return;
        // Hold the final table so the next `embedded` transition waits inside its transaction,
        // then crash the server under it: that transaction is lost, and must be done again.
        QVERIFY(QTest::qWaitFor([&] { return embeddedJobs(*m_pg) >= 1; }, 60000));
        const QString lockSql
            = QStringLiteral("BEGIN; LOCK TABLE chunks IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);");
        std::unique_ptr<QProcess> holder(m_pg->psqlInBackground(lockSql, nullptr));
        const QString waiting = QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                               "AND query LIKE '%chunks%' AND datname = current_database()");
        QVERIFY2(QTest::qWaitFor([&] { return m_pg->psql(waiting).toInt() > 0; }, 30000),
                 "no transition came to wait on the locked table");
        const int before = embeddedJobs(*m_pg);
        QVERIFY2(m_pg->stop(true), qPrintable(m_pg->error()));
        QVERIFY(holder->waitForFinished(10000)); // its session went down with the server
        QTest::qWait(1000);
        QVERIFY2(m_pg->restart(), qPrintable(m_pg->error()));
        QVERIFY(embeddedJobs(*m_pg) == before); // the waiting transition was not committed
        verifyEveryJobEmbeddedOnce(count);
    }
};

QTEST_GUILESS_MAIN(tst_DatabaseOutage)
#include "tst_databaseoutage.moc"
