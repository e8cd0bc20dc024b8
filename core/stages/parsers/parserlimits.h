// Bounds the local parsers enforce on hostile or oversized input.
#pragma once

#include <QtGlobal>

namespace Docpipe::Stages {

struct ParserLimits
{
    int maxPages = 10000; // PDF pages (and DOCX page breaks, TIFF frames) beyond this fail
    qint64 maxDocxXmlBytes = 64LL * 1024 * 1024; // inflated word/document.xml, counted while inflating
};

} // namespace Docpipe::Stages
