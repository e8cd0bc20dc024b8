// Peak memory of `docpipe-cli ingest --wait` over a folder of real documents at the default
// settings, its PDF pages per second, and the same PDFs through a pdftotext loop in the same run
// (one process after another, as a shell loop would). Not a ctest test.
//
//   bench_memory [DIR]        (or DOCPIPE_BENCH_DOCS=DIR)
//
// DIR should hold real documents, among them PDFs of 1,000+ pages (Debian's documentation packages:
// r-doc-pdf's refman.pdf, texlive-latex-base-doc's source2e.pdf, ...). Without one it says so and
// exits 0. The target: peak RSS under 200 MB.
#include "store/database.h"
#include "store/jobqueries.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

using namespace Docpipe;

extern char **environ;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

struct Measured
{
    int exitCode = -1;
    double peakMb = 0;
    double cpuSeconds = 0;
    double wallSeconds = 0;
};

double monotonicSeconds()
{
    timespec ts = {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// posix_spawn + wait4: the child's own peak RSS and CPU time, exactly (QProcess cannot tell them).
Measured runMeasured(const QStringList &command, const QString &logPath)
{
    Measured m;
    QList<QByteArray> args;
    for (const QString &arg : command)
        args << arg.toLocal8Bit();
    QList<char *> argv;
    for (QByteArray &arg : args)
        argv << arg.data();
    argv << nullptr;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const QByteArray log = logPath.toLocal8Bit();
    posix_spawn_file_actions_addopen(&actions, 1, log.constData(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const double start = monotonicSeconds();
    pid_t pid = 0;
    const int spawned = posix_spawnp(&pid, argv.first(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        return m;
    int status = 0;
    rusage usage = {};
    if (wait4(pid, &status, 0, &usage) != pid)
        return m;
    m.wallSeconds = monotonicSeconds() - start;
    m.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.peakMb = double(usage.ru_maxrss) / 1024.0;
    m.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    return m;
}

QString cliPath()
{
    const QString fromEnv = qEnvironmentVariable("DOCPIPE_CLI");
    return fromEnv.isEmpty() ? QStringLiteral(DOCPIPE_CLI_PATH) : fromEnv;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString docs = args.size() > 1 ? args.at(1) : qEnvironmentVariable("DOCPIPE_BENCH_DOCS");
    if (docs.isEmpty() || !QFileInfo(docs).isDir()) {
        out() << "bench_memory: skipped: no folder of real documents (give DIR or DOCPIPE_BENCH_DOCS; e.g. install "
                 "r-doc-pdf and texlive-latex-base-doc and copy their PDFs into one folder)\n";
        return 0;
    }
    QStringList files;
    QStringList pdfs;
    for (QDirIterator it(docs, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
        const QString file = it.next();
        files << file;
        if (file.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
            pdfs << file;
    }
    QTemporaryDir tmp;
    // Default settings: a configuration and data folder of its own, nothing from this user's.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(tmp.filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(tmp.filePath(QStringLiteral("data"))));
    const QString db = tmp.filePath(QStringLiteral("bench.sqlite"));
    const QString log = tmp.filePath(QStringLiteral("cli.log"));

    const Measured docpipe = runMeasured(
        {cliPath(), QStringLiteral("--db"), db, QStringLiteral("ingest"), QStringLiteral("--wait"), docs}, log);
    qint64 pdfPages = 0;
    int embedded = 0;
    int failed = 0;
    {
        const Store::Database database(db);
        const auto jobs = Store::listJobs(database);
        for (const Store::JobRecord &job : jobs ? jobs.value() : QList<Store::JobRecord>()) {
            if (job.name.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
                pdfPages += job.pages;
            embedded += job.status == JobStatus::Done;
            failed += job.status == JobStatus::Failed;
        }
        database.closeThreadConnection();
    }

    Measured loop;
    loop.exitCode = 0;
    const QString text = tmp.filePath(QStringLiteral("out.txt"));
    for (const QString &pdf : std::as_const(pdfs)) {
        const Measured one = runMeasured({QStringLiteral("pdftotext"), pdf, text}, log);
        loop.wallSeconds += one.wallSeconds;
        loop.cpuSeconds += one.cpuSeconds;
        loop.peakMb = std::max(loop.peakMb, one.peakMb);
        loop.exitCode = std::max(loop.exitCode, one.exitCode);
    }

    out() << QStringLiteral("bench_memory: %1 files (%2 PDFs, %3 PDF pages) in %4\n")
                 .arg(files.size())
                 .arg(pdfs.size())
                 .arg(pdfPages)
                 .arg(docs);
    out() << QStringLiteral("  docpipe-cli ingest --wait: peak RSS %1 MB, %2 s wall, %3 s CPU, %4 PDF pages/s, "
                            "%5 embedded, %6 failed, exit %7\n")
                 .arg(docpipe.peakMb, 0, 'f', 0)
                 .arg(docpipe.wallSeconds, 0, 'f', 1)
                 .arg(docpipe.cpuSeconds, 0, 'f', 1)
                 .arg(double(pdfPages) / std::max(0.001, docpipe.wallSeconds), 0, 'f', 0)
                 .arg(embedded)
                 .arg(failed)
                 .arg(docpipe.exitCode);
    out() << QStringLiteral("  pdftotext loop:            peak RSS %1 MB, %2 s wall, %3 s CPU, %4 PDF pages/s\n")
                 .arg(loop.peakMb, 0, 'f', 0)
                 .arg(loop.wallSeconds, 0, 'f', 1)
                 .arg(loop.cpuSeconds, 0, 'f', 1)
                 .arg(double(pdfPages) / std::max(0.001, loop.wallSeconds), 0, 'f', 0);
    out() << QStringLiteral("  ratio docpipe/pdftotext: wall %1, peak RSS %2 (target: docpipe peak under 200 MB)\n")
                 .arg(docpipe.wallSeconds / std::max(0.001, loop.wallSeconds), 0, 'f', 2)
                 .arg(docpipe.peakMb / std::max(0.001, loop.peakMb), 0, 'f', 2);
    out().flush();
    return docpipe.exitCode == 0 || docpipe.exitCode == 1 ? 0 : 1; // 1: some documents failed
}
