// libFuzzer target: the chunker on arbitrary pages, checking the promises chunker.h makes. The first
// two bytes choose the chunk size, the overlap and the token counting.
#include "fuzzinput.h"
#include "stages/chunking/chunker.h"
#include "stages/chunking/tokencounter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Docpipe;
    if (size < 2)
        return 0;
    ChunkingConfig config;
    config.chunkTokens = 16 + data[0] * 2; // 16..526
    config.overlapTokens = (data[1] & 0x7f) % 64;
    config.counting = data[1] & 0x80 ? TokenCounting::Estimate : TokenCounting::Cl100k;
    // Form feeds split pages, as a PDF's pages would be.
    QList<ParsedPage> pages;
    const QStringList texts = QString::fromUtf8(Fuzz::bytesOf(data + 2, size - 2)).split(u'\f');
    for (qsizetype i = 0; i < texts.size(); ++i)
        pages << ParsedPage{int(i + 1), texts.at(i)};
    const QString document = Stages::documentText(pages);
    const QList<Chunk> chunks = Stages::chunkDocument(pages, config);
    for (qsizetype i = 0; i < chunks.size(); ++i) {
        const Chunk &chunk = chunks.at(i);
        Fuzz::require(chunk.index == i, "indices run 0..n-1");
        Fuzz::require(chunk.charStart >= 0 && chunk.charStart < chunk.charEnd && chunk.charEnd <= document.size(),
                      "offsets lie inside the document");
        Fuzz::require(chunk.text == QStringView(document).mid(chunk.charStart, chunk.charEnd - chunk.charStart),
                      "the chunk is the slice it claims");
        Fuzz::require(!chunk.text.front().isSpace() && !chunk.text.back().isSpace(), "no edge whitespace");
        Fuzz::require(chunk.tokens == Stages::countTokens(chunk.text, config.counting), "tokens as counted");
        Fuzz::require(chunk.tokens <= config.chunkTokens, "within the token budget");
        Fuzz::require(chunk.pageStart >= 1 && chunk.pageStart <= chunk.pageEnd && chunk.pageEnd <= pages.size(),
                      "pages within the document, in order");
    }
    return 0;
}
