// Type detection and dispatch to the local readers.
#include "localparser.h"

#include "logging.h"
#include "stages/parsers/documenttype.h"
#include "stages/parsers/docxparser.h"
#include "stages/parsers/htmlparser.h"
#include "stages/parsers/imageparser.h"
#include "stages/parsers/pdfparser.h"
#include "stages/parsers/plaintextparser.h"

namespace Docpipe::Stages {

LocalParser::LocalParser(ParserLimits limits, OcrConfig ocr)
    : m_limits(limits)
    , m_ocr(std::move(ocr))
{ }

QString LocalParser::name() const
{
    return QStringLiteral("local");
}

Result<ParsedDocument> LocalParser::parse(const ParseRequest &request, const StageContext &context) const
{
    if (request.bytes.isEmpty())
        return StageError::permanent(QStringLiteral("empty_file"), QStringLiteral("the file is empty (0 bytes)"));
    const DetectedType detected = detectDocumentType(request.bytes, request.fileName);
    qCDebug(lcStages) << "parsing" << request.fileName << "as" << detected.mimeName;
    switch (detected.type) {
    case DocumentType::Pdf:
        return parsePdf(request.bytes, context, m_limits, m_ocr);
    case DocumentType::Docx:
        return parseDocx(request.bytes, context, m_limits);
    case DocumentType::Html:
        return parseHtml(request.bytes, context);
    case DocumentType::Markdown:
        return parseMarkdown(request.bytes, context);
    case DocumentType::Text:
        return parseText(request.bytes, context);
    case DocumentType::Image:
        return parseImage(request.bytes, m_ocr, m_limits, context);
    case DocumentType::Unsupported:
        break;
    }
    return unsupportedTypeError(detected);
}

} // namespace Docpipe::Stages
