// The PDF path up to poppler: loading, locked files, page iteration (with the periodic reload),
// text extraction, the blank-page and damage rules.
#include "fuzzinput.h"
#include "stages/parsers/pdfparser.h"

#include <QtGlobal>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    qputenv("QT_LOGGING_RULES", "*.debug=false"); // poppler's complaints about each mutant
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Docpipe;
    Stages::ParserLimits limits;
    limits.maxPages = 300; // past one reload of the document, not thousands of pages per input
    const auto parsed = Stages::parsePdf(Fuzz::bytesOf(data, size), {}, limits);
    if (parsed) {
        const auto &pages = parsed.value().pages;
        for (qsizetype i = 0; i < pages.size(); ++i)
            Fuzz::require(pages.at(i).number == i + 1, "pages are numbered 1..n in order");
    }
    return 0;
}
