#include "pipelinerun.h"

#include "engine/ingestor.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "store/jobqueries.h"

#include <QSignalSpy>
#include <QTest>

namespace Docpipe::Test {

bool startAndWait(PipelineEngine &engine, QString *failure)
{
    QSignalSpy started(&engine, &PipelineEngine::started);
    QSignalSpy failed(&engine, &PipelineEngine::startFailed);
    engine.start();
    const bool answered = QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, 20000);
    if (failure && !failed.isEmpty())
        *failure = failed.first().first().toString();
    return answered && !started.isEmpty();
}

bool stopAndWait(PipelineEngine &engine)
{
    QSignalSpy stopped(&engine, &PipelineEngine::stopped);
    engine.stop();
    return !stopped.isEmpty() || stopped.wait(20000);
}

namespace {

int endedIn(const Store::StatusCounts &counts)
{
    return counts.failed + counts.cancelled + counts.byStage.value(Stage::Embedded);
}

bool allEnded(const Store::Database &db)
{
    const auto counts = Store::statusCounts(db);
    return counts && counts.value().total > 0 && endedIn(counts.value()) == counts.value().total;
}

} // namespace

int endedJobs(const Store::Database &db)
{
    const auto counts = Store::statusCounts(db);
    return counts ? endedIn(counts.value()) : -1;
}

Config fastTestConfig(const QString &url)
{
    Config config;
    config.databaseUrl = url;
    config.engine.pollMs = 50;
    config.engine.heartbeatMs = 100;
    config.retry.baseDelayMs = 10;
    config.retry.maxDelayMs = 50;
    return config;
}

QString runPipelineToEnd(const QString &url, const QStringList &paths, int timeoutMs)
{
    return runPipelineToEnd(fastTestConfig(url), paths, timeoutMs);
}

QString runPipelineToEnd(const Config &config, const QStringList &paths, int timeoutMs)
{
    const Store::Database db(config.databaseUrl);
    const IngestReport report = ingestPaths(db, paths, {});
    if (!report.errors.isEmpty())
        return report.errors.join(u'\n');
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    if (!startAndWait(engine))
        return QStringLiteral("the engine did not start");
    const bool ended = QTest::qWaitFor([&] { return allEnded(db); }, timeoutMs);
    if (!stopAndWait(engine))
        return QStringLiteral("the engine did not stop");
    return ended ? QString() : QStringLiteral("jobs were still running after %1 ms").arg(timeoutMs);
}

} // namespace Docpipe::Test
