// Splits the document top-down — sections, paragraphs, sentences, whitespace-separated words,
// word boundaries, graphemes, code points — going one level finer only for a piece that does
// not fit in a chunk on its own, and hands the pieces in order to the ChunkPacker. Each level
// scans only the oversized pieces of the level above, so the work stays linear.
#include "chunker.h"

#include "chunkpacker.h"

#include <QTextBoundaryFinder>

#include <algorithm>
#include <optional>

namespace Docpipe::Stages {
namespace {

using ChunkingDetail::ChunkPacker;
using ChunkingDetail::Unit;
using ChunkingDetail::withoutLineBreaks;

constexpr int kMinChunkTokens = 16;
constexpr int kSlackPercent = 3;

// Boundaries of one level inside a run of text, as absolute offsets, in increasing order.
class BoundaryCursor final
{
public:
    enum class Level { Word, Grapheme, CodePoint };

    BoundaryCursor(QStringView text, qint64 begin, qint64 end, Level level)
        : m_text(text)
        , m_begin(begin)
        , m_end(end)
        , m_level(level)
    {
        if (level != Level::CodePoint) {
            const auto type = level == Level::Word ? QTextBoundaryFinder::Word : QTextBoundaryFinder::Grapheme;
            m_finder.emplace(type, text.data() + begin, end - begin);
        }
    }

    // The first boundary after position; end when there is none before it.
    qint64 nextAfter(qint64 position)
    {
        if (m_level == Level::CodePoint) {
            qint64 next = position + 1;
            if (next < m_end && QChar::isLowSurrogate(m_text[next].unicode())
                && QChar::isHighSurrogate(m_text[position].unicode()))
                ++next;
            return std::min(next, m_end);
        }
        m_finder->setPosition(position - m_begin);
        const qsizetype next = m_finder->toNextBoundary();
        return next < 0 ? m_end : m_begin + next;
    }

    Level level() const { return m_level; }

private:
    QStringView m_text;
    qint64 m_begin;
    qint64 m_end;
    Level m_level;
    std::optional<QTextBoundaryFinder> m_finder;
};

class Splitter final
{
public:
    Splitter(QStringView text, int limit, ChunkPacker &packer)
        : m_text(text)
        , m_limit(limit)
        , m_packer(packer)
    { }

    void run()
    {
        const qint64 n = m_text.size();
        for (qint64 lineStart = 0; lineStart < n;) {
            qint64 lineEnd = m_text.indexOf(u'\n', lineStart);
            if (lineEnd < 0)
                lineEnd = n;
            handleLine(lineStart, lineEnd);
            lineStart = lineEnd + 1;
        }
        closeParagraph();
    }

private:
    void handleLine(qint64 lineStart, qint64 lineEnd)
    {
        qint64 first = lineStart;
        while (first < lineEnd && m_text[first].isSpace())
            ++first;
        qint64 last = lineEnd;
        while (last > first && m_text[last - 1].isSpace())
            --last;
        if (first == last) {
            closeParagraph();
            return;
        }
        if (isFence(first, last)) {
            m_inFence = !m_inFence;
        } else if (!m_inFence && isHeading(lineStart, lineEnd)) {
            closeParagraph();
            m_packer.breakSection();
            m_paragraphBegin = first;
            m_paragraphEnd = last;
            closeParagraph();
            return;
        }
        if (m_paragraphBegin < 0)
            m_paragraphBegin = first;
        m_paragraphEnd = last;
    }

    // A Markdown code fence (``` or ~~~): "# ..." lines inside are code, not headings.
    bool isFence(qint64 first, qint64 last) const
    {
        const QStringView line = m_text.mid(first, last - first);
        return line.startsWith(u"```") || line.startsWith(u"~~~");
    }

    // An ATX Markdown heading: up to 3 spaces, 1-6 '#', then a space, a tab or the line's end.
    bool isHeading(qint64 lineStart, qint64 lineEnd) const
    {
        qint64 i = lineStart;
        while (i < lineEnd && i - lineStart < 3 && m_text[i] == u' ')
            ++i;
        const qint64 hashes = i;
        while (i < lineEnd && m_text[i] == u'#')
            ++i;
        const qint64 count = i - hashes;
        return count >= 1 && count <= 6
            && (i == lineEnd || m_text[i] == u' ' || m_text[i] == u'\t' || m_text[i] == u'\r');
    }

    void closeParagraph()
    {
        if (m_paragraphBegin < 0)
            return;
        const qint64 begin = m_paragraphBegin;
        m_paragraphBegin = -1;
        if (!tryAdd(m_paragraphEnd, true))
            splitSentences(begin, m_paragraphEnd);
    }

    // Adds [m_previousEnd, end) as one unit if it fits in a chunk on its own (a chunk never
    // starts with whitespace, so the leading whitespace does not count here). A paragraph that
    // fits on its own but not in what is left of the current chunk is declined too, unless that
    // is little (kSlackPercent of the limit): its sentences then fill the chunk, which would
    // otherwise close with up to a paragraph's worth of room unused.
    bool tryAdd(qint64 end, bool paragraph = false)
    {
        const Unit unit = m_packer.makeUnit(m_previousEnd, end);
        if (unit.costBare > m_limit)
            return false;
        const int room = m_packer.room();
        if (paragraph && unit.costLead > room && room * 100 > m_limit * kSlackPercent)
            return false;
        m_packer.add(unit);
        m_previousEnd = end;
        return true;
    }

    void splitSentences(qint64 begin, qint64 end)
    {
        QTextBoundaryFinder finder(QTextBoundaryFinder::Sentence, withoutLineBreaks(m_text.mid(begin, end - begin)));
        qint64 sentenceBegin = begin;
        while (sentenceBegin < end) {
            const qsizetype next = finder.toNextBoundary();
            const qint64 sentenceEnd = next < 0 ? end : begin + next;
            qint64 last = sentenceEnd;
            while (last > sentenceBegin && m_text[last - 1].isSpace())
                --last;
            if (last > sentenceBegin && !tryAdd(last))
                splitWords(sentenceBegin, last);
            sentenceBegin = sentenceEnd;
        }
    }

    void splitWords(qint64 begin, qint64 end)
    {
        for (qint64 i = begin; i < end;) {
            while (i < end && m_text[i].isSpace())
                ++i;
            qint64 wordEnd = i;
            while (wordEnd < end && !m_text[wordEnd].isSpace())
                ++wordEnd;
            if (wordEnd > i && !tryAdd(wordEnd))
                splitLong(i, wordEnd, BoundaryCursor::Level::Word);
            i = wordEnd;
        }
    }

    // A run without whitespace that does not fit: cut it at the level's boundaries into the
    // longest pieces that fit (galloping, then binary search over the boundaries); a segment
    // between two boundaries that alone does not fit goes one level finer. The gallop starts
    // where the previous piece ended up (pieces of one run are alike), so each piece costs a few
    // token counts, which matters for exact counting of a megabyte without a space.
    void splitLong(qint64 begin, qint64 end, BoundaryCursor::Level level)
    {
        BoundaryCursor cursor(m_text, begin, end, level);
        qint64 pieceBegin = begin;
        QList<qint64> bounds;
        qsizetype hint = 0;
        while (pieceBegin < end) {
            bounds.clear();
            const auto boundAt = [&](qsizetype k) {
                while (bounds.size() <= k && (bounds.isEmpty() || bounds.last() < end))
                    bounds.append(cursor.nextAfter(bounds.isEmpty() ? pieceBegin : bounds.last()));
                return bounds[std::min(k, bounds.size() - 1)];
            };
            qsizetype good = -1;
            qsizetype bad = -1;
            const qint64 start = boundAt(hint);
            const qsizetype first = std::min(hint, bounds.size() - 1);
            if (fits(start)) {
                good = first;
                for (qsizetype step = 1; bounds[good] < end; step *= 2) {
                    const qint64 at = boundAt(first + step);
                    const qsizetype index = std::min(first + step, bounds.size() - 1);
                    if (!fits(at)) {
                        bad = index;
                        break;
                    }
                    good = index;
                }
            } else {
                bad = first;
                for (qsizetype step = 1; first - step >= 0; step *= 2) {
                    if (fits(bounds[first - step])) {
                        good = first - step;
                        break;
                    }
                    bad = first - step;
                }
            }
            while (bad >= 0 && bad - good > 1) {
                const qsizetype mid = (good + bad) / 2;
                if (fits(bounds[mid]))
                    good = mid;
                else
                    bad = mid;
            }
            hint = std::max<qsizetype>(good, 0);
            if (good >= 0) {
                tryAdd(bounds[good]);
                pieceBegin = bounds[good];
                continue;
            }
            const qint64 segmentEnd = bounds.first();
            if (level == BoundaryCursor::Level::CodePoint) {
                forceAdd(segmentEnd); // one code point over the budget: nothing smaller exists
            } else {
                splitLong(pieceBegin, segmentEnd,
                          level == BoundaryCursor::Level::Word ? BoundaryCursor::Level::Grapheme
                                                               : BoundaryCursor::Level::CodePoint);
            }
            pieceBegin = segmentEnd;
        }
    }

    bool fits(qint64 end) const
    {
        const Unit unit = m_packer.makeUnit(m_previousEnd, end);
        return unit.costBare <= m_limit;
    }

    void forceAdd(qint64 end)
    {
        m_packer.add(m_packer.makeUnit(m_previousEnd, end));
        m_previousEnd = end;
    }

    QStringView m_text;
    int m_limit;
    ChunkPacker &m_packer;
    qint64 m_previousEnd = 0;
    qint64 m_paragraphBegin = -1;
    qint64 m_paragraphEnd = -1;
    bool m_inFence = false;
};

} // namespace

QString documentText(const QList<Docpipe::ParsedPage> &pages)
{
    qsizetype size = 0;
    for (const Docpipe::ParsedPage &page : pages)
        size += page.text.size() + 2;
    QString text;
    text.reserve(size);
    for (qsizetype i = 0; i < pages.size(); ++i) {
        if (i > 0)
            text += u"\n\n";
        text += pages[i].text;
    }
    return text;
}

QList<Docpipe::Chunk> chunkDocument(const QList<Docpipe::ParsedPage> &pages, const Docpipe::ChunkingConfig &config)
{
    const int limit = std::max(config.chunkTokens, kMinChunkTokens);
    const int overlap = std::clamp(config.overlapTokens, 0, limit / 2);
    const QString text = documentText(pages);
    QList<qint64> offsets;
    QList<int> numbers;
    qint64 offset = 0;
    for (const Docpipe::ParsedPage &page : pages) {
        offsets.append(offset);
        numbers.append(page.number);
        offset += page.text.size() + 2;
    }
    ChunkPacker packer(text, offsets, numbers, limit, overlap, config.counting);
    Splitter(text, limit, packer).run();
    return packer.finish();
}

} // namespace Docpipe::Stages
