#include "stagefactory.h"

#include "stages/embedding/lexicalhashembedder.h"
#include "stages/parsers/localparser.h"

namespace Docpipe {

// The remote kinds (llamaparse, openai) join when core/services lands.
std::shared_ptr<const Stages::DocumentParser> makeParser(const Config &)
{
    return std::make_shared<Stages::LocalParser>();
}

std::shared_ptr<const Stages::Embedder> makeEmbedder(const Config &)
{
    return std::make_shared<Stages::LexicalHashEmbedder>();
}

} // namespace Docpipe
