// The default parser: detects a document's type from its bytes and hands it to the matching
// local reader (poppler for PDF, minizip + QXmlStreamReader for DOCX, Tesseract for images and
// scanned PDF pages, own readers for the rest).
#pragma once

#include "config/config.h"
#include "stages/parsers/documentparser.h"
#include "stages/parsers/parserlimits.h"

namespace Docpipe::Stages {

class LocalParser final : public DocumentParser
{
public:
    explicit LocalParser(ParserLimits limits = {}, OcrConfig ocr = {});

    // Errors (permanent): empty_file, unsupported_type, and each reader's own codes
    // (corrupt_pdf, encrypted_pdf, no_text_layer, too_many_pages, corrupt_docx, docx_too_large,
    // corrupt_image, image_too_large, ocr_language). Stateless apart from the limits and the OCR
    // settings: safe to call from several threads at once.
    Result<ParsedDocument> parse(const ParseRequest &request, const StageContext &context) const override;
    QString name() const override;

private:
    ParserLimits m_limits;
    OcrConfig m_ocr;
};

} // namespace Docpipe::Stages
