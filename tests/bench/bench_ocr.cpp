// OCR throughput: generated scanned pages (A4 prose painted at 200 dpi, wrapped in a PDF without a
// text layer) parsed by the local parser at ocr/dpi 300 (the default) and 200, on 1 and 2
// threads (the parse stage's default concurrency); pages/s, CPU seconds per page (steadier than
// wall time on a shared machine) and the share of words recovered. First the memory one page's
// OCR holds at its peak (resident memory sampled every 2 ms above the process with its Tesseract
// loaded), beside ocrPageBytes(), the estimate the OCR path reserves from the memory budget.
// Each page size is measured in a process of its own: one that OCRed before reuses what its
// allocator kept, and the page would seem to take less.
// Prints figures; not a test.   bench_ocr [pages, default 6]
#include "prosegenerator.h"
#include "scangenerator.h"

#include "metrics/processmemory.h"
#include "stages/parsers/localparser.h"
#include "stages/parsers/ocrengine.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QProcess>
#include <QtConcurrent/QtConcurrentMap>

#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <sys/resource.h>

#include <atomic>

using namespace Docpipe;
using namespace Docpipe::Stages;
using namespace Docpipe::Test;

namespace {

// CPU seconds this process has used: on a shared machine, CPU per page is steadier than wall time.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The most resident memory above `baseline` while `work` runs (sampled every 2 ms on a thread).
template <typename Work>
qint64 peakRiseDuring(qint64 baseline, Work work)
{
    std::atomic<bool> done{false};
    std::atomic<qint64> peak{0};
    QThread *sampler = QThread::create([&] {
        while (!done) {
            peak = std::max(peak.load(), Metrics::residentBytes() - baseline);
            QThread::usleep(2000);
        }
    });
    sampler->start();
    work();
    done = true;
    sampler->wait();
    delete sampler;
    return peak;
}

// One scanned page's OCR through the parser at `dpi`: its peak memory and the reserved estimate.
void measurePageMemory(QTextStream &out, const QByteArray &onePagePdf, int dpi)
{
    OcrConfig ocr;
    ocr.dpi = 40; // Tesseract and poppler warm, on a render too small to leave much for reuse
    (void)LocalParser({}, ocr).parse({onePagePdf, QStringLiteral("page.pdf")}, {});
    ocr.dpi = dpi;
    const LocalParser parser({}, ocr);
    const qint64 baseline = Metrics::residentBytes();
    const qint64 rise = peakRiseDuring(baseline, [&] {
        (void)parser.parse({onePagePdf, QStringLiteral("page.pdf")}, {});
    });
    const qint64 pixels = qint64(210 / 25.4 * dpi) * qint64(297 / 25.4 * dpi);
    constexpr double kMb = 1024.0 * 1024.0;
    out << "memory per page, A4 at " << dpi << " dpi (" << QString::number(pixels / 1e6, 'f', 1) << " Mpixels): peak "
        << QString::number(rise / kMb, 'f', 1) << " MB above the idle process (the render "
        << QString::number(pixels * 4 / kMb, 'f', 1) << " MB of it); reserved "
        << QString::number(ocrPageBytes(pixels, 4) / kMb, 'f', 1) << " MB\n";
    out.flush();
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv); // painting the scans needs fonts
    QTextStream out(stdout);
    if (argc == 4 && qstrcmp(argv[1], "--page-memory") == 0) {
        QFile page(QString::fromLocal8Bit(argv[3]));
        if (!page.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", argv[3]);
        measurePageMemory(out, page.readAll(), QString::fromLocal8Bit(argv[2]).toInt());
        return 0;
    }
    const int pages = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 6;
    QTemporaryDir dir;
    ProseGenerator prose(5);
    QStringList texts;
    QStringList entries;
    for (int i = 0; i < pages; ++i) {
        QStringList paragraphs;
        for (int p = 0; p < 5; ++p)
            paragraphs << prose.paragraph(5);
        texts << paragraphs.join(QStringLiteral("\n\n"));
        entries << QStringLiteral("SCAN:") + texts.last();
    }
    const QString path = dir.filePath(QStringLiteral("scans.pdf"));
    if (!writeMixedPdf(path, entries))
        qFatal("cannot write %s", qPrintable(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    const QByteArray bytes = file.readAll();

    const QString onePage = dir.filePath(QStringLiteral("page.pdf"));
    if (!writeMixedPdf(onePage, {entries.first()}))
        qFatal("cannot write %s", qPrintable(onePage));
    for (const int dpi : {200, 300, 400}) {
        QProcess measure;
        measure.setProcessChannelMode(QProcess::ForwardedChannels);
        measure.start(QCoreApplication::applicationFilePath(),
                      {QStringLiteral("--page-memory"), QString::number(dpi), onePage});
        measure.waitForFinished(120000);
    }

    for (const int dpi : {300, 200}) {
        OcrConfig ocr;
        ocr.dpi = dpi;
        const LocalParser parser({}, ocr);
        for (const int threads : {1, 2}) {
            QThreadPool pool;
            pool.setMaxThreadCount(threads);
            QList<int> runs;
            for (int i = 0; i < threads; ++i)
                runs << i;
            // Each thread loads its Tesseract once (as a worker thread does) before the clock runs.
            QtConcurrent::blockingMap(
                &pool, runs, [&](int) { (void)recognizeImage(renderScan(QStringLiteral("warm up")), 200, ocr, {}); });
            QElapsedTimer timer;
            timer.start();
            const double cpuBefore = cpuSeconds();
            const QList<double> recalls = QtConcurrent::blockingMapped(&pool, runs, [&](int) {
                const auto parsed = parser.parse({bytes, QStringLiteral("scans.pdf")}, {});
                if (!parsed)
                    qFatal("parse failed: %s", qPrintable(parsed.error().message));
                double recall = 0;
                for (int i = 0; i < parsed.value().pages.size(); ++i)
                    recall += wordRecall(texts.at(i), parsed.value().pages.at(i).text);
                return recall / double(parsed.value().pages.size());
            });
            const double seconds = double(timer.nsecsElapsed()) / 1e9;
            const double cpuPerPage = (cpuSeconds() - cpuBefore) / (pages * threads);
            out << dpi << " dpi, " << threads << " thread(s): " << pages * threads << " scanned pages in "
                << QString::number(seconds, 'f', 1) << " s = " << QString::number(pages * threads / seconds, 'f', 2)
                << " pages/s, " << QString::number(cpuPerPage, 'f', 2) << " CPU s per page; words recovered "
                << QString::number(recalls.first() * 100, 'f', 1) << "%\n";
            out.flush();
        }
    }
    return 0;
}
