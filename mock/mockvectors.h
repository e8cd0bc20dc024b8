// The mock server's embeddings: deterministic per input text, so a test can compute what a stored
// vector must be. Unit length; a shorter vector is the longer one's prefix, re-normalised (as
// text-embedding-3's `dimensions` shortening behaves). Texts that share words get similar
// vectors (a random projection of the text's lowercased word counts), so a retrieval test over
// the mock finds what a real model would find for verbatim phrases; they differ from the local
// embedder's vectors, as another model's would.
#pragma once

#include "model/document.h"

#include <QString>

namespace Docpipe::Services {

Vector mockEmbedding(const QString &text, int dimensions);

} // namespace Docpipe::Services
