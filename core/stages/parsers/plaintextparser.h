// Plain text and Markdown: decode (see textdecoding.h), normalise line endings, one page.
#pragma once

#include "model/document.h"
#include "model/result.h"
#include "stages/stagecontext.h"

#include <QByteArray>

namespace Docpipe::Stages {

// Markdown keeps its source text, so headings stay "# ..." lines for the chunker.
Result<ParsedDocument> parseText(const QByteArray &bytes, const StageContext &context);
Result<ParsedDocument> parseMarkdown(const QByteArray &bytes, const StageContext &context);

} // namespace Docpipe::Stages
