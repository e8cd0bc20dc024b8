// Validation of parsed text; see parsevalidator.h for the thresholds and why.
#include "parsevalidator.h"

namespace Docpipe::Stages {

namespace {

bool isWhitespace(char16_t c)
{
    return c == u' ' || (c >= u'\t' && c <= u'\r') || c == 0xA0 || c == 0x2028 || c == 0x2029 || c == 0x3000
        || (c >= 0x2000 && c <= 0x200A) || c == 0x1680 || c == 0x202F || c == 0x205F || c == 0x85;
}

bool isGarbageBmp(char16_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) // C0/C1 controls (whitespace handled before)
        || c == 0xFFFD || c == 0xFFFE || c == 0xFFFF // replacement, noncharacters
        || (c >= 0xE000 && c <= 0xF8FF) // private use
        || (c >= 0xFDD0 && c <= 0xFDEF); // noncharacters
}

} // namespace

TextStats measureText(QStringView text)
{
    TextStats stats;
    const char16_t *p = text.utf16();
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = p[i];
        if (c > 0x20 && c < 0x7F) { // printable ASCII: the common case
            ++stats.nonSpace;
            continue;
        }
        if (isWhitespace(c))
            continue;
        ++stats.nonSpace;
        if (c >= 0xD800 && c <= 0xDBFF) {
            if (i + 1 < n && p[i + 1] >= 0xDC00 && p[i + 1] <= 0xDFFF) {
                // Planes 15 and 16 (high surrogates DB80..DBFF) are private use.
                stats.garbage += c >= 0xDB80 ? 1 : 0;
                ++i;
            } else {
                ++stats.garbage;
            }
        } else if ((c >= 0xDC00 && c <= 0xDFFF) || isGarbageBmp(c)) {
            ++stats.garbage;
        }
    }
    return stats;
}

std::optional<StageError> validateParsed(const ParsedDocument &document, const ValidationLimits &limits)
{
    if (document.pages.size() > limits.maxPages) {
        return StageError::permanent(QStringLiteral("too_many_pages"),
                                     QStringLiteral("the document has %1 pages, more than the limit of %2")
                                         .arg(document.pages.size())
                                         .arg(limits.maxPages));
    }
    TextStats total;
    for (const ParsedPage &page : document.pages) {
        const TextStats stats = measureText(page.text);
        total.nonSpace += stats.nonSpace;
        total.garbage += stats.garbage;
    }
    if (total.nonSpace == 0) {
        return StageError::permanent(QStringLiteral("empty_text"),
                                     QStringLiteral("the document contains no text (only blank pages or whitespace)"));
    }
    const double ratio = double(total.garbage) / double(total.nonSpace);
    const bool garbage = total.nonSpace < limits.minCharactersForRatio ? total.garbage == total.nonSpace
                                                                       : ratio > limits.maxGarbageRatio;
    if (garbage) {
        return StageError::permanent(QStringLiteral("garbage_text"),
                                     QStringLiteral("the text is mostly unreadable: %1% of its characters are control, "
                                                    "replacement or private-use characters")
                                         .arg(qRound(ratio * 100)));
    }
    return std::nullopt;
}

} // namespace Docpipe::Stages
