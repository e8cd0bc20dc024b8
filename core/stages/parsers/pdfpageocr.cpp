#include "pdfpageocr.h"

#include "logging.h"
#include "ocrengine.h"
#include "pdfpagetext.h"

#include <poppler-qt6.h>

#include <QBitArray>

#include <cmath>

#include <algorithm>

namespace Docpipe::Stages {

namespace {

constexpr double kRenderBytesPerPixel = 4; // poppler renders 32-bit pixels

// The look that decides whether a short page is worth reading: coarse, so that it costs a small
// fraction of a 300-dpi render and Tesseract's ~0.5 CPU s, yet fine enough that the letters of
// small print stay apart (at 36 dpi a line of 8-point type blurs into one bar, like a rule).
constexpr int kInkCheckDpi = 72;
constexpr int kInkGrey = 224; // lighter than this is paper (a scan's grey background is darker)
constexpr int kInkPixelsPerCharacter = 4; // a 10-point character covers about 20 pixels at 72 dpi

// ocr/dpi, lowered for a page so large (a poster, a plan) that it would exceed kMaxOcrPixels.
int renderDpi(const Poppler::Page &page, int dpi)
{
    const QSizeF points = page.pageSizeF();
    const double squareInches = points.width() / 72.0 * points.height() / 72.0;
    if (squareInches <= 0)
        return dpi;
    return std::min(dpi, int(std::sqrt(double(kMaxOcrPixels) / squareInches)));
}

// Ink pixels of `grey`, row by row, less those in a horizontal or vertical run of ink longer than
// kRuleLength: a rule under a running head or above a footnote, a table's or a box's edges. Text
// is short runs, whatever its size; a scan's dark border or a picture's solid areas are not text.
constexpr int kRuleLength = kInkCheckDpi / 2; // half an inch

QList<QBitArray> textLikeInk(const QImage &grey)
{
    const int width = grey.width();
    const int height = grey.height();
    const auto inkAt = [&grey](int x, int y) { return grey.constScanLine(y)[x] < kInkGrey; };
    QList<QBitArray> ink(height, QBitArray(width));
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width;) {
            int end = x;
            while (end < width && inkAt(end, y))
                ++end;
            for (int i = x; end - x <= kRuleLength && i < end; ++i)
                ink[y].setBit(i);
            x = end + 1;
        }
    }
    for (int x = 0; x < width; ++x) {
        for (int y = 0; y < height;) {
            int end = y;
            while (end < height && inkAt(x, end))
                ++end;
            for (int i = y; end - y > kRuleLength && i < end; ++i)
                ink[i].clearBit(x);
            y = end + 1;
        }
    }
    return ink;
}

// True when `page` shows ink outside its text layer's words worth at least `characters`
// characters: something Tesseract could read that the text layer lacks (a scan, text drawn as
// curves, a picture of text). A blank page, a chapter page with only its heading, or a page holding
// only its page number and a rule shows none, and Tesseract would find nothing there the layer
// does not hold.
bool inkBesideWords(const Poppler::Page &page, const QList<PdfWord> &words, int characters)
{
    const QImage image = page.renderToImage(kInkCheckDpi, kInkCheckDpi);
    if (image.isNull())
        return true; // cannot tell: read it
    const double scale = kInkCheckDpi / 72.0;
    QList<QRect> covered; // the words in pixels, a pixel wider on each side for antialiased edges
    for (const PdfWord &word : words) {
        const QRectF box(word.box.topLeft() * scale, word.box.bottomRight() * scale);
        covered << box.toAlignedRect().adjusted(-1, -1, 1, 1);
    }
    const QList<QBitArray> ink = textLikeInk(image.convertToFormat(QImage::Format_Grayscale8));
    const qint64 enough = qint64(std::max(1, characters)) * kInkPixelsPerCharacter;
    qint64 found = 0;
    for (int y = 0; y < ink.size(); ++y) {
        for (int x = 0; x < ink[y].size(); ++x) {
            if (!ink[y].testBit(x))
                continue;
            const QPoint at(x, y);
            if (std::none_of(covered.cbegin(), covered.cend(), [&at](const QRect &box) { return box.contains(at); })
                && ++found >= enough)
                return true;
        }
    }
    return false;
}

} // namespace

bool pageNeedsOcr(const QString &layerText, const OcrConfig &config)
{
    return config.enabled && visibleCharacters(layerText) < config.minTextChars;
}

Result<bool> ocrPdfPageIfNeeded(const Poppler::Page &page, const QList<PdfWord> &words, ParsedPage &parsed,
                                const OcrConfig &config, const StageContext &context)
{
    if (!pageNeedsOcr(parsed.text, config) || !inkBesideWords(page, words, config.minTextChars))
        return false;
    const int dpi = renderDpi(page, config.dpi);
    const QSizeF inches = page.pageSizeF() / 72.0;
    const auto hold = holdOcrMemory(qint64(inches.width() * dpi) * qint64(inches.height() * dpi), kRenderBytesPerPixel,
                                    context); // the render and its reading count against the budget until read
    if (!hold)
        return hold.error();
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
