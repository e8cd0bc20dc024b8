// Greedy packing: units are appended while the chunk's token count stays within the budget. Unit
// costs add up (almost always exactly) when units meet at a (non-space | space) seam, which is
// how the splitter cuts wherever it can; every chunk is counted whole before it is emitted and
// trimmed back if needed (units meeting inside a word, or "." + "\n" joining into one piece), so
// the budget holds either way.
#include "chunkpacker.h"

#include "tokencounter.h"

#include <QTextBoundaryFinder>

#include <algorithm>

namespace Docpipe::Stages::ChunkingDetail {
namespace {

// Starts (absolute offsets) of the items of `type` inside window, excluding its first position,
// which may be mid-sentence. With spaceSeparated, only starts right after whitespace.
QList<qint64> itemStarts(QStringView window, qint64 windowBegin, QTextBoundaryFinder::BoundaryType type,
                         bool spaceSeparated)
{
    QList<qint64> starts;
    const QString unwrapped = type == QTextBoundaryFinder::Sentence ? withoutLineBreaks(window) : QString();
    QTextBoundaryFinder finder = type == QTextBoundaryFinder::Sentence
        ? QTextBoundaryFinder(type, unwrapped)
        : QTextBoundaryFinder(type, window.data(), window.size());
    for (qsizetype p = finder.toNextBoundary(); p > 0 && p < window.size(); p = finder.toNextBoundary()) {
        if (window[p].isSpace() || (spaceSeparated && !window[p - 1].isSpace()))
            continue;
        starts.append(windowBegin + p);
    }
    return starts;
}

} // namespace

QString withoutLineBreaks(QStringView text)
{
    QString copy = text.toString();
    for (QChar &c : copy) {
        if (c == u'\n' || c == u'\r' || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            c = u' ';
    }
    return copy;
}

ChunkPacker::ChunkPacker(QStringView text, QList<qint64> pageOffsets, QList<int> pageNumbers, int chunkTokens,
                         int overlapTokens, Docpipe::TokenCounting counting)
    : m_text(text)
    , m_pageOffsets(std::move(pageOffsets))
    , m_pageNumbers(std::move(pageNumbers))
    , m_limit(chunkTokens)
    , m_overlap(overlapTokens)
    , m_counting(counting)
{ }

int ChunkPacker::count(qint64 begin, qint64 end, int cap) const
{
    return countTokens(m_text.mid(begin, end - begin), m_counting, cap);
}

Unit ChunkPacker::makeUnit(qint64 start, qint64 end) const
{
    qint64 content = start;
    while (content < end && m_text[content].isSpace())
        ++content;
    Unit unit{start, content, end, count(start, end, m_limit), 0};
    unit.costBare = content == start ? unit.costLead : count(content, end, m_limit);
    return unit;
}

void ChunkPacker::add(const Unit &unit)
{
    const bool first = m_units.isEmpty();
    const int cost = first && m_overlapBegin < 0 ? unit.costBare : unit.costLead;
    if (!first && m_cost + cost > m_limit) {
        flush(true);
        add(unit);
        return;
    }
    if (first && m_overlapBegin >= 0 && m_cost + cost > m_limit) {
        // Make room for the unit by carrying less of the previous chunk.
        const qint64 overlapEnd = unit.start;
        m_overlapBegin = overlapStart(m_overlapBegin, overlapEnd, m_limit - unit.costLead);
        m_cost = m_overlapBegin < 0 ? 0 : count(m_overlapBegin, overlapEnd, m_limit);
        add(unit);
        return;
    }
    m_units.append(unit);
    m_cost += cost;
}

void ChunkPacker::breakSection()
{
    flush(false);
}

QList<Docpipe::Chunk> ChunkPacker::finish()
{
    flush(false);
    return std::move(m_chunks);
}

void ChunkPacker::flush(bool keepOverlap)
{
    if (m_units.isEmpty()) {
        m_overlapBegin = -1;
        m_cost = 0;
        return;
    }
    qint64 begin = m_overlapBegin >= 0 ? m_overlapBegin : m_units.first().contentStart;
    qint64 end = m_units.last().end;
    int tokens = count(begin, end, m_limit);
    QList<Unit> pending;
    if (tokens > m_limit && m_overlapBegin >= 0) {
        begin = m_units.first().contentStart;
        tokens = count(begin, end, m_limit);
    }
    while (tokens > m_limit && m_units.size() > 1) {
        pending.prepend(m_units.takeLast());
        end = m_units.last().end;
        tokens = count(begin, end, m_limit);
    }
    if (tokens > m_limit) // one unit that could not be split further: store its real count
        tokens = countTokens(m_text.mid(begin, end - begin), m_counting);
    emitChunk(begin, end, tokens);

    m_units.clear();
    m_overlapBegin = keepOverlap ? overlapStart(begin, end, m_overlap) : -1;
    m_cost = m_overlapBegin < 0 ? 0 : count(m_overlapBegin, end, m_limit);
    for (const Unit &unit : std::as_const(pending))
        add(unit);
}

// The earliest start, strictly inside [chunkBegin, chunkEnd), of a tail of at most budget
// tokens: a sentence start if that tail has at least half the budget, else a word start; -1 if
// no such tail exists. Only the last budget*8+64 characters are searched (a token is rarely
// more than 8 characters), which keeps this independent of the chunk's size.
qint64 ChunkPacker::overlapStart(qint64 chunkBegin, qint64 chunkEnd, int budget) const
{
    if (budget <= 0)
        return -1;
    const qint64 windowBegin = std::max(chunkBegin, chunkEnd - (qint64(budget) * 8 + 64));
    const QStringView window = m_text.mid(windowBegin, chunkEnd - windowBegin);
    const auto earliestFitting = [&](const QList<qint64> &starts) -> qint64 {
        // Tail cost shrinks (almost always) as the start moves right: binary search, then
        // step right in the rare case the found start does not fit after all.
        qsizetype lo = 0;
        qsizetype hi = starts.size();
        while (lo < hi) {
            const qsizetype mid = (lo + hi) / 2;
            if (count(starts[mid], chunkEnd, budget) <= budget)
                hi = mid;
            else
                lo = mid + 1;
        }
        for (; lo < starts.size(); ++lo) {
            if (count(starts[lo], chunkEnd, budget) <= budget)
                return starts[lo];
        }
        return -1;
    };
    const qint64 sentence = earliestFitting(itemStarts(window, windowBegin, QTextBoundaryFinder::Sentence, false));
    if (sentence >= 0 && 2 * count(sentence, chunkEnd, budget) >= budget)
        return sentence;
    QList<qint64> words = itemStarts(window, windowBegin, QTextBoundaryFinder::Word, true);
    if (words.isEmpty())
        words = itemStarts(window, windowBegin, QTextBoundaryFinder::Word, false);
    const qint64 word = earliestFitting(words);
    if (word < 0)
        return sentence;
    return sentence < 0 ? word : std::min(word, sentence);
}

int ChunkPacker::pageAt(qint64 offset) const
{
    const auto it = std::upper_bound(m_pageOffsets.cbegin(), m_pageOffsets.cend(), offset);
    return int(std::max<qsizetype>(0, (it - m_pageOffsets.cbegin()) - 1));
}

void ChunkPacker::emitChunk(qint64 begin, qint64 end, int tokens)
{
    Docpipe::Chunk chunk;
    chunk.index = int(m_chunks.size());
    chunk.text = m_text.mid(begin, end - begin).toString();
    chunk.tokens = tokens;
    chunk.pageStart = m_pageNumbers.value(pageAt(begin), 1);
    chunk.pageEnd = m_pageNumbers.value(pageAt(end - 1), 1);
    chunk.charStart = begin;
    chunk.charEnd = end;
    m_chunks.append(std::move(chunk));
}

} // namespace Docpipe::Stages::ChunkingDetail
