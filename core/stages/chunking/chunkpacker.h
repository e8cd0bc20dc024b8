// Internal to the chunker: packs a stream of text units into chunks under a token budget, adds
// the overlap between consecutive chunks, and fills in offsets and page numbers.
#pragma once

#include "config/config.h"
#include "model/document.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace Docpipe::Stages::ChunkingDetail {

// A run of the document text that is never split further by the packer. start is where its
// leading whitespace begins (the previous unit's end), contentStart its first non-space
// character, end one past its last non-space character.
struct Unit
{
    qint64 start = 0;
    qint64 contentStart = 0;
    qint64 end = 0;
    int costLead = 0; // token count of [start, end); above the limit: only that it is above
    int costBare = 0; // token count of [contentStart, end); the same
};

// A copy with line breaks turned into spaces (same length, same offsets), for sentence
// detection: Unicode sentence rules end a sentence at every line break, which is wrong for
// hard-wrapped text such as PDF extractions.
QString withoutLineBreaks(QStringView text);

class ChunkPacker final
{
public:
    // pageOffsets[k]: where page k starts in text; pageNumbers[k]: its ParsedPage::number.
    ChunkPacker(QStringView text, QList<qint64> pageOffsets, QList<int> pageNumbers, int chunkTokens, int overlapTokens,
                Docpipe::TokenCounting counting);

    // The unit [start, end) of the text, counted the packer's way.
    Unit makeUnit(qint64 start, qint64 end) const;
    void add(const Unit &unit);
    // Tokens still free in the chunk being built (after its overlap and units so far).
    int room() const { return m_limit - m_cost; }
    // Ends the current chunk; the next one starts without overlap (a new section).
    void breakSection();
    QList<Docpipe::Chunk> finish();

private:
    void flush(bool keepOverlap);
    void emitChunk(qint64 begin, qint64 end, int tokens);
    qint64 overlapStart(qint64 chunkBegin, qint64 chunkEnd, int budget) const;
    int pageAt(qint64 offset) const;
    // Exact up to `cap`; above it only known to be above (the packer asks "does it fit").
    int count(qint64 begin, qint64 end, int cap) const;

    QStringView m_text;
    QList<qint64> m_pageOffsets;
    QList<int> m_pageNumbers;
    int m_limit;
    int m_overlap;
    Docpipe::TokenCounting m_counting;

    QList<Unit> m_units; // of the chunk being built
    qint64 m_overlapBegin = -1; // start of the overlap carried into it, -1 if none
    int m_cost = 0; // additive cost of overlap + units
    QList<Docpipe::Chunk> m_chunks;
};

} // namespace Docpipe::Stages::ChunkingDetail
