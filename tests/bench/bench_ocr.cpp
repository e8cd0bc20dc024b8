// OCR throughput: generated scanned pages (A4 prose painted at 200 dpi, wrapped in a PDF without a
// text layer) parsed by the local parser at ocr/dpi 300 (the default) and 200, on 1 and 2
// threads (the parse stage's default concurrency); pages/s, CPU seconds per page (steadier than
// wall time on a shared machine) and the share of words recovered.
// Prints figures; not a test.   bench_ocr [pages, default 6]
#include "prosegenerator.h"
#include "scangenerator.h"

#include "stages/parsers/localparser.h"
#include "stages/parsers/ocrengine.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QtConcurrent/QtConcurrentMap>

#include <QTemporaryDir>
#include <QTextStream>
#include <sys/resource.h>

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

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv); // painting the scans needs fonts
    QTextStream out(stdout);
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
