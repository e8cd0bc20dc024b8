// docpipe-panelsdemo: a manual tool (not a ctest test) that shows the stage dashboard and the
// error log over a real run, and optionally saves screenshots of them and of the settings
// dialog. The embedder sleeps a little per batch and fails now and then (transiently), like a
// remote API, so the charts have something to show.
//   docpipe-panelsdemo [--shots DIR] [--waves N] [--docs-per-wave N] [--db URL]
#include "dashboard/stagedashboard.h"
#include "documentgenerator.h"
#include "engine/ingestor.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "errorlog/errorlogdock.h"
#include "metrics/stagemetrics.h"
#include "settings/secretstore.h"
#include "settings/settingsdialog.h"
#include "stages/embedding/lexicalhashembedder.h"
#include "store/jobqueries.h"
#include "store/storeexecutor.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QMainWindow>
#include <QSpinBox>
#include <QTableView>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <cstdio>

using namespace Docpipe;

namespace {

class SlowFlakyEmbedder final : public Stages::Embedder
{
public:
    QString model() const override { return m_inner.model(); }
    int dimensions() const override { return m_inner.dimensions(); }
    int maxBatchSize() const override { return 16; }
    Result<QList<Vector>> embed(const QStringList &texts, const StageContext &context) const override
    {
        QThread::msleep(350);
        if (++m_calls % 9 == 0)
            return StageError::transient(QStringLiteral("http_503"),
                                         QStringLiteral("the service is unavailable (HTTP 503)"));
        return m_inner.embed(texts, context);
    }

private:
    Stages::LexicalHashEmbedder m_inner;
    mutable std::atomic<int> m_calls{0};
};

struct Poll
{
    QList<Store::JobEvent> events;
    Store::StatusCounts counts;
};

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption shots(QStringLiteral("shots"), QStringLiteral("Save screenshots here, then quit."),
                                   QStringLiteral("dir"));
    const QCommandLineOption waves(QStringLiteral("waves"), QStringLiteral("Waves of documents."), QStringLiteral("n"),
                                   QStringLiteral("5"));
    const QCommandLineOption perWave(QStringLiteral("docs-per-wave"), QStringLiteral("Documents per wave."),
                                     QStringLiteral("n"), QStringLiteral("30"));
    const QCommandLineOption dbOption(QStringLiteral("db"),
                                      QStringLiteral("Database URL (default: a temporary SQLite file)."),
                                      QStringLiteral("url"));
    parser.addOptions({shots, waves, perWave, dbOption});
    parser.process(app);

    QTemporaryDir temp;
    const QString url = parser.isSet(dbOption) ? parser.value(dbOption) : temp.filePath(QStringLiteral("demo.sqlite"));
    const Store::Database db(url);
    if (!db.migrate()) {
        std::fprintf(stderr, "cannot open %s\n", qPrintable(db.displayUrl()));
        return 1;
    }

    QMainWindow window;
    auto *dashboard = new Ui::StageDashboard(&window);
    auto *errors = new Ui::ErrorLogDock(&window);
    window.setCentralWidget(dashboard);
    window.addDockWidget(Qt::BottomDockWidgetArea, errors);
    window.setWindowTitle(QStringLiteral("Docpipe — panels demo"));
    window.resize(1280, 800);
    window.show();

    Config config;
    config.databaseUrl = url;
    config.engine.embedConcurrency = 2;
    config.retry.baseDelayMs = 500;
    PipelineEngine engine(config, makeParser(config), std::make_shared<SlowFlakyEmbedder>());
    engine.start();

    Metrics::StageMetrics metrics;
    Store::StoreExecutor executor;
    qint64 afterId = -1;
    bool polling = false;
    QElapsedTimer showTimer;
    qint64 slowestShowNs = 0;
    qint64 totalShowNs = 0;
    int shows = 0;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &window, [&] {
        if (polling)
            return;
        polling = true;
        const qint64 since = afterId < 0 ? Store::nowMs() - metrics.windowMs() : -1;
        executor
            .run([db, afterId, since] {
                Poll result;
                result.events = Store::listEvents(db, {.since = since, .afterId = afterId}).value();
                result.counts = Store::statusCounts(db).value();
                return result;
            })
            .then(&window, [&](const Poll &result) {
                polling = false;
                if (!result.events.isEmpty())
                    afterId = result.events.last().id;
                const qint64 now = Store::nowMs();
                metrics.addEvents(result.events);
                metrics.sampleCounts(now, result.counts);
                errors->appendEvents(result.events);
                showTimer.start();
                dashboard->showMetrics(metrics, now);
                const qint64 ns = showTimer.nsecsElapsed();
                slowestShowNs = qMax(slowestShowNs, ns);
                totalShowNs += ns;
                ++shows;
            });
    });
    poll.start(1000);

    const QString corpus = temp.filePath(QStringLiteral("corpus"));
    int wave = 0;
    QTimer ingest;
    const auto ingestWave = [&] {
        if (wave >= parser.value(waves).toInt()) {
            ingest.stop();
            return;
        }
        const QString dir = QDir(corpus).filePath(QString::number(wave));
        QStringList paths;
        for (const auto &doc : Test::generateMixedCorpus(dir, parser.value(perWave).toInt(), quint32(100 + wave), 8))
            paths << doc.path;
        if (wave % 2 == 1) {
            for (const auto &bad : Test::generateBadCorpus(QDir(dir).filePath(QStringLiteral("bad"))))
                paths << bad.path;
        }
        ++wave;
        executor.run([db, paths] { return ingestPaths(db, paths, {}); }).then(&window, [&engine](const IngestReport &) {
            engine.wake();
        });
    };
    QObject::connect(&ingest, &QTimer::timeout, &window, ingestWave);
    QTimer::singleShot(4000, &window, [&] {
        ingest.start(20000);
        ingestWave();
    });

    const QString shotDir = parser.value(shots);
    const auto grab = [&](QWidget *widget, const QString &name) {
        if (shotDir.isEmpty())
            return;
        QDir().mkpath(shotDir);
        widget->grab().save(QDir(shotDir).filePath(name + QStringLiteral(".png")));
        std::printf("saved %s\n", qPrintable(name));
        std::fflush(stdout);
    };
    QTimer::singleShot(3000, &window, [&] { grab(&window, QStringLiteral("panels-idle")); });
    QTimer::singleShot(60000, &window, [&] { grab(&window, QStringLiteral("panels-busy")); });
    const int endMs = 4000 + parser.value(waves).toInt() * 20000 + 40000;
    QTimer::singleShot(endMs, &window, [&] {
        errors->view()->selectRow(0);
        grab(&window, QStringLiteral("panels-failures"));
        auto *dialog
            = new Ui::SettingsDialog(config, new Ui::SecretStore(QStringLiteral("DocpipeDemo"), &window), &window);
        dialog->show();
        grab(dialog, QStringLiteral("settings"));
        dialog->findChild<QSpinBox *>(QStringLiteral("chunking/chunk_tokens"))->setValue(9000);
        dialog->findChild<QSpinBox *>(QStringLiteral("chunking/overlap_tokens"))->setValue(5000);
        dialog->findChild<QTabWidget *>()->setCurrentIndex(2);
        QTimer::singleShot(300, dialog, [&, dialog] {
            grab(dialog, QStringLiteral("settings-invalid"));
            dialog->findChild<QTabWidget *>()->setCurrentIndex(1);
            QTimer::singleShot(300, dialog, [&, dialog] {
                grab(dialog, QStringLiteral("settings-services"));
                std::printf("showMetrics: %d calls, mean %.2f ms, slowest %.2f ms\n", shows,
                            shows ? double(totalShowNs) / shows / 1e6 : 0.0, double(slowestShowNs) / 1e6);
                if (!shotDir.isEmpty())
                    engine.stop();
            });
        });
    });
    QObject::connect(&engine, &PipelineEngine::stopped, &app, &QApplication::quit);
    return app.exec();
}
