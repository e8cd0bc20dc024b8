// Throughput of the token estimator, the chunker and the lexical embedder on ~60 pages of
// generated prose, plus the chunker on large single-paragraph inputs. Prints figures; not a test.
#include "../core/stages/chunking/prosegenerator.h"
#include "stages/chunking/chunker.h"
#include "stages/chunking/tokenestimator.h"
#include "stages/embedding/lexicalhashembedder.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <functional>

using namespace Docpipe;

namespace {

// Best of `runs` timings, in milliseconds.
double bestMs(int runs, const std::function<void()> &work)
{
    double best = 1e300;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        best = std::min(best, double(timer.nsecsElapsed()) / 1e6);
    }
    return best;
}

void report(const QString &label, double ms, qint64 tokens, qint64 items, const char *itemName)
{
    QTextStream(stdout) << label << ": " << QString::number(ms, 'f', 2) << " ms, "
                        << QString::number(double(tokens) / ms / 1000.0, 'f', 2) << " M est. tokens/s, "
                        << QString::number(double(items) / ms * 1000.0, 'f', 0) << ' ' << itemName << "/s\n";
}

void benchLargeParagraph(const QString &label, const QString &text)
{
    const QList<ParsedPage> pages{{1, text}};
    QList<Chunk> chunks;
    const double ms = bestMs(1, [&] { chunks = Stages::chunkDocument(pages, ChunkingConfig{}); });
    qint64 tokens = 0;
    for (const Chunk &chunk : chunks)
        tokens += chunk.tokens;
    report(label + QStringLiteral(" (%1 MB)").arg(double(text.size()) / (1024 * 1024), 0, 'f', 1), ms, tokens,
           chunks.size(), "chunks");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QElapsedTimer loadTimer;
    loadTimer.start();
    (void)Stages::estimateTokens(u"hello");
    QTextStream(stdout) << "first estimateTokens call (loads the cl100k word lists): "
                        << QString::number(double(loadTimer.nsecsElapsed()) / 1e6, 'f', 2) << " ms\n";
    const QList<ParsedPage> pages = Test::prosePages(60, 500, true);
    const QString text = Stages::documentText(pages);
    const qint64 words = text.count(u' ') + 1;
    const int documentTokens = Stages::estimateTokens(text);
    QTextStream(stdout) << "document: 60 pages, " << words << " words, " << text.size() << " chars, " << documentTokens
                        << " estimated tokens\n";

    const double estimateMs = bestMs(5, [&] { (void)Stages::estimateTokens(text); });
    report(QStringLiteral("estimateTokens"), estimateMs, documentTokens, words, "words");

    QList<Chunk> chunks;
    const double chunkMs = bestMs(5, [&] { chunks = Stages::chunkDocument(pages, ChunkingConfig{}); });
    qint64 chunkTokens = 0;
    QStringList chunkTexts;
    for (const Chunk &chunk : chunks) {
        chunkTokens += chunk.tokens;
        chunkTexts.append(chunk.text);
    }
    report(QStringLiteral("chunkDocument 512/64"), chunkMs, documentTokens, chunks.size(), "chunks");
    QTextStream(stdout) << "  " << chunks.size() << " chunks, mean "
                        << chunkTokens / std::max<qsizetype>(1, chunks.size()) << " tokens\n";

    const Stages::LexicalHashEmbedder embedder;
    const double embedMs = bestMs(5, [&] { (void)embedder.embed(chunkTexts, StageContext{}); });
    report(QStringLiteral("LexicalHashEmbedder 384"), embedMs, chunkTokens, chunks.size(), "chunks");

    QRandomGenerator random(7);
    QString paragraph;
    while (paragraph.size() < 10 * 1024 * 1024)
        paragraph += Test::proseSentence(random).chopped(1) + u' ';
    paragraph.remove(u'.').remove(u'!').remove(u'?');
    // Two sizes: the time per MB should stay the same (linear).
    const QString label = QStringLiteral("chunkDocument, one paragraph without sentence ends");
    benchLargeParagraph(label, paragraph.left(paragraph.lastIndexOf(u' ', paragraph.size() / 4)));
    benchLargeParagraph(label, paragraph);
    benchLargeParagraph(QStringLiteral("chunkDocument, one word"), QString(1024 * 1024, u'a'));
    return 0;
}
