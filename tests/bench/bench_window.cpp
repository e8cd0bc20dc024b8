// The window under load, offscreen. Prints figures; not a test (run on demand).
//  1. While N small documents (default 2,000) are dropped and run to the end with the window
//     open, a 5 ms timer probes the GUI event loop: the longest stall (target < 50 ms).
//  2. With M jobs (default 50,000) in the database and the table open: the first load's time and
//     longest stall, the cost of scrolling page by page and of sorting, and the peak RSS
//     (target < 250 MB).
// Usage: bench_window [--docs N] [--jobs M] [--part stall|rss|all] [--db URL (PostgreSQL admin URL)]
#include "documentgenerator.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "i18n.h"
#include "jobs/jobsview.h"
#include "jobs/jobtablemodel.h"
#include "livefeed.h"
#include "mainwindow.h"
#include "stallprobe.h"
#include "store/documentstore.h"
#include "store/jobcontrol.h"
#include "windowload.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <algorithm>

#include <unistd.h>

using namespace Docpipe;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

qint64 procStatusKb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// CPU time (user + system) of this process's main thread, in ms: how busy the GUI thread was,
// as against how long it waited for a CPU (a stall can be either).
qint64 guiThreadCpuMs()
{
    QFile stat(QStringLiteral("/proc/self/task/%1/stat").arg(QCoreApplication::applicationPid()));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    // Fields after the ")" that closes the thread's name: utime and stime are the 12th and 13th.
    const QList<QByteArray> fields = stat.readAll().split(')').last().trimmed().split(' ');
    const qint64 ticks = fields.value(11).toLongLong() + fields.value(12).toLongLong();
    return ticks * 1000 / sysconf(_SC_CLK_TCK);
}

// Resets VmHWM, so the peak measured is the window's, not the database generator's.
void resetPeakRss()
{
    QFile refs(QStringLiteral("/proc/self/clear_refs"));
    if (refs.open(QIODevice::WriteOnly))
        refs.write("5");
}

QString mb(qint64 kb)
{
    return QString::number(double(kb) / 1024.0, 'f', 1) + QStringLiteral(" MB");
}

void closeWindow(Ui::MainWindow &window, PipelineEngine *engine)
{
    window.close();
    if (!QTest::qWaitFor([&] { return !window.isVisible() && (!engine || !engine->isRunning()); }, 60000))
        out() << "the window did not close within a minute\n";
}

int benchStall(const QString &dbUrl, const QString &workDir, int documents)
{
    out() << "== GUI stalls while " << documents << " small documents run through the window\n";
    const QString folder = workDir + QStringLiteral("/docs");
    QDir().mkpath(folder);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < documents; ++i) {
        const QString name = QStringLiteral("doc-%1").arg(i, 5, 10, QLatin1Char('0'));
        switch (i % 3) {
        case 0:
            Test::writeText(folder, name + QStringLiteral(".txt"), quint32(i));
            break;
        case 1:
            Test::writeMarkdown(folder, name + QStringLiteral(".md"), quint32(i));
            break;
        default:
            Test::writeHtml(folder, name + QStringLiteral(".html"), quint32(i));
            break;
        }
    }
    out() << "generated the documents in " << timer.elapsed() << " ms\n";

    Config config;
    config.databaseUrl = dbUrl;
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    Ui::MainWindow window({config, workDir + QStringLiteral("/bench.ini"), &engine});
    window.show();
    window.start();
    int finished = 0;
    QObject::connect(window.liveFeed(), &Ui::LiveFeed::countsSampled, &window,
                     [&](qint64, const Store::StatusCounts &counts) {
                         finished = counts.byStage.value(Stage::Embedded) + counts.failed + counts.cancelled;
                     });
    if (!QTest::qWaitFor([&] { return engine.isRunning() && window.liveFeed()->isLoaded(); }, 30000)) {
        out() << "the engine did not start\n";
        return 1;
    }
    Test::StallProbe probe;
    probe.start();
    const qint64 cpuBefore = guiThreadCpuMs();
    timer.restart();
    window.ingestPaths({folder});
    if (!QTest::qWaitFor([&] { return finished >= documents && window.jobsView()->model()->rowCount() >= documents; },
                         30 * 60 * 1000)) {
        out() << "timed out with " << finished << " finished\n";
        return 1;
    }
    const qint64 elapsed = timer.elapsed();
    probe.stop();
    out() << "all " << documents << " jobs finished in " << elapsed << " ms ("
          << QString::number(documents * 1000.0 / elapsed, 'f', 1) << " documents/s); the table holds "
          << window.jobsView()->model()->rowCount() << " rows\n";
    out() << "event-loop probe: " << probe.ticks() << " ticks of 5 ms; longest stall "
          << QString::number(probe.longestStallMs(), 'f', 1) << " ms (target < 50 ms); 99th percentile gap "
          << QString::number(probe.percentileGapMs(0.99), 'f', 1) << " ms; " << probe.stallsOver(50)
          << " stalls over 50 ms\n";
    out() << "the GUI thread was busy " << guiThreadCpuMs() - cpuBefore << " ms of the " << elapsed << " ms\n";
    out().flush();
    closeWindow(window, &engine);
    return probe.longestStallMs() < 50 ? 0 : 2;
}

// `jobs` jobs at `uploaded`, named after 1,000 different files, written through the store.
bool fillDatabase(const Store::Database &db, const QString &workDir, int jobs)
{
    const QString folder = workDir + QStringLiteral("/seed");
    QDir().mkpath(folder);
    QStringList files;
    for (int i = 0; i < 1000; ++i)
        files << Test::writeText(folder, QStringLiteral("seed-%1-quarterly-report.txt").arg(i, 4, 10, QLatin1Char('0')),
                                 quint32(i))
                     .path;
    Store::IngestOptions options;
    options.force = true; // the same file again is a new job
    for (int i = 0; i < jobs; ++i) {
        if (!Store::ingestFile(db, files.at(i % files.size()), options)) {
            out() << "ingest failed\n";
            return false;
        }
    }
    return Store::setPaused(db, true).ok(); // the engine runs, but the jobs stay where they are
}

int benchRss(const QString &dbUrl, const QString &workDir, int jobs)
{
    out() << "== Peak RSS and responsiveness with " << jobs << " jobs in the database and the table open\n";
    QElapsedTimer timer;
    timer.start();
    {
        const Store::Database db(dbUrl);
        if (!db.migrate() || !fillDatabase(db, workDir, jobs))
            return 1;
        db.closeThreadConnection();
    }
    out() << "wrote " << jobs << " jobs in " << timer.elapsed() << " ms\n";
    resetPeakRss();
    out() << "RSS before the window: " << mb(procStatusKb("VmRSS:")) << "\n";

    Config config;
    config.databaseUrl = dbUrl;
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    const Test::WindowLoad load
        = Test::openLoadedWindow({config, workDir + QStringLiteral("/bench.ini"), &engine}, jobs, 10 * 60 * 1000);
    Ui::MainWindow &window = *load.window;
    if (load.allRowsMs < 0) {
        out() << "the table did not fill\n";
        return 1;
    }
    out() << "first rows after " << load.firstRowsMs << " ms; all " << window.jobsView()->model()->rowCount()
          << " rows after " << load.allRowsMs << " ms; longest GUI stall while loading "
          << QString::number(load.longestStallMs, 'f', 1) << " ms\n";

    // Scroll through the whole table a page at a time, painting each page.
    QTableView *table = window.jobsView()->table();
    QScrollBar *bar = table->verticalScrollBar();
    if (!QTest::qWaitFor([&] { return bar->maximum() > 0; }, 5000)) {
        out() << "the table did not lay out\n";
        return 1;
    }
    double worstPaint = 0;
    double totalPaint = 0;
    int pages = 0;
    for (int value = 0; value <= bar->maximum(); value += std::max(1, bar->pageStep())) {
        QElapsedTimer paint;
        paint.start();
        bar->setValue(value);
        table->viewport()->repaint();
        const double ms = double(paint.nsecsElapsed()) / 1e6;
        worstPaint = std::max(worstPaint, ms);
        totalPaint += ms;
        ++pages;
    }
    out() << "scrolled " << pages << " pages: " << QString::number(totalPaint / pages, 'f', 2)
          << " ms per page on average, worst " << QString::number(worstPaint, 'f', 1) << " ms\n";

    QElapsedTimer sort;
    sort.start();
    table->sortByColumn(Ui::JobTableModel::NameColumn, Qt::AscendingOrder);
    out() << "sorting " << jobs << " rows by name: " << sort.elapsed() << " ms\n";
    sort.restart();
    window.jobsView()->proxy()->setSearchText(QStringLiteral("seed-0042"));
    out() << "searching " << jobs << " names: " << sort.elapsed() << " ms (" << window.jobsView()->proxy()->rowCount()
          << " match)\n";
    window.jobsView()->proxy()->setSearchText({});

    // A few seconds of live polling with the full table.
    Test::StallProbe probe;
    probe.start();
    QTest::qWait(3000);
    probe.stop();
    out() << "idle with the full table: longest stall " << QString::number(probe.longestStallMs(), 'f', 1) << " ms\n";
    const qint64 peak = procStatusKb("VmHWM:");
    out() << "peak RSS with the table open: " << mb(peak) << " (target < 250 MB); now " << mb(procStatusKb("VmRSS:"))
          << "\n";
    out().flush();
    closeWindow(window, &engine);
    return peak < 250 * 1024 ? 0 : 2;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    Ui::installTranslations(QStringLiteral("en"));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("docs"), QStringLiteral("Documents for the stall probe."), QStringLiteral("N"),
                      QStringLiteral("2000")});
    parser.addOption({QStringLiteral("jobs"), QStringLiteral("Jobs for the RSS figure."), QStringLiteral("M"),
                      QStringLiteral("50000")});
    parser.addOption(
        {QStringLiteral("part"), QStringLiteral("stall, rss or all."), QStringLiteral("PART"), QStringLiteral("all")});
    parser.addOption({QStringLiteral("db"),
                      QStringLiteral("A database URL to use instead of a temporary SQLite file (must be empty)."),
                      QStringLiteral("URL")});
    parser.process(app);
    const QString part = parser.value(QStringLiteral("part"));
    int status = 0;
    if (part == QLatin1String("stall") || part == QLatin1String("all")) {
        QTemporaryDir dir;
        const QString url = parser.isSet(QStringLiteral("db")) ? parser.value(QStringLiteral("db"))
                                                               : dir.filePath(QStringLiteral("stall.sqlite"));
        status |= benchStall(url, dir.path(), parser.value(QStringLiteral("docs")).toInt());
    }
    if (part == QLatin1String("rss") || part == QLatin1String("all")) {
        QTemporaryDir dir;
        status |= benchRss(dir.filePath(QStringLiteral("rss.sqlite")), dir.path(),
                           parser.value(QStringLiteral("jobs")).toInt());
    }
    return status;
}
