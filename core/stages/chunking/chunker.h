// The chunking stage's core: a parsed document's pages in, token-bounded chunks out.
// A pure function (no StageContext): deterministic, linear in the document's length.
#pragma once

#include "config/config.h"
#include "model/document.h"

#include <QList>
#include <QString>

namespace Docpipe::Stages {

// The document text that chunk offsets refer to: the pages' texts, in the given order, joined by
// "\n\n" (no separator before the first page or after the last).
QString documentText(const QList<Docpipe::ParsedPage> &pages);

// Splits the document into chunks of at most config.chunkTokens tokens, as counted by
// countTokens(text, config.counting). Every chunk satisfies:
//  * chunk.text == documentText(pages).mid(charStart, charEnd - charStart), exactly; a chunk
//    never starts or ends with whitespace (so it is never empty) and keeps inner whitespace;
//  * countTokens(chunk.text, config.counting) == chunk.tokens <= chunkTokens; indices run 0..n-1;
//  * pageStart/pageEnd are the ParsedPage::number of the pages holding its first and last
//    character;
//  * it starts and ends on a word boundary. Splits prefer, in order: Markdown headings ("# ..."
//    lines outside ``` / ~~~ code fences start a section; a chunk never spans two sections),
//    blank lines, sentence ends (a line break inside a paragraph is not one),
//    whitespace between words, word boundaries (CJK text), and only inside a single word longer
//    than a chunk at grapheme boundaries; but a chunk that would end at a blank line with more
//    than 3% of its room unused takes the next paragraph's first sentences instead;
//  * after the first chunk of a section, a chunk begins with an overlap: the longest tail of the
//    previous chunk, starting at a sentence start (if that gives at least half of the budget)
//    or else at a word start, of at most overlapTokens tokens (less when the next piece needs
//    the room). There is no overlap across sections.
// chunkTokens is raised to at least 16; overlapTokens is clamped to 0..chunkTokens/2.
QList<Docpipe::Chunk> chunkDocument(const QList<Docpipe::ParsedPage> &pages, const Docpipe::ChunkingConfig &config);

} // namespace Docpipe::Stages
