// PDF text extraction with poppler-qt6, page by page.
#pragma once

#include "config/config.h"
#include "model/document.h"
#include "model/result.h"
#include "stages/parsers/parserlimits.h"
#include "stages/stagecontext.h"

#include <QByteArray>

namespace Docpipe::Stages {

// Errors (all permanent): corrupt_pdf, encrypted_pdf, too_many_pages, no_text_layer, cancelled,
// ocr_language. A page without (enough) text layer is read by OCR when `ocr` is enabled
// (pdfpageocr.h); pages still without text are kept (empty) and named in a warning, as are pages
// read with a low confidence. Safe to call from several threads at once: each call owns its
// Poppler::Document (and each thread its Tesseract).
Result<ParsedDocument> parsePdf(const QByteArray &bytes, const StageContext &context, const ParserLimits &limits = {},
                                const OcrConfig &ocr = {});

} // namespace Docpipe::Stages
