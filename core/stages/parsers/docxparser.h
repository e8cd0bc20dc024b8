// DOCX (Office Open XML) text extraction: word/document.xml read with QXmlStreamReader.
#pragma once

#include "model/document.h"
#include "model/result.h"
#include "stages/parsers/parserlimits.h"
#include "stages/stagecontext.h"

#include <QByteArray>

namespace Docpipe::Stages {

// Paragraphs become lines ("Heading N" styles become "#"-prefixed lines), table rows become lines
// with cells separated by tabs, explicit page breaks (<w:br w:type="page"/>) start a new page.
// Errors (permanent): corrupt_docx, docx_too_large, too_many_pages, cancelled.
Result<ParsedDocument> parseDocx(const QByteArray &bytes, const StageContext &context, const ParserLimits &limits = {});

} // namespace Docpipe::Stages
