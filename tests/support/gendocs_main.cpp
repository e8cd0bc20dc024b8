// docpipe-gendocs --out DIR --count N [--seed S] [--pdf-pages N] [--bad]
// Writes a mixed corpus of real documents (and optionally the broken ones) for benchmarks.
#include "documentgenerator.h"

#include <QCommandLineParser>
#include <QDir>
#include <QGuiApplication>

#include <cstdio>

using namespace Docpipe::Test;

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // QPdfWriter needs a QGuiApplication, not a screen
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Writes generated test documents into a folder."));
    parser.addHelpOption();
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Output folder."), QStringLiteral("dir"));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("Number of good documents."),
                                   QStringLiteral("n"), QStringLiteral("20"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed for the prose."), QStringLiteral("s"),
                                  QStringLiteral("1"));
    const QCommandLineOption pdfPages(QStringLiteral("pdf-pages"),
                                      QStringLiteral("Pages of the corpus's first, long PDF."), QStringLiteral("n"),
                                      QStringLiteral("60"));
    const QCommandLineOption bad(QStringLiteral("bad"), QStringLiteral("Also write the broken documents into bad/."));
    parser.addOptions({out, count, seed, pdfPages, bad});
    parser.process(app);

    if (!parser.isSet(out)) {
        std::fprintf(stderr, "docpipe-gendocs: --out DIR is required\n");
        return 2;
    }
    const QString dir = parser.value(out);
    if (!QDir().mkpath(dir)) {
        std::fprintf(stderr, "docpipe-gendocs: cannot create %s\n", qPrintable(dir));
        return 1;
    }
    const auto docs = generateMixedCorpus(dir, parser.value(count).toInt(), parser.value(seed).toUInt(),
                                          parser.value(pdfPages).toInt());
    int written = 0;
    for (const GeneratedDocument &doc : docs)
        written += doc.path.isEmpty() ? 0 : 1;
    if (parser.isSet(bad)) {
        const QString badDir = QDir(dir).filePath(QStringLiteral("bad"));
        written += int(generateBadCorpus(badDir).size());
    }
    std::printf("wrote %d documents to %s\n", written, qPrintable(dir));
    return written > 0 ? 0 : 1;
}
