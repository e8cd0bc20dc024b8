#include "ocrreport.h"

#include <QStringList>

namespace Docpipe::Stages {

QString whyOcrFoundNoText(const OcrConfig &config)
{
    if (!config.enabled)
        return QStringLiteral("OCR is turned off (ocr/enabled)");
    return QStringLiteral("OCR found no text either");
}

QString lowConfidenceWarning(const QList<ParsedPage> &pages, const OcrConfig &config)
{
    constexpr int kNamed = 10;
    QStringList low;
    int count = 0;
    for (const ParsedPage &page : pages) {
        if (!page.ocr || page.ocrConfidence >= config.minConfidence)
            continue;
        if (++count <= kNamed)
            low << QStringLiteral("%1 (%2%)").arg(page.number).arg(page.ocrConfidence);
    }
    if (count == 0)
        return {};
    if (count > kNamed)
        low << QStringLiteral("… %1 in all").arg(count);
    return QStringLiteral("%1 %2 %3 read by OCR with a mean confidence below ocr/min_confidence (%4%)")
        .arg(count == 1 ? QStringLiteral("page") : QStringLiteral("pages"), low.join(QStringLiteral(", ")),
             count == 1 ? QStringLiteral("was") : QStringLiteral("were"))
        .arg(config.minConfidence);
}

QString pagesWithoutTextWarning(const QList<int> &pages, int total)
{
    constexpr int kNamed = 10;
    QStringList named;
    for (int i = 0; i < pages.size() && i < kNamed; ++i)
        named << QString::number(pages[i]);
    if (pages.size() > kNamed)
        named << QStringLiteral("…");
    return QStringLiteral("%1 of %2 pages have no extractable text (pages %3)")
        .arg(pages.size())
        .arg(total)
        .arg(named.join(QStringLiteral(", ")));
}

} // namespace Docpipe::Stages
