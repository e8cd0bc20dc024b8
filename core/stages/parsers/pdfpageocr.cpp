#include "pdfpageocr.h"

#include "logging.h"
#include "ocrengine.h"

#include <poppler-qt6.h>

#include <cmath>

#include <algorithm>

namespace Docpipe::Stages {

namespace {

constexpr double kRenderBytesPerPixel = 4; // poppler renders 32-bit pixels

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
    const QSizeF inches = page.pageSizeF() / 72.0;
    const auto hold = holdOcrMemory(qint64(inches.width() * dpi) * qint64(inches.height() * dpi), kRenderBytesPerPixel,
                                    context); // the render and its reading count against the budget until read
    if (!hold)
        return hold.error();
    const QImage image = page.renderToImage(dpi, dpi);
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
