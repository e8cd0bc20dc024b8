// docpipe-screenshot-tour: drives the real window through a run (drop a corpus with broken files,
// let it work, look at failures and a job's details) and captures the X screen at each step with
// ImageMagick's `import -window root`. Run under Xvfb by packaging/screenshots.sh; not a test.
// Usage: docpipe-screenshot-tour CORPUS_DIR OUTPUT_DIR
// (settings is captured last; embeddings come from an in-process mock server with latency)
#include "details/jobdetailsdialog.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "i18n.h"
#include "jobs/jobfilterproxy.h"
#include "jobs/jobsview.h"
#include "jobs/jobtablemodel.h"
#include "livefeed.h"
#include "mainwindow.h"
#include "mockserver.h"
#include "settings/settingsdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QProcess>
#include <QScreen>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace Docpipe;

namespace {

void capture(const QString &dir, const QString &name)
{
    QTest::qWait(400); // let the last updates paint
    const QString path = QDir(dir).filePath(name + QStringLiteral(".png"));
    const int status
        = QProcess::execute(QStringLiteral("import"), {QStringLiteral("-window"), QStringLiteral("root"), path});
    QTextStream(stdout) << (status == 0 ? "wrote " : "FAILED to write ") << path << Qt::endl;
}

int rowOf(const Ui::JobsView *view, const std::function<bool(const Ui::JobRow &)> &match)
{
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        if (match(view->model()->jobAt(row)))
            return row;
    }
    return -1;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("docpipe"));
    Ui::installTranslations(qEnvironmentVariable("DOCPIPE_TOUR_LANGUAGE", QStringLiteral("en")));
    const QStringList args = QApplication::arguments();
    if (args.size() != 3) {
        QTextStream(stderr) << "usage: docpipe-screenshot-tour CORPUS_DIR OUTPUT_DIR\n";
        return 2;
    }
    const QString corpus = QFileInfo(args.at(1)).absoluteFilePath();
    const QString out = args.at(2);
    QDir().mkpath(out);
    QTemporaryDir work;

    // Embeddings come from Docpipe's mock of an OpenAI-compatible service, over real HTTP, with a
    // service's latency, so the busy view shows work in flight.
    Services::MockServerOptions mockOptions;
    mockOptions.latencyMs = 120;
    mockOptions.apiKeys = {QStringLiteral("sk-tour")};
    Services::MockServer mock(mockOptions);
    if (!mock.listen())
        return 1;

    Config config;
    config.databaseUrl = work.filePath(QStringLiteral("tour.sqlite"));
    config.engine.parseConcurrency = 2;
    config.engine.chunkConcurrency = 2;
    config.chunking.chunkTokens = 128;
    config.chunking.overlapTokens = 16;
    config.embedder.kind = QStringLiteral("openai");
    config.embedder.baseUrl = mock.url().toString();
    config.embedder.apiKey = QStringLiteral("sk-tour");
    config.embedder.model = QStringLiteral("text-embedding-3-small");
    config.embedder.dimensions = 256;
    config.embedder.batchSize = 16;
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    Ui::MainWindow window({config, work.filePath(QStringLiteral("tour.ini")), &engine});
    window.setGeometry(window.screen()->availableGeometry());
    window.show();
    window.start();
    if (!QTest::qWaitFor([&] { return engine.isRunning() && window.liveFeed()->isLoaded(); }, 20000))
        return 1;
    capture(out, QStringLiteral("empty"));

    window.ingestPaths({corpus});
    Ui::JobsView *jobs = window.jobsView();
    if (!QTest::qWaitFor([&] { return jobs->model()->rowCount() > 100; }, 20000))
        return 1;
    QTest::qWait(2500);
    // The top of the list: the broken files that failed at once, and the long PDF still embedding.
    jobs->table()->scrollToTop();
    capture(out, QStringLiteral("busy"));

    const auto allFinished = [&] {
        const int total = jobs->model()->rowCount();
        return total > 0 && rowOf(jobs, [](const Ui::JobRow &job) { return !job.isFinished(); }) < 0;
    };
    if (!QTest::qWaitFor(allFinished, 10 * 60 * 1000))
        return 1;
    QTest::qWait(1000);
    const int firstFailed = rowOf(jobs, [](const Ui::JobRow &job) { return job.status == JobStatus::Failed; });
    if (firstFailed >= 0)
        window.selectJob(jobs->model()->jobAt(firstFailed).id);
    jobs->table()->scrollToTop();
    capture(out, QStringLiteral("idle"));

    jobs->outcomeFilter()->setCurrentIndex(jobs->outcomeFilter()->findData(int(Ui::Outcome::Failed)));
    capture(out, QStringLiteral("failures"));
    jobs->outcomeFilter()->setCurrentIndex(0);

    // The longest document's details: many pages, many chunks.
    int longest = 0;
    for (int row = 1; row < jobs->model()->rowCount(); ++row) {
        if (jobs->model()->jobAt(row).pages > jobs->model()->jobAt(longest).pages)
            longest = row;
    }
    window.selectJob(jobs->model()->jobAt(longest).id);
    window.showDetails(jobs->model()->jobAt(longest).id);
    if (!QTest::qWaitFor([&] { return window.detailsDialog() && !window.detailsDialog()->isLoading(); }, 20000))
        return 1;
    capture(out, QStringLiteral("details"));
    window.detailsDialog()->tabs()->setCurrentIndex(Ui::JobDetailsDialog::ChunksTab);
    capture(out, QStringLiteral("details-chunks"));
    if (firstFailed >= 0) {
        window.showDetails(jobs->model()->jobAt(firstFailed).id);
        if (!QTest::qWaitFor([&] { return !window.detailsDialog()->isLoading(); }, 20000))
            return 1;
        window.detailsDialog()->tabs()->setCurrentIndex(Ui::JobDetailsDialog::ErrorTab);
        capture(out, QStringLiteral("details-error"));
    }
    window.detailsDialog()->close();

    window.openSettings();
    if (auto *settings = window.findChild<Ui::SettingsDialog *>()) {
        settings->move(window.geometry().center() - settings->rect().center());
        capture(out, QStringLiteral("settings"));
        settings->close();
    }

    window.close();
    return QTest::qWaitFor([&] { return !engine.isRunning(); }, 30000) ? 0 : 1;
}
