// Throughput of the token counters (exact cl100k_base and the estimate), the chunker with each,
// and the lexical embedder on ~60 pages of generated prose, plus the chunker on large
// single-paragraph inputs; and how full the chunks closed for size are, in real cl100k_base
// tokens, with either counting. Prints figures; not a test.
#include "../core/stages/chunking/prosegenerator.h"
#include "stages/chunking/chunker.h"
#include "stages/chunking/cl100ktokenizer.h"
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

// Real cl100k_base tokens of the chunks that were closed because the next piece did not fit (the
// next chunk overlaps them; a new section starts without overlap): median, 10th percentile, max.
void reportFill(const QString &label, const QList<Chunk> &chunks, int limit)
{
    QList<int> fills;
    for (qsizetype i = 0; i + 1 < chunks.size(); ++i) {
        if (chunks[i + 1].charStart < chunks[i].charEnd)
            fills << Stages::countCl100kTokens(chunks[i].text);
    }
    std::sort(fills.begin(), fills.end());
    if (fills.isEmpty())
        return;
    QTextStream(stdout) << "  " << label << ": " << fills.size() << " chunks closed for size hold (real cl100k) median "
                        << fills[fills.size() / 2] << ", p10 " << fills[fills.size() / 10] << ", max " << fills.last()
                        << " of " << limit << " tokens (median fill "
                        << QString::number(100.0 * fills[fills.size() / 2] / limit, 'f', 1) << "%)\n";
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
    loadTimer.restart();
    (void)Stages::countCl100kTokens(u"hello");
    QTextStream(stdout) << "first countCl100kTokens call (loads the rank table): "
                        << QString::number(double(loadTimer.nsecsElapsed()) / 1e6, 'f', 2) << " ms\n";
    const QList<ParsedPage> pages = Test::prosePages(60, 500, true);
    const QString text = Stages::documentText(pages);
    const qint64 words = text.count(u' ') + 1;
    const int documentTokens = Stages::estimateTokens(text);
    QTextStream(stdout) << "document: 60 pages, " << words << " words, " << text.size() << " chars, " << documentTokens
                        << " estimated tokens\n";

    const double estimateMs = bestMs(5, [&] { (void)Stages::estimateTokens(text); });
    report(QStringLiteral("estimateTokens"), estimateMs, documentTokens, words, "words");
    const int exactTokens = Stages::countCl100kTokens(text);
    const double exactMs = bestMs(5, [&] { (void)Stages::countCl100kTokens(text); });
    report(QStringLiteral("countCl100kTokens"), exactMs, exactTokens, words, "words");
    QTextStream(stdout) << "  the estimate is " << QString::number(100.0 * documentTokens / exactTokens - 100, 'f', 1)
                        << "% above the real count of the whole document (" << exactTokens << " tokens)\n";

    // Before (the estimate) and after (exact cl100k_base): throughput and fill, interleaved runs.
    QList<Chunk> chunks;
    QList<Chunk> estimated;
    double chunkMs = 1e300;
    double estimatedMs = 1e300;
    for (int round = 0; round < 5; ++round) {
        estimatedMs
            = std::min(estimatedMs, bestMs(1, [&] {
                           estimated = Stages::chunkDocument(pages, ChunkingConfig{512, 64, TokenCounting::Estimate});
                       }));
        chunkMs = std::min(chunkMs, bestMs(1, [&] { chunks = Stages::chunkDocument(pages, ChunkingConfig{}); }));
    }
    report(QStringLiteral("chunkDocument 512/64, estimate"), estimatedMs, exactTokens, estimated.size(), "chunks");
    reportFill(QStringLiteral("estimate"), estimated, 512);
    report(QStringLiteral("chunkDocument 512/64, exact cl100k"), chunkMs, exactTokens, chunks.size(), "chunks");
    reportFill(QStringLiteral("exact cl100k"), chunks, 512);
    QTextStream(stdout) << "  exact cl100k: " << chunks.size() << " chunks instead of " << estimated.size()
                        << "; throughput " << QString::number(100.0 * estimatedMs / chunkMs, 'f', 1)
                        << "% of the estimate's\n";
    qint64 chunkTokens = 0;
    QStringList chunkTexts;
    for (const Chunk &chunk : chunks) {
        chunkTokens += chunk.tokens;
        chunkTexts.append(chunk.text);
    }

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
