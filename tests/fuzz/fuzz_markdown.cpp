// Markdown and plain text: decoding, line endings, one page.
#include "fuzzinput.h"
#include "stages/parsers/plaintextparser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Docpipe;
    const QByteArray bytes = Fuzz::bytesOf(data, size);
    const auto markdown = Stages::parseMarkdown(bytes, {});
    const auto text = Stages::parseText(bytes, {});
    Fuzz::require(markdown.ok() == text.ok(), "Markdown and text accept the same bytes");
    return 0;
}
