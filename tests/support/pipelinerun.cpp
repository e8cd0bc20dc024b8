#include "pipelinerun.h"

#include "engine/ingestor.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "store/jobqueries.h"

#include <QSignalSpy>
#include <QTest>

namespace Docpipe::Test {

namespace {

bool allEnded(const Store::Database &db)
{
    const auto counts = Store::statusCounts(db);
    if (!counts)
        return false;
    const Store::StatusCounts &c = counts.value();
    return c.total > 0 && c.failed + c.cancelled + c.byStage.value(Stage::Embedded) == c.total;
}

bool runAndWait(PipelineEngine &engine, void (PipelineEngine::*action)(), void (PipelineEngine::*done)())
{
    QSignalSpy spy(&engine, done);
    (engine.*action)();
    return !spy.isEmpty() || spy.wait(20000);
}

} // namespace

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
    const Store::Database db(url);
    const IngestReport report = ingestPaths(db, paths, {});
    if (!report.errors.isEmpty())
        return report.errors.join(u'\n');
    const Config config = fastTestConfig(url);
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    if (!runAndWait(engine, &PipelineEngine::start, &PipelineEngine::started))
        return QStringLiteral("the engine did not start");
    const bool ended = QTest::qWaitFor([&] { return allEnded(db); }, timeoutMs);
    if (!runAndWait(engine, &PipelineEngine::stop, &PipelineEngine::stopped))
        return QStringLiteral("the engine did not stop");
    return ended ? QString() : QStringLiteral("jobs were still running after %1 ms").arg(timeoutMs);
}

} // namespace Docpipe::Test
