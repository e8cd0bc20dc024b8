#include "enginerun.h"

#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "signalwatcher.h"

#include <QCoreApplication>
#include <QTimer>

namespace Docpipe::Cli {

int runEngine(const Context &context, const EngineRunOptions &options)
{
    PipelineEngine engine(context.config, makeParser(context.config), makeEmbedder(context.config));
    SignalWatcher signalWatcher;
    QTimer ticker;
    ticker.setInterval(options.tickMs);
    int exitCode = 0;

    QObject::connect(&engine, &PipelineEngine::startFailed, &engine, [&](const QString &reason) {
        fail(QStringLiteral("cannot start the engine: ") + reason);
        exitCode = 1;
        QCoreApplication::quit();
    });
    QObject::connect(&engine, &PipelineEngine::started, &engine, [&] {
        ticker.start();
        if (context.verbose)
            err() << "engine running as " << engine.workerId() << Qt::endl;
    });
    QObject::connect(&engine, &PipelineEngine::stopped, &engine, [] { QCoreApplication::quit(); });
    QObject::connect(&engine, &PipelineEngine::alert, &engine, [](const QString &code, const QString &message) {
        err() << "ALERT [" << code << "] " << message << Qt::endl;
    });
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &engine, [&](int) {
        err() << "stopping: finishing or handing back unfinished work..." << Qt::endl;
        ticker.stop();
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
    engine.start();
    QCoreApplication::exec();
    return exitCode;
}

} // namespace Docpipe::Cli
