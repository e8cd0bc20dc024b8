// QPdfWriter output is a real, compressed PDF with embedded DejaVu subsets and ToUnicode maps,
// the kind of file poppler meets in practice.
#include "pdfgenerator.h"

#include <QFont>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

namespace Docpipe::Test {

namespace {

void setUp(QPdfWriter &writer)
{
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(72);
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setCreator(QStringLiteral("Docpipe test generator"));
}

QFont bodyFont(int pointSize)
{
    QFont font(QStringLiteral("DejaVu Serif"));
    font.setPointSize(pointSize);
    // No shaping: no "fi" ligature glyphs, so extracted text matches the source letter for letter.
    font.setStyleStrategy(QFont::PreferNoShaping);
    return font;
}

QFont monoFont(int pointSize)
{
    QFont font(QStringLiteral("DejaVu Sans Mono"));
    font.setPointSize(pointSize);
    font.setStyleStrategy(QFont::PreferNoShaping);
    return font;
}

} // namespace

bool paintPlacedPdf(const QString &path, const QList<QList<PlacedLine>> &pages)
{
    QPdfWriter writer(path);
    setUp(writer);
    QPainter painter;
    if (!painter.begin(&writer))
        return false;
    for (qsizetype i = 0; i < pages.size(); ++i) {
        if (i > 0)
            writer.newPage();
        for (const PlacedLine &line : pages[i]) {
            painter.setFont(line.monospace ? monoFont(line.pointSize) : bodyFont(line.pointSize));
            painter.drawText(QPointF(line.x, line.y), line.text);
        }
    }
    return painter.end();
}

bool paintTextPdf(const QString &path, const QList<QStringList> &pages)
{
    QPdfWriter writer(path);
    setUp(writer);
    QPainter painter;
    if (!painter.begin(&writer))
        return false;
    const QRect area(56, 56, 595 - 112, 842 - 112);
    for (qsizetype i = 0; i < pages.size(); ++i) {
        if (i > 0)
            writer.newPage();
        QRect rect = area;
        bool first = true;
        for (const QString &paragraph : pages[i]) {
            painter.setFont(bodyFont(first ? 16 : 10));
            const QRect used = painter.boundingRect(rect, Qt::TextWordWrap, paragraph);
            painter.drawText(rect, Qt::TextWordWrap, paragraph);
            rect.setTop(used.bottom() + 12);
            first = false;
        }
    }
    return painter.end();
}

bool paintImagePdf(const QString &path, int pages)
{
    QPdfWriter writer(path);
    setUp(writer);
    QImage scan(400, 300, QImage::Format_RGB32);
    scan.fill(Qt::white);
    {
        QPainter imagePainter(&scan);
        imagePainter.setFont(bodyFont(14));
        imagePainter.drawText(scan.rect().adjusted(20, 20, -20, -20), Qt::TextWordWrap,
                              QStringLiteral("This page was scanned: its words are pixels, not text."));
    }
    QPainter painter;
    if (!painter.begin(&writer))
        return false;
    for (int i = 0; i < pages; ++i) {
        if (i > 0)
            writer.newPage();
        painter.drawImage(QRect(56, 56, 400, 300), scan);
    }
    return painter.end();
}

} // namespace Docpipe::Test
