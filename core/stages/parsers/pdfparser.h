// PDF text extraction with poppler-qt6, page by page.
#pragma once

#include "model/document.h"
#include "model/result.h"
#include "stages/parsers/parserlimits.h"
#include "stages/stagecontext.h"

#include <QByteArray>

namespace Docpipe::Stages {

// Errors (all permanent): corrupt_pdf, encrypted_pdf, too_many_pages, no_text_layer, cancelled.
// Pages without text inside an otherwise readable PDF are kept (empty) and named in a warning.
// Safe to call from several threads at once: each call owns its Poppler::Document.
Result<ParsedDocument> parsePdf(const QByteArray &bytes, const StageContext &context, const ParserLimits &limits = {});

} // namespace Docpipe::Stages
