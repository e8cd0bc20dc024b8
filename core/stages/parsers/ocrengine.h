// Optical character recognition through Tesseract's C++ API: the text of a page image and its mean
// word confidence. Tesseract instances are lent to the thread reading a page and given back after
// it, so there are as many as pages were ever read at once, and idle ones are kept for the next
// pages (loading a language model costs ~100 ms). OCR therefore runs inside the parse stage's own
// threads and counts against its concurrency; an instance runs on the one thread that holds it
// (Tesseract's OpenMP teams are switched off).
#pragma once

#include "config/config.h"
#include "model/result.h"
#include "stages/stagecontext.h"

#include <QByteArray>
#include <QImage>
#include <QString>

namespace Docpipe::Stages {

// The most pixels OCR reads at once: an A3 page at 600 dpi is 70 million. Larger images are refused
// (image_too_large) rather than decoded; larger PDF pages are rendered at a lower resolution.
constexpr qint64 kMaxOcrPixels = 120'000'000;

struct OcrText
{
    QString text;
    int meanConfidence = 0; // 0..100, Tesseract's mean word confidence
};

// What OCR of one page holds at its peak, in bytes: the page image of `pixels` at
// `imageBytesPerPixel` (a poppler render: 4; a decoded scan: its depth) and what reading it takes
// (the greyscale and straightened copies, Tesseract's working set). Measured, not guessed: see
// bench_ocr's "memory per page".
qint64 ocrPageBytes(qint64 pixels, double imageBytesPerPixel);
// Reserves ocrPageBytes() of the job's memory budget (StageContext::holdMemory) for the page about
// to be rendered or decoded and read, until the hold goes. Error cancelled when the job must stop
// while it waits.
Result<MemoryHold> holdOcrMemory(qint64 pixels, double imageBytesPerPixel, const StageContext &context);

// Errors (permanent): ocr_language (the language data of ocr/languages is not installed; the
// message names the missing ones), cancelled.
Result<OcrText> recognizeImage(const QImage &image, int dpi, const OcrConfig &config, const StageContext &context);

// The pages of an image file's bytes (PNG, JPEG, TIFF: decoded by Leptonica): each frame of a
// multi-page TIFF, else 1. Error corrupt_image.
Result<int> imageFilePageCount(const QByteArray &bytes);
// Page `index` (0-based) of an image file, read with its OCR memory held (holdOcrMemory) from
// before it is decoded. Errors as recognizeImage's, and corrupt_image, image_too_large.
Result<OcrText> recognizeImageFilePage(const QByteArray &bytes, int index, const OcrConfig &config,
                                       const StageContext &context);

// Whether OCR can run with `config` on this thread: "Tesseract 5.3.0, languages eng+deu", or the
// ocr_language error a job would get (what `docpipe-cli check` prints).
Result<QString> checkOcr(const OcrConfig &config);

// How many Tesseract instances this process has made (each about 20 MB while it lives).
int ocrEnginesMade();

// The non-space characters of `text` (what the OCR thresholds count).
int visibleCharacters(const QString &text);

} // namespace Docpipe::Stages
