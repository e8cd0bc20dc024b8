// HTML to text: tags, comments, raw-text elements, character references, hostile nesting.
#include "fuzzinput.h"
#include "stages/parsers/htmlparser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Docpipe;
    const auto parsed = Stages::parseHtml(Fuzz::bytesOf(data, size), {});
    if (parsed)
        Fuzz::require(parsed.value().pages.size() == 1, "an HTML document is one page");
    return 0;
}
