// chunkDocument(): the invariants every consumer relies on, on generated and hand-written input.
#include "prosegenerator.h"
#include "stages/chunking/chunker.h"
#include "stages/chunking/cl100ktokenizer.h"
#include "stages/chunking/tokencounter.h"

#include <QRegularExpression>
#include <QTest>
#include <QTextBoundaryFinder>

using Docpipe::Chunk;
using Docpipe::ChunkingConfig;
using Docpipe::ParsedPage;
using Docpipe::TokenCounting;
using Docpipe::Stages::chunkDocument;
using Docpipe::Stages::countCl100kTokens;
using Docpipe::Stages::countTokens;
using Docpipe::Stages::documentText;

Q_DECLARE_METATYPE(Docpipe::TokenCounting)

namespace {

QList<ParsedPage> pagesOf(const QStringList &texts)
{
    QList<ParsedPage> pages;
    for (const QString &text : texts)
        pages.append({int(pages.size()) + 1, text});
    return pages;
}

int pageNumberAt(const QList<ParsedPage> &pages, qint64 offset)
{
    qint64 start = 0;
    for (const ParsedPage &page : pages) {
        const qint64 end = start + page.text.size();
        if (offset < end + 2)
            return page.number;
        start = end + 2;
    }
    return pages.last().number;
}

// Where each Markdown heading (outside code fences) begins: its first non-space character.
QList<qint64> headingStarts(const QString &text)
{
    static const QRegularExpression heading(QStringLiteral("^ {0,3}#{1,6}([ \\t\\r]|$)"));
    QList<qint64> starts;
    bool inFence = false;
    qint64 lineStart = 0;
    for (const QString &line : text.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(u"```") || trimmed.startsWith(u"~~~"))
            inFence = !inFence;
        else if (!inFence && heading.match(line).hasMatch())
            starts.append(lineStart + line.indexOf(u'#'));
        lineStart += line.size() + 1;
    }
    return starts;
}

// Where a chunk may begin or end: word boundaries, and for a word longer than a chunk also
// grapheme boundaries, and for a grapheme longer than a chunk also code points.
enum class Cuts { Words, Graphemes, CodePoints };

// Checks everything chunker.h promises.
void checkInvariants(const QList<ParsedPage> &pages, const ChunkingConfig &config, const QList<Chunk> &chunks,
                     Cuts cuts = Cuts::Words)
{
    const QString text = documentText(pages);
    const int limit = std::max(config.chunkTokens, 16);
    const int overlap = std::clamp(config.overlapTokens, 0, limit / 2);
    QTextBoundaryFinder words(QTextBoundaryFinder::Word, text);
    QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, text);
    const auto onBoundary = [&](qint64 at) {
        words.setPosition(at);
        graphemes.setPosition(at);
        if (cuts == Cuts::CodePoints)
            return at == 0 || at == text.size() || !text[at].isLowSurrogate();
        return words.isAtBoundary() || (cuts == Cuts::Graphemes && graphemes.isAtBoundary());
    };
    const QList<qint64> headings = headingStarts(text);
    qint64 covered = 0; // everything before this is whitespace or inside a chunk
    for (qsizetype i = 0; i < chunks.size(); ++i) {
        const Chunk &chunk = chunks[i];
        QCOMPARE(chunk.index, int(i));
        QVERIFY(!chunk.text.isEmpty());
        QVERIFY(!chunk.text.front().isSpace() && !chunk.text.back().isSpace());
        QCOMPARE(text.mid(chunk.charStart, chunk.charEnd - chunk.charStart), chunk.text);
        QCOMPARE(chunk.tokens, countTokens(chunk.text, config.counting));
        QVERIFY2(chunk.tokens <= limit, qPrintable(QStringLiteral("chunk %1 has %2 tokens").arg(i).arg(chunk.tokens)));
        QCOMPARE(chunk.pageStart, pageNumberAt(pages, chunk.charStart));
        QCOMPARE(chunk.pageEnd, pageNumberAt(pages, chunk.charEnd - 1));
        QVERIFY2(onBoundary(chunk.charStart) && onBoundary(chunk.charEnd),
                 qPrintable(QStringLiteral("chunk %1 is cut inside a word").arg(i)));
        for (qint64 k = covered; k < chunk.charStart; ++k)
            QVERIFY2(text[k].isSpace(), "non-space text is missing from every chunk");
        for (qint64 heading : headings)
            QVERIFY2(heading <= chunk.charStart || heading >= chunk.charEnd, "a chunk spans two sections");
        if (i > 0) {
            const Chunk &previous = chunks[i - 1];
            QVERIFY(chunk.charStart > previous.charStart);
            QVERIFY(chunk.charEnd > previous.charEnd);
            if (chunk.charStart < previous.charEnd) {
                const int overlapTokens = countTokens(
                    QStringView(text).mid(chunk.charStart, previous.charEnd - chunk.charStart), config.counting);
                QVERIFY2(overlapTokens <= overlap, "the overlap is larger than configured");
            }
        }
        covered = std::max(covered, chunk.charEnd);
    }
    for (qint64 k = covered; k < text.size(); ++k)
        QVERIFY2(text[k].isSpace(), "the document's tail is missing from every chunk");
}

// Random pages mixing words, numbers, punctuation, line breaks, blank lines, headings, code
// fences, CJK and emoji; no single word is longer than the smallest chunk.
QList<ParsedPage> randomPages(quint32 seed)
{
    QRandomGenerator random(seed);
    static const QStringList pieces = {QStringLiteral("word"),
                                       QStringLiteral("Another"),
                                       QStringLiteral("ended."),
                                       QStringLiteral("really?"),
                                       QStringLiteral("1234"),
                                       QStringLiteral("(aside)"),
                                       QStringLiteral("\"quoted\""),
                                       QStringLiteral("don't"),
                                       QStringLiteral("co-operate"),
                                       QStringLiteral("e.g."),
                                       QStringLiteral("\n"),
                                       QStringLiteral("\n\n"),
                                       QStringLiteral("\n# Heading\n"),
                                       QStringLiteral("\n```\n# code\n```\n"),
                                       QStringLiteral("中文字符"),
                                       QStringLiteral("\U0001F680"),
                                       QStringLiteral("  "),
                                       QStringLiteral("\t"),
                                       QStringLiteral("naïve"),
                                       QStringLiteral("https://example.com/a?b=c"),
                                       QStringLiteral("----"),
                                       QStringLiteral("Done!")};
    QList<ParsedPage> pages;
    const int pageCount = 1 + int(random.bounded(5));
    for (int p = 0; p < pageCount; ++p) {
        QString text;
        const int count = int(random.bounded(400));
        for (int i = 0; i < count; ++i) {
            const QString &piece = pieces[random.bounded(int(pieces.size()))];
            if (!text.isEmpty() && !piece.startsWith(u'\n') && !text.endsWith(u'\n'))
                text += u' ';
            text += piece;
        }
        pages.append({p + 1, text});
    }
    return pages;
}

} // namespace

class TestChunker final : public QObject
{
    Q_OBJECT

private slots:
    void invariants_data();
    void invariants();
    void emptyInputsGiveNoChunks_data();
    void emptyInputsGiveNoChunks();
    void smallDocumentIsOneChunk();
    void headingsStartNewChunks();
    void hashLinesInCodeFencesAreNotHeadings();
    void overlapIsPresentWithinSections();
    void noOverlapWhenDisabled();
    void chunkCrossingPagesSpansThem();
    void isDeterministic();
    void hugeWordIsHardSplit();
    void cjkWithoutSpacesSplitsBetweenCharacters();
    void longParagraphWithoutSentenceEnds();
    void hardWrappedTextSplitsAtSentences_data();
    void hardWrappedTextSplitsAtSentences();
    void fullChunksHoldNearlyTheLimit();
};

void TestChunker::invariants_data()
{
    QTest::addColumn<QList<ParsedPage>>("pages");
    QTest::addColumn<int>("chunkTokens");
    QTest::addColumn<int>("overlapTokens");
    QTest::addColumn<int>("cuts");
    QTest::addColumn<TokenCounting>("counting");
    const auto prose = Docpipe::Test::prosePages(12, 400, true);
    // Counted by the estimate (models other than OpenAI's), the same promises hold.
    QTest::newRow("prose default, estimate") << prose << 512 << 64 << int(Cuts::Words) << TokenCounting::Estimate;
    QTest::newRow("prose small, estimate") << prose << 40 << 10 << int(Cuts::Words) << TokenCounting::Estimate;
    QTest::newRow("random 3, estimate") << randomPages(3) << 37 << 9 << int(Cuts::Words) << TokenCounting::Estimate;
    QTest::newRow("prose default") << prose << 512 << 64 << int(Cuts::Words) << TokenCounting::Cl100k;
    QTest::newRow("prose small chunks") << prose << 40 << 10 << int(Cuts::Words) << TokenCounting::Cl100k;
    QTest::newRow("prose tiny chunks") << prose << 16 << 8 << int(Cuts::Words) << TokenCounting::Cl100k;
    QTest::newRow("prose no overlap") << prose << 128 << 0 << int(Cuts::Words) << TokenCounting::Cl100k;
    QTest::newRow("prose overlap over half") << prose << 100 << 90 << int(Cuts::Words) << TokenCounting::Cl100k;
    QTest::newRow("markdown") << pagesOf(
        {QStringLiteral("# Title\n\nIntro paragraph here.\n## Part A\nText of part A. More text.\n\n"
                        "### Deep\n#not a heading\nclosing words.")})
                              << 16 << 4 << int(Cuts::Words) << TokenCounting::Cl100k;
    QTest::newRow("windows line ends") << pagesOf(
        {QStringLiteral("First line.\r\nSecond line.\r\n\r\nNew paragraph here, "
                        "with several words to split.\r\n")})
                                       << 16 << 4 << int(Cuts::Words) << TokenCounting::Cl100k;
    QTest::newRow("cjk") << pagesOf({QString(3000, QChar(0x4E2D)) + QStringLiteral("。") + QString(200, QChar(0x6587))})
                         << 64 << 16 << int(Cuts::Words) << TokenCounting::Cl100k;
    QTest::newRow("huge whitespace runs")
        << pagesOf({QStringLiteral("Alpha beta.") + QString(500, u' ') + QStringLiteral("gamma delta.")
                    + QString(300, u'\n') + QStringLiteral("epsilon") + QString(200, u'\t') + u'x'})
        << 16 << 4 << int(Cuts::Words) << TokenCounting::Cl100k;
    for (quint32 seed = 1; seed <= 40; ++seed) {
        QTest::addRow("random %u", seed) << randomPages(seed) << int(16 + seed * 7 % 200) << int(seed * 3 % 40)
                                         << int(Cuts::Words) << TokenCounting::Cl100k;
    }
    QTest::newRow("empty and blank pages")
        << pagesOf({QString(), QStringLiteral("   \n\n  "), QStringLiteral("Some text."), QString(),
                    QStringLiteral("More text on page five.")})
        << 16 << 4 << int(Cuts::Words) << TokenCounting::Cl100k;
    QTest::newRow("one long word among prose")
        << pagesOf({QStringLiteral("Before it. ") + QString(5000, u'x') + QStringLiteral(" and after it.")}) << 64 << 16
        << int(Cuts::Graphemes) << TokenCounting::Cl100k;
    QTest::newRow("emoji and combining marks")
        << pagesOf({QString(400, QChar(0x0301)).prepend(u'e') + QStringLiteral(" \U0001F680\U0001F680 done.")}) << 16
        << 4 << int(Cuts::CodePoints) << TokenCounting::Cl100k;
}

void TestChunker::invariants()
{
    QFETCH(QList<ParsedPage>, pages);
    QFETCH(int, chunkTokens);
    QFETCH(int, overlapTokens);
    QFETCH(int, cuts);
    QFETCH(TokenCounting, counting);
    const ChunkingConfig config{chunkTokens, overlapTokens, counting};
    const QList<Chunk> chunks = chunkDocument(pages, config);
    QVERIFY(!chunks.isEmpty());
    checkInvariants(pages, config, chunks, Cuts(cuts));
}

void TestChunker::emptyInputsGiveNoChunks_data()
{
    QTest::addColumn<QList<ParsedPage>>("pages");
    QTest::newRow("no pages") << QList<ParsedPage>();
    QTest::newRow("one empty page") << pagesOf({QString()});
    QTest::newRow("whitespace pages") << pagesOf({QStringLiteral(" \n\t "), QStringLiteral("\n\n\n")});
}

void TestChunker::emptyInputsGiveNoChunks()
{
    QFETCH(QList<ParsedPage>, pages);
    QVERIFY(chunkDocument(pages, ChunkingConfig{}).isEmpty());
}

void TestChunker::smallDocumentIsOneChunk()
{
    const auto pages = pagesOf({QStringLiteral("  Hello there.  "), QStringLiteral("Second page.\n")});
    const QList<Chunk> chunks = chunkDocument(pages, ChunkingConfig{});
    QCOMPARE(chunks.size(), 1);
    QCOMPARE(chunks[0].text, QStringLiteral("Hello there.  \n\nSecond page."));
    QCOMPARE(chunks[0].charStart, 2);
    QCOMPARE(chunks[0].pageStart, 1);
    QCOMPARE(chunks[0].pageEnd, 2);
}

void TestChunker::headingsStartNewChunks()
{
    const auto pages = pagesOf({QStringLiteral("# One\nAlpha text.\n# Two\nBeta text.\n\n## Three\nGamma.")});
    const QList<Chunk> chunks = chunkDocument(pages, ChunkingConfig{});
    QCOMPARE(chunks.size(), 3);
    QCOMPARE(chunks[0].text, QStringLiteral("# One\nAlpha text."));
    QCOMPARE(chunks[1].text, QStringLiteral("# Two\nBeta text."));
    QCOMPARE(chunks[2].text, QStringLiteral("## Three\nGamma."));
}

void TestChunker::hashLinesInCodeFencesAreNotHeadings()
{
    const auto pages = pagesOf({QStringLiteral("# Script\n\n```sh\n# install the tools\napt-get install cmake\n```\n"
                                               "After the block.\n\n# Next")});
    const QList<Chunk> chunks = chunkDocument(pages, ChunkingConfig{});
    QCOMPARE(chunks.size(), 2);
    QVERIFY(chunks[0].text.endsWith(u"After the block."));
    QCOMPARE(chunks[1].text, QStringLiteral("# Next"));
}

void TestChunker::overlapIsPresentWithinSections()
{
    const auto pages = Docpipe::Test::prosePages(8, 400, false);
    const ChunkingConfig config{128, 32};
    const QList<Chunk> chunks = chunkDocument(pages, config);
    QVERIFY(chunks.size() > 10);
    qint64 total = 0;
    for (qsizetype i = 1; i < chunks.size(); ++i) {
        const QString overlap = chunks[i].charStart < chunks[i - 1].charEnd
            ? chunks[i - 1].text.mid(chunks[i].charStart - chunks[i - 1].charStart)
            : QString();
        QVERIFY(chunks[i].text.startsWith(overlap));
        // Less only when the chunk's new text needs the room.
        const int overlapTokens = countTokens(overlap, config.counting);
        const int newTokens = chunks[i].tokens - overlapTokens;
        QVERIFY2(overlapTokens >= 8 || newTokens + 8 > config.chunkTokens,
                 qPrintable(QStringLiteral("overlap %1 + new %2").arg(overlapTokens).arg(newTokens)));
        total += overlapTokens;
    }
    qInfo("mean overlap %.1f tokens of %d", double(total) / double(chunks.size() - 1), config.overlapTokens);
    QVERIFY(total >= (chunks.size() - 1) * config.overlapTokens / 2);
}

void TestChunker::noOverlapWhenDisabled()
{
    const auto pages = Docpipe::Test::prosePages(4, 400, false);
    const QList<Chunk> chunks = chunkDocument(pages, ChunkingConfig{64, 0});
    for (qsizetype i = 1; i < chunks.size(); ++i)
        QVERIFY(chunks[i].charStart >= chunks[i - 1].charEnd);
}

void TestChunker::chunkCrossingPagesSpansThem()
{
    const auto pages = QList<ParsedPage>{{7, QStringLiteral("End of seven.")}, {8, QStringLiteral("Start of eight.")}};
    const QList<Chunk> chunks = chunkDocument(pages, ChunkingConfig{});
    QCOMPARE(chunks.size(), 1);
    QCOMPARE(chunks[0].pageStart, 7);
    QCOMPARE(chunks[0].pageEnd, 8);
    const QList<Chunk> small = chunkDocument(pages, ChunkingConfig{16, 0});
    QCOMPARE(small.first().pageStart, 7);
    QCOMPARE(small.last().pageEnd, 8);
}

void TestChunker::isDeterministic()
{
    const auto pages = Docpipe::Test::prosePages(10, 300, true);
    const QList<Chunk> a = chunkDocument(pages, ChunkingConfig{100, 20});
    const QList<Chunk> b = chunkDocument(pages, ChunkingConfig{100, 20});
    QCOMPARE(a.size(), b.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].text, b[i].text);
        QCOMPARE(a[i].charStart, b[i].charStart);
    }
}

void TestChunker::hugeWordIsHardSplit()
{
    const auto pages = pagesOf({QString(1024 * 1024, u'a')});
    const ChunkingConfig config{512, 64};
    const QList<Chunk> chunks = chunkDocument(pages, config);
    QVERIFY(chunks.size() > 100);
    checkInvariants(pages, config, chunks, Cuts::Graphemes);
}

void TestChunker::cjkWithoutSpacesSplitsBetweenCharacters()
{
    QString text;
    for (int i = 0; i < 2000; ++i)
        text += QChar(0x4E00 + (i * 7919) % 20000);
    const auto pages = pagesOf({text});
    const ChunkingConfig config{100, 20};
    const QList<Chunk> chunks = chunkDocument(pages, config);
    QVERIFY(chunks.size() > 10);
    checkInvariants(pages, config, chunks);
}

void TestChunker::longParagraphWithoutSentenceEnds()
{
    QRandomGenerator random(7);
    QString text;
    while (text.size() < 2 * 1024 * 1024)
        text += Docpipe::Test::proseSentence(random).chopped(1) + u' ';
    text.remove(u'.').remove(u'!').remove(u'?');
    const auto pages = pagesOf({text});
    const ChunkingConfig config{512, 64};
    const QList<Chunk> chunks = chunkDocument(pages, config);
    QVERIFY(chunks.size() > 500);
    for (const Chunk &chunk : chunks)
        QVERIFY(chunk.tokens <= 512);
}

void TestChunker::hardWrappedTextSplitsAtSentences_data()
{
    QTest::addColumn<int>("overlapTokens");
    QTest::newRow("no overlap") << 0;
    QTest::newRow("overlap of a sentence") << 20;
}

// Line breaks inside a paragraph (PDF text) are not sentence ends: chunks keep whole sentences.
void TestChunker::hardWrappedTextSplitsAtSentences()
{
    QFETCH(int, overlapTokens);
    QString text;
    for (int i = 0; i < 40; ++i)
        text += QStringLiteral("This sentence number %1 is wrapped\nacross two lines of text. ").arg(i);
    const auto pages = pagesOf({text.trimmed()});
    const ChunkingConfig config{44, overlapTokens};
    const QList<Chunk> chunks = chunkDocument(pages, config);
    QVERIFY(chunks.size() > 10);
    for (const Chunk &chunk : chunks)
        QVERIFY2(chunk.text.startsWith(u"This sentence") && chunk.text.endsWith(u"text."), qPrintable(chunk.text));
    checkInvariants(pages, config, chunks);
}

// Chunks the chunker closed because the next piece did not fit hold at least 95% of the limit in
// real cl100k_base tokens at the median (the estimate gave 71%), and never more than the limit.
void TestChunker::fullChunksHoldNearlyTheLimit()
{
    const auto pages = Docpipe::Test::prosePages(30, 500, true);
    const ChunkingConfig config{512, 64};
    const QList<Chunk> chunks = chunkDocument(pages, config);
    QList<int> fills;
    for (qsizetype i = 0; i + 1 < chunks.size(); ++i) {
        if (chunks[i + 1].charStart >= chunks[i].charEnd)
            continue; // no overlap: a new section began, this chunk was closed by its heading
        const int real = countCl100kTokens(chunks[i].text);
        QCOMPARE(chunks[i].tokens, real);
        QVERIFY(real <= config.chunkTokens);
        fills << real;
    }
    QVERIFY(fills.size() > 20);
    std::sort(fills.begin(), fills.end());
    const int median = fills[fills.size() / 2];
    qInfo("%d chunks closed for size: median %d, lowest %d of %d tokens", int(fills.size()), median, fills.first(),
          config.chunkTokens);
    QVERIFY2(median >= config.chunkTokens * 95 / 100, qPrintable(QStringLiteral("median fill %1").arg(median)));
}

QTEST_GUILESS_MAIN(TestChunker)
#include "tst_chunker.moc"
