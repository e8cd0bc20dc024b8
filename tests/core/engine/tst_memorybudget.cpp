// Admission of stage work by memory (engine/memory_budget_mb): what fits runs side by side, what
// does not waits its turn in order, a job bigger than the whole budget still runs (alone), and a
// job that must stop stops waiting. Work already running may hold extras (an OCRed page) that wait
// only for each other and go before new work, so a running job never waits on one that waits on
// it. Then the engine on SQLite and PostgreSQL: a budget smaller than
// two big documents parses them one at a time, a document bigger than the budget still ends, and
// the process-wide gauges (read by /metrics and the window) say what is admitted and waiting.
#include "engine/ingestor.h"
#include "engine/memorybudget.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "metrics/memoryadmission.h"
#include "pipelinerun.h"
#include "store/jobqueries.h"
#include "testdatabase.h"

#include <QFile>
#include <QFuture>
#include <QSqlQuery>
#include <QtConcurrent/QtConcurrentRun>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <atomic>

using namespace Docpipe;

namespace {

constexpr qint64 kMb = 1024 * 1024;

// The real local parser, counting how many parses run at once (each held a little, so parses
// that may overlap do) and the most the budget had admitted during any of them.
class OverlapCountingParser final : public Stages::DocumentParser
{
public:
    explicit OverlapCountingParser(std::shared_ptr<const Stages::DocumentParser> inner)
        : m_inner(std::move(inner))
    { }
    QString name() const override { return m_inner->name(); }
    Result<ParsedDocument> parse(const Stages::ParseRequest &request, const StageContext &context) const override
    {
        const int now = ++running;
        int seen = mostAtOnce.load();
        while (now > seen && !mostAtOnce.compare_exchange_weak(seen, now)) { }
        QThread::msleep(300);
        auto parsed = m_inner->parse(request, context);
        --running;
        return parsed;
    }

    mutable std::atomic<int> running{0};
    mutable std::atomic<int> mostAtOnce{0};

private:
    std::shared_ptr<const Stages::DocumentParser> m_inner;
};

// A text document of about `bytes`, different for every `seed`.
QString writeText(const QString &dir, int seed, qint64 bytes)
{
    QByteArray text;
    text.reserve(bytes + 200);
    int sentence = 0;
    while (text.size() < bytes)
        text += "Sentence " + QByteArray::number(++sentence) + " of document " + QByteArray::number(seed)
            + " says how the figures were checked before they reached the board.\n";
    const QString path = QStringLiteral("%1/big%2.txt").arg(dir).arg(seed);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

int embeddedJobs(const Store::Database &db)
{
    QSqlQuery query(db.sql());
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM jobs WHERE stage = 'embedded' AND status = 'done'"))
        || !query.next())
        qFatal("cannot count jobs");
    return query.value(0).toInt();
}

} // namespace

class tst_MemoryBudget final : public QObject
{
    Q_OBJECT
private slots:
    void admitsWhatFitsAndQueuesTheRest();
    void servesInOrderSoBigWorkIsNotStarved();
    void oversizedWorkRunsAlone();
    void waitingStopsWhenTheJobMustStop();
    void extrasWaitOnlyForEachOther();
    void extrasGoBeforeNewWork();
    void gaugesFollowTheBudget();
    void estimatesWeighBigDocumentsMore();
    void engineParsesBigDocumentsOneAtATime_data() { Test::addBackendRows(); }
    void engineParsesBigDocumentsOneAtATime();
};

void tst_MemoryBudget::admitsWhatFitsAndQueuesTheRest()
{
    MemoryBudget budget(100);
    QVERIFY(budget.reserve(40, {}));
    QVERIFY(budget.reserve(50, {}));
    QCOMPARE(budget.admittedBytes(), 90);
    QVERIFY(!budget.isSaturated());

    QThreadPool pool;
    std::atomic<bool> admitted{false};
    QFuture<void> waiting = QtConcurrent::run(&pool, [&] {
        budget.reserve(30, {});
        admitted = true;
    });
    QTRY_COMPARE(budget.waiting(), 1); // 90 + 30 > 100
    QVERIFY(budget.isSaturated());
    QVERIFY(!admitted);
    budget.release(40);
    QTRY_VERIFY(admitted);
    QCOMPARE(budget.admittedBytes(), 80);
    QCOMPARE(budget.waiting(), 0);
    waiting.waitForFinished();
}

void tst_MemoryBudget::servesInOrderSoBigWorkIsNotStarved()
{
    MemoryBudget budget(100);
    QVERIFY(budget.reserve(60, {}));
    QThreadPool pool;
    std::atomic<bool> bigAdmitted{false};
    QFuture<void> big = QtConcurrent::run(&pool, [&] {
        budget.reserve(80, {});
        bigAdmitted = true;
    });
    QTRY_COMPARE(budget.waiting(), 1);
    // A small request would fit beside the 60, but it came after the big one: it waits its turn.
    std::atomic<bool> smallAdmitted{false};
    QFuture<void> small = QtConcurrent::run(&pool, [&] {
        budget.reserve(10, {});
        smallAdmitted = true;
    });
    QTRY_COMPARE(budget.waiting(), 2);
    QVERIFY(!smallAdmitted);
    budget.release(60);
    QTRY_VERIFY(bigAdmitted);
    QTRY_VERIFY(smallAdmitted); // 80 + 10 fit
    QCOMPARE(budget.admittedBytes(), 90);
    big.waitForFinished();
    small.waitForFinished();
}

void tst_MemoryBudget::oversizedWorkRunsAlone()
{
    MemoryBudget budget(100);
    QVERIFY(budget.reserve(500, {})); // nothing else admitted: it runs, or it never would
    QCOMPARE(budget.admittedBytes(), 500);
    int asked = 0;
    QVERIFY(!budget.reserve(1, [&] { return ++asked >= 2; })); // full: waits, then gives up
    QVERIFY(asked >= 2);
    QCOMPARE(budget.waiting(), 0);
    budget.release(500);
    QCOMPARE(budget.admittedBytes(), 0);
    QVERIFY(budget.reserve(1, {}));
}

void tst_MemoryBudget::waitingStopsWhenTheJobMustStop()
{
    MemoryBudget budget(10);
    QVERIFY(budget.reserve(10, {}));
    QThreadPool pool;
    std::atomic<bool> stop{false};
    QFuture<bool> first = QtConcurrent::run(&pool, [&] { return budget.reserve(5, [&] { return stop.load(); }); });
    QTRY_COMPARE(budget.waiting(), 1);
    QFuture<bool> second = QtConcurrent::run(&pool, [&] { return budget.reserve(5, {}); });
    QTRY_COMPARE(budget.waiting(), 2);
    stop = true; // cancelled, lease lost, or the engine stopping
    QTRY_VERIFY(first.isFinished());
    QVERIFY(!first.result());
    QCOMPARE(budget.waiting(), 1); // the one behind it keeps its place, now first in line
    budget.release(10);
    QTRY_VERIFY(second.isFinished());
    QVERIFY(second.result());
    QCOMPARE(budget.admittedBytes(), 5);
}

// Two running jobs fill the budget with their own shares; each then needs an extra for a page. Had
// extras waited for the budget to empty, each would wait for the other job to end: neither would.
void tst_MemoryBudget::extrasWaitOnlyForEachOther()
{
    const Metrics::MemoryAdmission before = Metrics::memoryAdmission();
    MemoryBudget budget(100);
    QVERIFY(budget.reserve(50, {}));
    QVERIFY(budget.reserve(50, {}));
    QVERIFY(budget.reserveExtra(60, {})); // no other extra held: at once, over the budget
    QCOMPARE(budget.admittedBytes(), 160);
    QCOMPARE(Metrics::memoryAdmission().admittedBytes, before.admittedBytes + 160);
    QThreadPool pool;
    std::atomic<bool> stop{false};
    QFuture<bool> second
        = QtConcurrent::run(&pool, [&] { return budget.reserveExtra(60, [&] { return stop.load(); }); });
    QTRY_COMPARE(budget.waiting(), 1); // behind the first extra
    QVERIFY(budget.isSaturated());
    budget.releaseExtra(60);
    QTRY_VERIFY(second.isFinished());
    QVERIFY(second.result());
    QCOMPARE(budget.admittedBytes(), 160);
    // A job that must stop stops waiting for an extra too.
    QFuture<bool> third
        = QtConcurrent::run(&pool, [&] { return budget.reserveExtra(60, [&] { return stop.load(); }); });
    QTRY_COMPARE(budget.waiting(), 1);
    stop = true;
    QTRY_VERIFY(third.isFinished());
    QVERIFY(!third.result());
    QCOMPARE(budget.waiting(), 0);
    // Releasing a job's share never gives back what is held as an extra.
    budget.release(50);
    budget.release(50);
    budget.release(50);
    QCOMPARE(budget.admittedBytes(), 60);
    budget.releaseExtra(60);
    QCOMPARE(budget.admittedBytes(), 0);
    QCOMPARE(Metrics::memoryAdmission().admittedBytes, before.admittedBytes);
}

// New work that would fit waits while an extra waits: the running job's page comes first.
void tst_MemoryBudget::extrasGoBeforeNewWork()
{
    MemoryBudget budget(100);
    QVERIFY(budget.reserve(20, {}));
    QVERIFY(budget.reserveExtra(70, {}));
    QThreadPool pool;
    QFuture<bool> extra = QtConcurrent::run(&pool, [&] { return budget.reserveExtra(30, {}); });
    QTRY_COMPARE(budget.waiting(), 1);
    std::atomic<bool> newAdmitted{false};
    QFuture<void> fresh = QtConcurrent::run(&pool, [&] {
        budget.reserve(5, {}); // 95 would fit, but the extra asked first
        newAdmitted = true;
    });
    QTRY_COMPARE(budget.waiting(), 2);
    QVERIFY(!newAdmitted);
    budget.releaseExtra(70);
    QTRY_VERIFY(extra.isFinished());
    QVERIFY(extra.result());
    QTRY_VERIFY(newAdmitted);
    QCOMPARE(budget.admittedBytes(), 55);
    fresh.waitForFinished();
}

void tst_MemoryBudget::gaugesFollowTheBudget()
{
    const Metrics::MemoryAdmission before = Metrics::memoryAdmission();
    {
        MemoryBudget budget(64 * kMb);
        QVERIFY(budget.reserve(40 * kMb, {}));
        QThreadPool pool;
        QFuture<bool> waiting = QtConcurrent::run(&pool, [&] { return budget.reserve(30 * kMb, {}); });
        QTRY_COMPARE(Metrics::memoryAdmission().waiting, before.waiting + 1);
        Metrics::MemoryAdmission now = Metrics::memoryAdmission();
        QCOMPARE(now.budgetBytes, before.budgetBytes + 64 * kMb);
        QCOMPARE(now.admittedBytes, before.admittedBytes + 40 * kMb);
        budget.release(40 * kMb);
        QTRY_VERIFY(waiting.isFinished());
        now = Metrics::memoryAdmission();
        QCOMPARE(now.admittedBytes, before.admittedBytes + 30 * kMb);
        QCOMPARE(now.waiting, before.waiting);
    } // an engine's budget goes with it, and so does what it had admitted
    QCOMPARE(Metrics::memoryAdmission().budgetBytes, before.budgetBytes);
    QCOMPARE(Metrics::memoryAdmission().admittedBytes, before.admittedBytes);
}

void tst_MemoryBudget::estimatesWeighBigDocumentsMore()
{
    Store::JobRecord small;
    small.name = QStringLiteral("note.pdf");
    small.sizeBytes = 20 * 1024;
    small.stage = Stage::Parsing;
    Store::JobRecord manual; // Debian's R reference manual: 6.5 MB, 2,415 pages
    manual.name = QStringLiteral("refman.pdf");
    manual.sizeBytes = 6534438;
    manual.stage = Stage::Parsing;
    QVERIFY(estimateStageBytes(small) < 3 * kMb);
    QVERIFY(estimateStageBytes(manual) > 60 * kMb);
    manual.pages = 2415;
    for (const Stage stage : {Stage::Chunking, Stage::Embedding}) {
        manual.stage = small.stage = stage;
        QVERIFY(estimateStageBytes(manual) > estimateStageBytes(small));
    }
    // The default budget (128 MB) never holds two such manuals in parsing or chunking at once.
    const qint64 defaultBudget = qint64(Config().engine.memoryBudgetMb) * kMb;
    for (const Stage stage : {Stage::Parsing, Stage::Chunking}) {
        manual.stage = stage;
        QVERIFY(2 * estimateStageBytes(manual) > defaultBudget);
        QVERIFY(estimateStageBytes(manual) < defaultBudget);
    }
}

void tst_MemoryBudget::engineParsesBigDocumentsOneAtATime()
{
    {
        DOCPIPE_TEST_DATABASE(probe); // skips (or fails) here when PostgreSQL is not configured
    }
    QFETCH(QString, backend);
    // Each 1.5 MB text parses within an estimate of 2 + 6 x 1.5 = 11 MB: two do not fit in 16 MB.
    // The 3 MB one (20 MB) is bigger than the whole budget. The first job runs alone in any case
    // (the engine fills its parse slots once a claim found work), so there are four.
    const auto run = [&](int budgetMb, int *mostAtOnce, int *mostWaiting) {
        Test::TestDatabase fixture(backend);
        if (!fixture.isReady())
            return fixture.skipReason();
        QStringList paths;
        for (int seed = 0; seed < 3; ++seed)
            paths << writeText(fixture.tempPath(), seed, 3 * kMb / 2);
        paths << writeText(fixture.tempPath(), 3, 3 * kMb);
        const Store::Database db = fixture.database();
        if (const IngestReport report = ingestPaths(db, paths, {}); !report.errors.isEmpty())
            return report.errors.join(u'\n');
        Config config = Test::fastTestConfig(fixture.url());
        config.engine.parseConcurrency = 2;
        config.engine.memoryBudgetMb = budgetMb;
        auto parser = std::make_shared<OverlapCountingParser>(makeParser(config));
        PipelineEngine engine(config, parser, makeEmbedder(config));
        if (!Test::startAndWait(engine))
            return QStringLiteral("the engine did not start");
        *mostWaiting = 0;
        const bool ended = QTest::qWaitFor(
            [&] {
                const EngineCounters counters = engine.counters();
                *mostWaiting = std::max(*mostWaiting, counters.memoryWaiting);
                return embeddedJobs(db) == int(paths.size());
            },
            120000);
        Test::stopAndWait(engine);
        *mostAtOnce = parser->mostAtOnce.load();
        if (ended)
            return QString();
        QStringList stages;
        for (const Store::JobRecord &job : Store::listJobs(db).value())
            stages << QStringLiteral("%1: %2 %3 %4")
                          .arg(job.name, stageName(job.stage), statusName(job.status), job.errorMessage);
        return QString(QStringLiteral("not every job was embedded: ") + stages.join(QStringLiteral("; ")));
    };
    int mostAtOnce = 0;
    int mostWaiting = 0;
    QString failure = run(16, &mostAtOnce, &mostWaiting);
    QVERIFY2(failure.isEmpty(), qPrintable(failure)); // the one bigger than the budget ended too
    QCOMPARE(mostAtOnce, 1);
    QVERIFY(mostWaiting >= 1); // a second parse was claimed and waited for memory
    // The same documents with room for them: two parses at once (the test can see an overlap).
    failure = run(1024, &mostAtOnce, &mostWaiting);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QCOMPARE(mostAtOnce, 2);
    QCOMPARE(mostWaiting, 0);
}

QTEST_GUILESS_MAIN(tst_MemoryBudget)
#include "tst_memorybudget.moc"
