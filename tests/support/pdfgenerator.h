// PDF painting for the document generator (QPdfWriter + QPainter).
#pragma once

#include <QString>
#include <QStringList>

#include <utility>

namespace Docpipe::Test {

// Each page gets its title line and paragraphs; false if the file cannot be written.
bool paintTextPdf(const QString &path, const QList<QStringList> &pages);
// A line of text placed exactly where a layout engine would put it (points from the page's top
// left, the baseline's start): running heads, TOC leaders, columns, code listings.
struct PlacedLine
{
    PlacedLine(double x, double y, QString text, int pointSize = 10, bool monospace = false)
        : x(x)
        , y(y)
        , text(std::move(text))
        , pointSize(pointSize)
        , monospace(monospace)
    { }

    double x = 56;
    double y = 56;
    QString text;
    int pointSize = 10;
    bool monospace = false;
};
bool paintPlacedPdf(const QString &path, const QList<QList<PlacedLine>> &pages);
// Pages that carry only a picture of text: no text layer.
bool paintImagePdf(const QString &path, int pages);

} // namespace Docpipe::Test
