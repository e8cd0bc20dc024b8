#include "pdfpageocr.h"

#include "logging.h"
#include "ocrengine.h"

#include <poppler-qt6.h>

#include <cmath>

#include <algorithm>

namespace Docpipe::Stages {

namespace {

// ocr/dpi, lowered for a page so large (a poster, a plan) that it would exceed kMaxOcrPixels.
int renderDpi(const Poppler::Page &page, int dpi)
{
    const QSizeF points = page.pageSizeF();
    const double squareInches = points.width() / 72.0 * points.height() / 72.0;
    if (squareInches <= 0)
        return dpi;
    return std::min(dpi, int(std::sqrt(double(kMaxOcrPixels) / squareInches)));
}

} // namespace

bool pageNeedsOcr(const QString &layerText, const OcrConfig &config)
{
    return config.enabled && visibleCharacters(layerText) < config.minTextChars;
}

Result<bool> ocrPdfPageIfNeeded(const Poppler::Page &page, ParsedPage &parsed, const OcrConfig &config,
                                const StageContext &context)
{
    if (!pageNeedsOcr(parsed.text, config))
        return false;
    const int dpi = renderDpi(page, config.dpi);
    // Tesseract reads greyscale: poppler's 32-bit render (35 MB for a letter page at 300 dpi) goes
    // as soon as it is converted, instead of being held beside Tesseract's own copies while it reads.
    const QImage image = page.renderToImage(dpi, dpi).convertToFormat(QImage::Format_Grayscale8);
    if (image.isNull()) {
        qCInfo(lcStages) << "page" << parsed.number << "could not be rendered for OCR";
        return false;
    }
    auto read = recognizeImage(image, dpi, config, context);
    if (!read)
        return read.error();
    const int found = visibleCharacters(read.value().text);
    if (found < std::max(config.minTextChars, visibleCharacters(parsed.text) + 1))
        return false;
    parsed.text = read.value().text.trimmed();
    parsed.ocr = true;
    parsed.ocrConfidence = read.value().meanConfidence;
    return true;
}

} // namespace Docpipe::Stages
