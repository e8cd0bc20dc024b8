// Images (PNG, JPEG, TIFF) as documents whose pages are read by OCR: one page, or one per frame of
// a multi-page TIFF (a scanner's usual output for a letter or a form), each by the same rules as a
// scanned PDF page.
#pragma once

#include "config/config.h"
#include "model/document.h"
#include "model/result.h"
#include "parserlimits.h"
#include "stages/stagecontext.h"

#include <QByteArray>

namespace Docpipe::Stages {

// Errors (permanent): no_text_layer (OCR turned off, or no text on any page), corrupt_image,
// image_too_large, too_many_pages, ocr_language, cancelled.
Result<ParsedDocument> parseImage(const QByteArray &bytes, const OcrConfig &config, const ParserLimits &limits,
                                  const StageContext &context);

} // namespace Docpipe::Stages
