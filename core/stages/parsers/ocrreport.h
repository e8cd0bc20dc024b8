// How OCR's outcome is worded for the job: why a document without text stayed without text, the
// warning for pages read with a mean confidence below ocr/min_confidence, and the one for pages
// that stayed without text (a PDF's or a multi-page scan's).
#pragma once

#include "config/config.h"
#include "model/document.h"

#include <QList>
#include <QString>

namespace Docpipe::Stages {

// The end of a no_text_layer message: "OCR is turned off (ocr/enabled)", or that OCR read
// nothing either.
QString whyOcrFoundNoText(const OcrConfig &config);

// "pages 2 (41%), 5 (52%) were read by OCR with a mean confidence below ocr/min_confidence (60%)";
// empty when no OCRed page is below it. One warning for the document, naming up to 10 pages.
QString lowConfidenceWarning(const QList<ParsedPage> &pages, const OcrConfig &config);

// "2 of 30 pages have no extractable text (pages 4, 9)", naming up to 10 of the (1-based) pages.
QString pagesWithoutTextWarning(const QList<int> &pages, int total);

} // namespace Docpipe::Stages
