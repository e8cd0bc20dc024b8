// What the stage dashboard costs the GUI thread: StageMetrics fed a busy ten-minute window
// (events as the live feed delivers them), then showMetrics() once a second as the window does,
// with the dashboard on screen (offscreen platform). Prints figures; not a test.
//   bench_dashboard [completions per second per stage, default 200]
#include "dashboard/stagedashboard.h"
#include "metrics/stagemetrics.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>

using namespace Docpipe;

namespace {

// One second of events: `perStage` completions of each stage, with durations, and a retry.
QList<Store::JobEvent> secondOfEvents(qint64 at, int perStage, qint64 &id)
{
    QList<Store::JobEvent> events;
    events.reserve(perStage * 3 + 1);
    for (int i = 0; i < perStage; ++i) {
        for (const Stage stage : Metrics::StageMetrics::stages()) {
            Store::JobEvent e;
            e.id = ++id;
            e.at = at + (i * 1000) / perStage;
            e.kind = QStringLiteral("transition");
            e.fromStage = stageName(stage);
            e.toStage = stageName(checkpointAfter(stage));
            e.durationMs = 20 + (id * 7919) % 900;
            events << e;
        }
    }
    Store::JobEvent retry;
    retry.id = ++id;
    retry.at = at;
    retry.kind = QStringLiteral("retry");
    retry.fromStage = QStringLiteral("embedding");
    events << retry;
    return events;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int perStage = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 200;
    QTextStream out(stdout);

    Metrics::StageMetrics metrics;
    const qint64 start = 1'700'000'000'000;
    qint64 id = 0;
    qint64 feedNs = 0;
    qint64 events = 0;
    Store::StatusCounts counts;
    counts.byStage = {{Stage::Uploaded, 1200}, {Stage::ParseValidated, 300}, {Stage::ChunksBuffered, 800}};
    for (int second = 0; second < 600; ++second) {
        const QList<Store::JobEvent> batch = secondOfEvents(start + second * 1000, perStage, id);
        QElapsedTimer timer;
        timer.start();
        metrics.addEvents(batch);
        metrics.sampleCounts(start + second * 1000, counts);
        feedNs += timer.nsecsElapsed();
        events += batch.size();
    }
    out << "feed: " << events << " events in " << QString::number(double(feedNs) / 1e6, 'f', 1) << " ms ("
        << QString::number(double(events) / (double(feedNs) / 1e9) / 1e6, 'f', 2) << " M events/s); "
        << metrics.storedValues() << " numbers held\n";

    Ui::StageDashboard dashboard;
    dashboard.resize(1280, 560);
    dashboard.show();
    QList<double> tickMs;
    for (int second = 600; second < 660; ++second) {
        const qint64 now = start + second * 1000;
        metrics.addEvents(secondOfEvents(now, perStage, id));
        metrics.sampleCounts(now, counts);
        QElapsedTimer timer;
        timer.start();
        dashboard.showMetrics(metrics, now);
        dashboard.repaint(); // the paint the tick causes, counted with it
        tickMs << double(timer.nsecsElapsed()) / 1e6;
    }
    std::sort(tickMs.begin(), tickMs.end());
    out << "showMetrics + repaint, 60 ticks with a full window at " << perStage << " completions/s per stage: median "
        << QString::number(tickMs.at(tickMs.size() / 2), 'f', 2) << " ms, max "
        << QString::number(tickMs.last(), 'f', 2) << " ms\n";
    return 0;
}
