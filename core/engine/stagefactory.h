// Builds the configured parser and embedder (local by default; LlamaParse / OpenAI-compatible
// when configured). Both are shared by all worker threads.
#pragma once

#include "config/config.h"
#include "stages/embedding/embedder.h"
#include "stages/parsers/documentparser.h"

#include <memory>

namespace Docpipe {

std::shared_ptr<const Stages::DocumentParser> makeParser(const Config &config);
std::shared_ptr<const Stages::Embedder> makeEmbedder(const Config &config);

} // namespace Docpipe
