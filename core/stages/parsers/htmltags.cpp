// Tag table for the HTML text extractor; names sorted for binary search.
#include "htmltags.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace Docpipe::Stages {

namespace {

struct Entry
{
    const char *name;
    HtmlTagKind kind;
};

using K = HtmlTagKind;

// Sorted by name (strcmp order); checked by a test through classifyHtmlTag.
constexpr Entry kTags[] = {
    {"address", K::Block},  {"article", K::Block},    {"aside", K::Block},   {"blockquote", K::Block},
    {"body", K::Block},     {"br", K::LineBreak},     {"caption", K::Block}, {"dd", K::Block},
    {"details", K::Block},  {"div", K::Block},        {"dl", K::Block},      {"dt", K::Block},
    {"fieldset", K::Block}, {"figcaption", K::Block}, {"figure", K::Block},  {"footer", K::Block},
    {"form", K::Block},     {"header", K::Block},     {"hr", K::Block},      {"legend", K::Block},
    {"li", K::ListItem},    {"main", K::Block},       {"nav", K::Block},     {"noscript", K::Dropped},
    {"ol", K::Block},       {"option", K::Block},     {"p", K::Paragraph},   {"pre", K::Pre},
    {"script", K::Dropped}, {"section", K::Block},    {"style", K::Dropped}, {"summary", K::Block},
    {"table", K::Block},    {"tbody", K::Block},      {"td", K::Cell},       {"template", K::Dropped},
    {"tfoot", K::Block},    {"th", K::Cell},          {"thead", K::Block},   {"title", K::Block},
    {"tr", K::Block},       {"ul", K::Block},
};

constexpr qsizetype kMaxName = 15;

} // namespace

HtmlTag classifyHtmlTag(QStringView name)
{
    if (name.isEmpty() || name.size() > kMaxName)
        return {};
    char lower[kMaxName + 1] = {}; // zero-filled: already terminated
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name[i].unicode();
        if (c >= 0x80)
            return {};
        lower[i] = char(c >= u'A' && c <= u'Z' ? c + 32 : c);
    }
    if (name.size() == 2 && lower[0] == 'h' && lower[1] >= '1' && lower[1] <= '6')
        return {HtmlTagKind::Heading, lower[1] - '0'};
    const auto *end = std::end(kTags);
    const auto *it = std::lower_bound(std::begin(kTags), end, lower,
                                      [](const Entry &e, const char *key) { return std::strcmp(e.name, key) < 0; });
    if (it == end || std::strcmp(it->name, lower) != 0)
        return {};
    return {it->kind, 0};
}

} // namespace Docpipe::Stages
