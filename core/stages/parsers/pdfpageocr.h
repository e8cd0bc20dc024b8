// The per-page OCR choice for PDFs (Unstructured's "auto" strategy): a page whose text layer holds
// fewer than ocr/min_text_chars visible characters (none, or a stamped page number) is rendered
// with poppler at ocr/dpi and read by Tesseract, unless a coarse look at the page shows no ink
// beside the layer's words (a blank page, a heading alone, a page number); text pages are never
// rendered. A PDF of 300 text pages and 2 scans OCRs those 2.
#pragma once

#include "config/config.h"
#include "model/document.h"
#include "model/result.h"
#include "stages/stagecontext.h"

namespace Poppler {
class Page;
}

namespace Docpipe::Stages {

struct PdfWord;

bool pageNeedsOcr(const QString &layerText, const OcrConfig &config);

// Reads `page` by OCR when pageNeedsOcr(parsed.text): the OCR text replaces the layer's when it
// holds at least ocr/min_text_chars visible characters and more than the layer (less is specks
// read as "|" or "." on a blank page), and `parsed` then records ocr and the mean confidence. The
// render and its reading hold their memory in the job's budget (holdOcrMemory) from before the
// render until the text is read. Errors: those of recognizeImage() (ocr_language, cancelled).
// `words` are the page's text layer (pageWords()).
Result<bool> ocrPdfPageIfNeeded(const Poppler::Page &page, const QList<PdfWord> &words, ParsedPage &parsed,
                                const OcrConfig &config, const StageContext &context);

} // namespace Docpipe::Stages
