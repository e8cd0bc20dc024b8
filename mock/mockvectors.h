// The mock server's embeddings: deterministic per input text, so a test can compute what a stored
// vector must be. Unit length; a shorter vector is the longer one's prefix, re-normalised (as
// text-embedding-3's `dimensions` shortening behaves).
#pragma once

#include "model/document.h"

#include <QString>

namespace Docpipe::Services {

Vector mockEmbedding(const QString &text, int dimensions);

} // namespace Docpipe::Services
