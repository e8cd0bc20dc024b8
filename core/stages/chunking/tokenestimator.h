// A fast, conservative estimate of how many cl100k_base tokens (OpenAI's embedding tokenizer) a
// text has. Used to size chunks so that no chunk is ever rejected for being over a token limit.
#pragma once

#include <QStringView>

namespace Docpipe::Stages {

// Never below the true cl100k_base count on English prose (checked against
// tests/data/cl100k/reference.tsv); on digits, punctuation, code and non-Latin text it errs
// high. Linear in text.size(), no allocation (after a one-time load of the word list).
int estimateTokens(QStringView text);

} // namespace Docpipe::Stages
