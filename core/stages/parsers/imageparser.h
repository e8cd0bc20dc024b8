// Images (PNG, JPEG, TIFF) as one-page documents: the page's text is read by OCR.
#pragma once

#include "config/config.h"
#include "model/document.h"
#include "model/result.h"
#include "stages/stagecontext.h"

#include <QByteArray>

namespace Docpipe::Stages {

// Errors (permanent): no_text_layer (OCR turned off, or no text in the image), corrupt_image,
// image_too_large, ocr_language, cancelled.
Result<ParsedDocument> parseImage(const QByteArray &bytes, const OcrConfig &config, const StageContext &context);

} // namespace Docpipe::Stages
