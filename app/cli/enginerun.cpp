#include "enginerun.h"

#include "alerts/alertmonitor.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "signalwatcher.h"

#include <QCoreApplication>
#include <QTimer>

#include <memory>

namespace Docpipe::Cli {

int runEngine(const Context &context, const EngineRunOptions &options)
{
    PipelineEngine engine(context.config, makeParser(context.config), makeEmbedder(context.config));
    SignalWatcher signalWatcher;
    QTimer ticker;
    ticker.setInterval(options.tickMs);
    int exitCode = 0;
    std::unique_ptr<Alerts::AlertMonitor> alerts;

    QObject::connect(&engine, &PipelineEngine::startFailed, &engine, [&](const QString &reason) {
        fail(QStringLiteral("cannot start the engine: ") + reason);
        exitCode = 1;
        QCoreApplication::quit();
    });
    QObject::connect(&engine, &PipelineEngine::started, &engine, [&] {
        ticker.start();
        if (context.verbose)
            err() << "engine running as " << engine.workerId() << Qt::endl;
        if (options.alerts && !alerts) {
            alerts = std::make_unique<Alerts::AlertMonitor>(context.config, engine.workerId());
            QObject::connect(
                alerts.get(), &Alerts::AlertMonitor::noticed, &engine,
                [](const Alerts::AlertNotice &notice) { err() << Alerts::noticeLine(notice) << Qt::endl; });
            alerts->start();
        }
    });
    QObject::connect(&engine, &PipelineEngine::stopped, &engine, [] { QCoreApplication::quit(); });
    QObject::connect(&engine, &PipelineEngine::draining, &engine, [&] {
        err() << "draining (asked by an operator): finishing what this worker holds, then stopping" << Qt::endl;
        ticker.stop();
        if (alerts)
            alerts->stop();
    });
    QObject::connect(&engine, &PipelineEngine::alert, &engine, [&](const QString &code, const QString &message) {
        err() << "ALERT [" << code << "] " << message << Qt::endl;
        if (alerts) // an exhausted quota: let the rule see it now, not at the next check
            alerts->checkNow();
    });
    // Once per outage each way, however many calls fail meanwhile.
    QObject::connect(&engine, &PipelineEngine::databaseUnreachable, &engine, [](const QString &reason) {
        err() << "warning: database unavailable; work waits and is retried with backoff: " << reason << Qt::endl;
    });
    QObject::connect(&engine, &PipelineEngine::databaseReachable, &engine, [](qint64 outageMs) {
        err() << "database reachable again after " << QString::number(double(outageMs) / 1000.0, 'f', 1)
              << " s; work goes on" << Qt::endl;
    });
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &engine, [&](int) {
        err() << "stopping: finishing or handing back unfinished work..." << Qt::endl;
        ticker.stop();
        if (alerts)
            alerts->stop();
        engine.stop();
    });
    QObject::connect(&ticker, &QTimer::timeout, &engine, [&] {
        if (options.onTick)
            options.onTick();
        if (options.finished && options.finished()) {
            ticker.stop();
            engine.stop();
        }
    });
    if (options.attach)
        options.attach(engine);
    engine.start();
    QCoreApplication::exec();
    return exitCode;
}

} // namespace Docpipe::Cli
