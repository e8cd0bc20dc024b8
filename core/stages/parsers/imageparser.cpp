#include "imageparser.h"

#include "ocrengine.h"
#include "ocrreport.h"

#include <algorithm>

namespace Docpipe::Stages {

Result<ParsedDocument> parseImage(const QByteArray &bytes, const OcrConfig &config, const StageContext &context)
{
    const auto noText = [&config] {
        return StageError::permanent(
            QStringLiteral("no_text_layer"),
            QStringLiteral("the image holds no text layer; %1").arg(whyOcrFoundNoText(config)));
    };
    if (!config.enabled)
        return noText();
    auto read = recognizeImageFile(bytes, config, context);
    if (!read)
        return read.error();
    // A few characters are specks read as "|" or "." (the same threshold as a PDF page's).
    if (visibleCharacters(read.value().text) < std::max(1, config.minTextChars))
        return noText();
    ParsedDocument document;
    document.type = QStringLiteral("image");
    ParsedPage page{1, read.value().text.trimmed()};
    page.ocr = true;
    page.ocrConfidence = read.value().meanConfidence;
    document.pages << std::move(page);
    if (const QString low = lowConfidenceWarning(document.pages, config); !low.isEmpty())
        document.warnings << low;
    context.progress(1, 1);
    return document;
}

} // namespace Docpipe::Stages
