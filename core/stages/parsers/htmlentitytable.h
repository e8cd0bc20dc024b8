// HTML5's named character references, generated (see htmlentitytable.cpp), sorted by name.
#pragma once

#include <cstddef>

namespace Docpipe::Stages {

struct HtmlEntity
{
    const char *name; // ASCII, with the ';' where the standard has one ("amp;" and legacy "amp")
    char32_t first;
    char32_t second; // 0 unless the reference stands for two code points
};

extern const HtmlEntity kHtmlEntities[];
extern const std::size_t kHtmlEntityCount;

} // namespace Docpipe::Stages
