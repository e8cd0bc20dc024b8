#include "imageparser.h"

#include "ocrengine.h"
#include "ocrreport.h"

#include <algorithm>

namespace Docpipe::Stages {

Result<ParsedDocument> parseImage(const QByteArray &bytes, const OcrConfig &config, const ParserLimits &limits,
                                  const StageContext &context)
{
    const auto noText = [&config] {
        return StageError::permanent(
            QStringLiteral("no_text_layer"),
            QStringLiteral("the image holds no text layer; %1").arg(whyOcrFoundNoText(config)));
    };
    if (!config.enabled)
        return noText();
    const auto count = imageFilePageCount(bytes);
    if (!count)
        return count.error();
    const int total = count.value();
    if (total > limits.maxPages) {
        return StageError::permanent(
            QStringLiteral("too_many_pages"),
            QStringLiteral("the image has %1 pages, more than the limit of %2").arg(total).arg(limits.maxPages));
    }
    ParsedDocument document;
    document.type = QStringLiteral("image");
    QList<int> blankPages;
    for (int i = 0; i < total; ++i) {
        if (context.cancelled())
            return StageError::permanent(QStringLiteral("cancelled"), QStringLiteral("parsing was cancelled"));
        auto read = recognizeImageFilePage(bytes, i, config, context);
        if (!read)
            return read.error();
        ParsedPage page{i + 1, QString()};
        // A few characters are specks read as "|" or "." (the same threshold as a PDF page's).
        if (visibleCharacters(read.value().text) >= std::max(1, config.minTextChars)) {
            page.text = read.value().text.trimmed();
            page.ocr = true;
            page.ocrConfidence = read.value().meanConfidence;
        } else {
            blankPages << page.number;
        }
        document.pages << std::move(page);
        context.progress(i + 1, total);
    }
    if (blankPages.size() == total)
        return noText();
    if (const QString low = lowConfidenceWarning(document.pages, config); !low.isEmpty())
        document.warnings << low;
    if (!blankPages.isEmpty())
        document.warnings << pagesWithoutTextWarning(blankPages, total);
    return document;
}

} // namespace Docpipe::Stages
