// Exact cl100k_base tokenization: the tokenizer of OpenAI's embedding models (text-embedding-3-*,
// ada-002), as tiktoken does it: split the text with cl100k's pre-tokenizer pattern, then
// byte-pair-merge each piece's UTF-8 bytes with the shipped rank table (cl100k/, MIT licence).
#pragma once

#include <QStringView>

#include <cstdint>
#include <vector>

namespace Docpipe::Stages {

// The number of cl100k_base tokens of text (no special tokens: "<|endoftext|>" counts as text).
// Linear in text.size() for ordinary text; thread-safe. Falls back to estimateTokens() (an upper
// bound) only if the rank table could not be loaded, which a build without the resource means.
int countCl100kTokens(QStringView text);

// The same count where it is at most `limit`; otherwise some number above `limit`, found without
// counting the rest (a piece of n bytes has at least n / longest-token-length tokens). For
// "does this fit" questions about texts that may be far too long.
int countCl100kTokens(QStringView text, int limit);

// The token ids (ranks), for tests and tools.
std::vector<std::uint32_t> encodeCl100k(QStringView text);

// Where the pre-tokenizer splits text: the end offsets of its pieces, in order (for tests).
std::vector<qsizetype> cl100kPieceEnds(QStringView text);

} // namespace Docpipe::Stages
