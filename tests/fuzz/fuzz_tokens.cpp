// libFuzzer target: the token estimator and the exact cl100k_base tokenizer on arbitrary UTF-16
// (lone surrogates included): never negative, never more tokens than UTF-8 bytes, the count, the
// bounded count and the encoding agree, and the pre-tokenizer's pieces cover the text in order.
#include "fuzzinput.h"
#include "stages/chunking/cl100ktokenizer.h"
#include "stages/chunking/tokenestimator.h"

#include <QString>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Docpipe;
    // UTF-16 straight from the bytes, so unpaired surrogates reach it too.
    QString text(qsizetype(size / 2), Qt::Uninitialized);
    std::memcpy(text.data(), data, (size / 2) * 2);
    const qsizetype utf8Bytes = text.toUtf8().size();

    const int estimate = Stages::estimateTokens(text);
    Fuzz::require(estimate >= 0, "the estimate is never negative");
    Fuzz::require(estimate <= 4 * text.size() + 1, "at most a few tokens per character");

    const int exact = Stages::countCl100kTokens(text);
    Fuzz::require(exact >= 0 && exact <= utf8Bytes, "at most one token per UTF-8 byte");
    Fuzz::require(exact == int(Stages::encodeCl100k(text).size()), "the count is the encoding's length");
    const int limit = size > 0 ? data[0] % 64 : 0;
    const int bounded = Stages::countCl100kTokens(text, limit);
    Fuzz::require(exact <= limit ? bounded == exact : bounded > limit, "the bounded count keeps its promise");

    const std::vector<qsizetype> ends = Stages::cl100kPieceEnds(text);
    qsizetype previous = 0;
    for (const qsizetype end : ends) {
        Fuzz::require(end > previous, "pieces are not empty and in order");
        previous = end;
    }
    Fuzz::require(previous == text.size(), "the pieces cover the text");
    return 0;
}
