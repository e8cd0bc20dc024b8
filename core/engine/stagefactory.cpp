#include "stagefactory.h"

#include "services/llamaparseparser.h"
#include "services/openaiembedder.h"
#include "stages/embedding/lexicalhashembedder.h"
#include "stages/parsers/localparser.h"

namespace Docpipe {

std::shared_ptr<const Stages::DocumentParser> makeParser(const Config &config)
{
    if (config.parser.kind == QLatin1String("llamaparse"))
        return std::make_shared<Services::LlamaParseParser>(config.parser);
    return std::make_shared<Stages::LocalParser>(Stages::ParserLimits{}, config.ocr);
}

std::shared_ptr<const Stages::Embedder> makeEmbedder(const Config &config)
{
    if (config.embedder.kind == QLatin1String("openai"))
        return std::make_shared<Services::OpenAiEmbedder>(config.embedder);
    return std::make_shared<Stages::LexicalHashEmbedder>();
}

} // namespace Docpipe
