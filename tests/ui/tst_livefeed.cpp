// LiveFeed against real databases: the first poll's history (last 10 minutes of events, the
// newest error events, every job page by page), then the tail of what other workers do; the
// event cursor that copes with PostgreSQL ids committing out of order; an unreachable database.
#include "documentgenerator.h"
#include "livefeed.h"
#include "store/documentstore.h"
#include "store/jobcontrol.h"
#include "store/workerregistry.h"
#include "testdatabase.h"

#include <QDateTime>
#include <QSet>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Ui;

namespace {

qint64 ingest(const Store::Database &db, const QString &path, qint64 maxBytes = 1 << 20)
{
    Store::IngestOptions options;
    options.maxBytes = maxBytes;
    auto result = Store::ingestFile(db, path, options);
    if (!result)
        qFatal("ingest failed: %s", qPrintable(result.error().message));
    return result.value().jobId;
}

void exec(const Store::Database &db, const QString &sql)
{
    QSqlQuery query(db.sql());
    if (!query.exec(sql))
        qFatal("%s failed", qPrintable(sql));
}

Store::JobEvent event(qint64 id)
{
    Store::JobEvent e;
    e.id = id;
    e.jobId = 1;
    return e;
}

QList<Store::JobEvent> events(const QList<qint64> &ids)
{
    QList<Store::JobEvent> list;
    for (const qint64 id : ids)
        list << event(id);
    return list;
}

QList<qint64> ids(const QList<Store::JobEvent> &list)
{
    QList<qint64> out;
    for (const Store::JobEvent &e : list)
        out << e.id;
    return out;
}

template <typename T>
QList<T> allArguments(const QSignalSpy &spy, int argument = 0)
{
    QList<T> all;
    for (const auto &call : spy)
        all += call.at(argument).template value<QList<T>>();
    return all;
}

} // namespace

class TestLiveFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventCursor_data();
    void eventCursor();
    void eventCursorForgetsRolledBackIds();
    void historyThenTail_data() { Test::addBackendRows(); }
    void historyThenTail();
    void errorBacklogKeepsTheNewest_data() { Test::addBackendRows(); }
    void errorBacklogKeepsTheNewest();
    void unreachableDatabase_data();
    void unreachableDatabase();
};

void TestLiveFeed::eventCursor_data()
{
    QTest::addColumn<QList<QList<qint64>>>("fetches"); // what each poll reads (ids > floor)
    QTest::addColumn<QList<QList<qint64>>>("delivered"); // what each poll hands on
    QTest::addColumn<QList<qint64>>("floors"); // where each poll leaves the floor

    QTest::newRow("in order") << QList<QList<qint64>>{{1, 2, 3}, {4}, {}} << QList<QList<qint64>>{{1, 2, 3}, {4}, {}}
                              << QList<qint64>{3, 4, 4};
    QTest::newRow("id 3 commits after 4")
        << QList<QList<qint64>>{{1, 2, 4}, {4, 5}, {3, 4, 5}, {6}} << QList<QList<qint64>>{{1, 2, 4}, {5}, {3}, {6}}
        << QList<qint64>{2, 2, 5, 6};
    QTest::newRow("unsorted read") << QList<QList<qint64>>{{3, 1, 2}} << QList<QList<qint64>>{{1, 2, 3}}
                                   << QList<qint64>{3};
    QTest::newRow("two gaps") << QList<QList<qint64>>{{1, 3, 5}, {3, 4, 5}, {2, 3, 4, 5}}
                              << QList<QList<qint64>>{{1, 3, 5}, {4}, {2}} << QList<qint64>{1, 1, 5};
}

void TestLiveFeed::eventCursor()
{
    QFETCH(QList<QList<qint64>>, fetches);
    QFETCH(QList<QList<qint64>>, delivered);
    QFETCH(QList<qint64>, floors);
    EventCursor cursor(0, 10000);
    for (int poll = 0; poll < fetches.size(); ++poll) {
        QCOMPARE(ids(cursor.accept(events(fetches.at(poll)), 1000 * poll)), delivered.at(poll));
        QCOMPARE(cursor.queryAfter(), floors.at(poll));
    }
}

void TestLiveFeed::eventCursorForgetsRolledBackIds()
{
    EventCursor cursor(10, 5000);
    QCOMPARE(ids(cursor.accept(events({12, 13}), 0)), (QList<qint64>{12, 13}));
    QCOMPARE(cursor.queryAfter(), 10); // 11 may still commit
    QCOMPARE(ids(cursor.accept(events({12, 13, 14}), 4000)), QList<qint64>{14});
    QCOMPARE(cursor.queryAfter(), 10);
    // 11 never came (a rolled-back insert): after the timeout the floor moves past it.
    QCOMPARE(ids(cursor.accept(events({12, 13, 14}), 5001)), QList<qint64>{});
    QCOMPARE(cursor.queryAfter(), 14);
    QCOMPARE(cursor.rememberedCount(), 0);
    // Ids at or below the floor are history, even if they turn up late.
    QCOMPARE(ids(cursor.accept(events({11, 15}), 6000)), QList<qint64>{15});
}

void TestLiveFeed::historyThenTail()
{
    DOCPIPE_TEST_DATABASE(testDb);
    const Store::Database db = testDb.database();
    const QString dir = testDb.tempPath();
    for (int i = 1; i <= 5; ++i)
        ingest(db, Test::writeText(dir, QStringLiteral("doc%1.txt").arg(i), quint32(i)).path);
    for (int i = 6; i <= 7; ++i) // too large for a 4-byte limit: created failed, with an error event
        ingest(db, Test::writeText(dir, QStringLiteral("big%1.txt").arg(i), quint32(i)).path, 4);
    // Jobs 1 and 2 were added long ago: their events are outside the charts' window.
    exec(db,
         QStringLiteral("UPDATE job_events SET at = %1 WHERE job_id IN (1, 2)")
             .arg(QDateTime::currentMSecsSinceEpoch() - 11 * 60 * 1000));
    const QString workerId = Store::newWorkerId();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(Store::registerWorker(db,
                                  {workerId, QStringLiteral("elsewhere"), 4242, now, now, QStringLiteral("running"),
                                   QStringLiteral("0.0.9")})
                .ok());

    LiveFeed feed(db);
    feed.setPageSize(3);
    feed.setInterval(50);
    feed.setSafetyInterval(50); // PostgreSQL: the safety-net poll too, for "later polls repeat nothing"
    QSignalSpy jobsChanged(&feed, &LiveFeed::jobsChanged);
    QSignalSpy eventsAppended(&feed, &LiveFeed::eventsAppended);
    QSignalSpy errorBacklog(&feed, &LiveFeed::errorBacklog);
    QSignalSpy counts(&feed, &LiveFeed::countsSampled);
    QSignalSpy workers(&feed, &LiveFeed::workersSeen);
    QSignalSpy state(&feed, &LiveFeed::databaseStateChanged);
    QSignalSpy paused(&feed, &LiveFeed::pausedChanged);
    QSignalSpy loaded(&feed, &LiveFeed::loaded);
    feed.start();
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
    QCOMPARE(loaded.at(0).at(0).toInt(), 7);
    QVERIFY(feed.isLoaded());

    QCOMPARE(state.count(), 1);
    QCOMPARE(state.at(0).at(0).toBool(), true);
    QCOMPARE(paused.count(), 1);
    QCOMPARE(paused.at(0).at(0).toBool(), false);
    // Every job, page by page, in id order, once.
    QVERIFY(jobsChanged.count() >= 3);
    QList<qint64> jobIds;
    for (const auto &call : std::as_const(jobsChanged)) {
        const auto page = call.at(0).value<QList<Store::JobRecord>>();
        QVERIFY(page.size() <= 3);
        for (const Store::JobRecord &job : page)
            jobIds << job.id;
    }
    QCOMPARE(jobIds, (QList<qint64>{1, 2, 3, 4, 5, 6, 7}));
    // The last 10 minutes of what the dashboard counts, errors and stage completions: the two
    // failures of jobs 6 and 7, not the intake of jobs 3 to 7 (a burst of intake would be most of it).
    QCOMPARE(eventsAppended.count(), 1);
    const auto recent = eventsAppended.at(0).at(0).value<QList<Store::JobEvent>>();
    QCOMPARE(recent.size(), 2);
    QVERIFY(std::all_of(recent.cbegin(), recent.cend(), [](const auto &e) { return Store::isErrorKind(e.kind); }));
    QVERIFY(std::is_sorted(recent.cbegin(), recent.cend(), [](const auto &a, const auto &b) { return a.id < b.id; }));
    QVERIFY(std::none_of(recent.cbegin(), recent.cend(), [](const auto &e) { return e.jobId <= 2; }));
    // The error backlog: the two failures, oldest first.
    QCOMPARE(errorBacklog.count(), 1);
    const auto errors = errorBacklog.at(0).at(0).value<QList<Store::JobEvent>>();
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors.at(0).code, QStringLiteral("file_too_large"));
    QCOMPARE(errors.at(0).jobId, 6);
    QCOMPARE(errors.at(1).jobId, 7);
    // Status: counts and the other worker.
    QVERIFY(!counts.isEmpty());
    const auto firstCounts = counts.at(0).at(1).value<Store::StatusCounts>();
    QCOMPARE(firstCounts.total, 7);
    QCOMPARE(firstCounts.failed, 2);
    QCOMPARE(firstCounts.byStage.value(Stage::Uploaded), 5);
    QVERIFY(!workers.isEmpty());
    const auto seen = workers.last().at(0).value<QList<Store::WorkerRecord>>();
    QVERIFY(std::any_of(seen.cbegin(), seen.cend(), [&](const auto &w) { return w.id == workerId; }));

    // Another worker (or the CLI) acts on the same database; the feed reads it from the log.
    jobsChanged.clear();
    eventsAppended.clear();
    QVERIFY(Store::cancelJobs(db, {1}, QStringLiteral("cli@elsewhere")).ok());
    const qint64 added = ingest(db, Test::writeMarkdown(dir, QStringLiteral("late.md"), 99).path);
    QVERIFY(Store::setPaused(db, true).ok());
    QTRY_VERIFY_WITH_TIMEOUT(paused.count() == 2, 10000);
    QCOMPARE(paused.last().at(0).toBool(), true);
    QTRY_VERIFY_WITH_TIMEOUT(allArguments<Store::JobRecord>(jobsChanged).size() >= 2, 10000);
    QHash<qint64, Store::JobRecord> changed;
    for (const Store::JobRecord &job : allArguments<Store::JobRecord>(jobsChanged))
        changed.insert(job.id, job);
    QCOMPARE(changed.value(1).status, JobStatus::Cancelled);
    QCOMPARE(changed.value(added).name, QStringLiteral("late.md"));
    QVERIFY(!changed.contains(3)); // untouched jobs are not sent again
    const auto tail = allArguments<Store::JobEvent>(eventsAppended);
    QStringList kinds;
    for (const Store::JobEvent &e : tail)
        kinds << e.kind;
    QCOMPARE(kinds, (QStringList{QStringLiteral("cancelled"), QStringLiteral("created")}));
    QVERIFY(tail.first().id > recent.last().id);

    // Later polls repeat nothing.
    const int before = int(eventsAppended.count());
    QTRY_VERIFY(counts.count() > 5);
    QCOMPARE(eventsAppended.count(), before);
    feed.stop();
}

void TestLiveFeed::errorBacklogKeepsTheNewest()
{
    DOCPIPE_TEST_DATABASE(testDb);
    const Store::Database db = testDb.database();
    ingest(db, Test::writeText(testDb.tempPath(), QStringLiteral("one.txt"), 1).path);
    // 5,100 retry events for job 1, written straight into the log.
    exec(db,
         QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5100) "
                        "INSERT INTO job_events (job_id, at, kind, code, message) "
                        "SELECT 1, %1 + i, 'retry', 'http_503', 'attempt ' || i FROM n")
             .arg(QDateTime::currentMSecsSinceEpoch() - 60000));
    LiveFeed feed(db);
    QSignalSpy errorBacklog(&feed, &LiveFeed::errorBacklog);
    QSignalSpy loaded(&feed, &LiveFeed::loaded);
    feed.start();
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 20000);
    const auto errors = errorBacklog.at(0).at(0).value<QList<Store::JobEvent>>();
    QCOMPARE(errors.size(), LiveFeed::kErrorBacklog);
    QCOMPARE(errors.first().message, QStringLiteral("attempt 101"));
    QCOMPARE(errors.last().message, QStringLiteral("attempt 5100"));
}

void TestLiveFeed::unreachableDatabase_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("sqlite under a file") << QStringLiteral("%1/sub/db.sqlite"); // %1: a file, not a folder
    QTest::newRow("postgres nobody listens on") << QStringLiteral("postgresql://nobody:secret@127.0.0.1:1/nothing");
}

void TestLiveFeed::unreachableDatabase()
{
    QFETCH(QString, url);
    QTemporaryFile file;
    QVERIFY(file.open());
    LiveFeed feed{Store::Database(url.contains(QLatin1String("%1")) ? url.arg(file.fileName()) : url)};
    QSignalSpy state(&feed, &LiveFeed::databaseStateChanged);
    QSignalSpy loaded(&feed, &LiveFeed::loaded);
    feed.start();
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 15000);
    QCOMPARE(state.at(0).at(0).toBool(), false);
    const QString reason = state.at(0).at(1).toString();
    QVERIFY(!reason.isEmpty());
    QVERIFY2(!reason.contains(QStringLiteral("secret")), qPrintable(reason));
    QCOMPARE(loaded.count(), 0);
    feed.stop();
}

QTEST_MAIN(TestLiveFeed)
#include "tst_livefeed.moc"
