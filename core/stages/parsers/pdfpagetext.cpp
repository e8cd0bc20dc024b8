#include "pdfpagetext.h"

#include "pdftextcleaner.h"

#include <poppler-qt6.h>

#include <QVarLengthArray>

#include <algorithm>
#include <cmath>
#include <span>

namespace Docpipe::Stages {

namespace {

// A row of words as printed: poppler's line, or two of its lines side by side on one baseline
// (a TOC's number and its title are often separate blocks). Its words are a run of the page's.
struct Row
{
    std::span<const PdfWord> words;
    QRectF box;
    QRectF body; // the middle word's top and bottom: one taller code word does not make a heading
    bool mono = false;
    double charWidth = 0;
};

using Values = QVarLengthArray<double, 32>;

double median(Values &values)
{
    const auto middle = values.begin() + values.size() / 2;
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

void measureBody(Row &row)
{
    Values tops;
    Values bottoms;
    for (const PdfWord &word : row.words) {
        tops << word.box.top();
        bottoms << word.box.bottom();
    }
    const double top = median(tops);
    row.body = QRectF(row.box.left(), top, row.box.width(), std::max(0.1, median(bottoms) - top));
}

// Characters have one advance when they are alike in width; a word of one repeated character
// says nothing about the font.
double monospaceAdvance(const Poppler::TextBox &box)
{
    const QString text = box.text();
    if (text.size() < 3 || text.count(text.front()) == text.size())
        return -1;
    double least = 1e9;
    double most = 0;
    for (int i = 0; i < text.size(); ++i) {
        const double width = box.charBoundingBox(i).width();
        least = std::min(least, width);
        most = std::max(most, width);
    }
    return most > 0 && most - least <= 0.03 * most ? (least + most) / 2 : 0;
}

bool sameRow(const QRectF &left, const QRectF &right)
{
    const double overlap = std::min(left.bottom(), right.bottom()) - std::max(left.top(), right.top());
    return overlap > 0.5 * std::min(left.height(), right.height()) && right.left() >= left.right() - 0.5;
}

// The rows of `words`, whose spaceAfter it sets where two lines become one row.
QList<Row> rowsOf(QList<PdfWord> &words)
{
    struct Run
    {
        qsizetype first;
        qsizetype end;
        QRectF box;
    };
    QList<Run> runs;
    qsizetype first = 0;
    QRectF box;
    for (qsizetype i = 0; i < words.size(); ++i) {
        box = box.isNull() ? words[i].box : box.united(words[i].box);
        if (!words[i].endsLine && i + 1 < words.size())
            continue;
        if (!runs.isEmpty() && sameRow(runs.last().box, box)) {
            words[first - 1].spaceAfter = true;
            runs.last().end = i + 1;
            runs.last().box = runs.last().box.united(box);
        } else {
            runs.append({first, i + 1, box});
        }
        first = i + 1;
        box = QRectF();
    }
    QList<Row> rows;
    rows.reserve(runs.size());
    for (const Run &run : std::as_const(runs)) {
        Row row;
        row.words = std::span<const PdfWord>(words.constData() + run.first, size_t(run.end - run.first));
        row.box = run.box;
        measureBody(row);
        rows << row;
    }
    return rows;
}

// A row is monospace when every word that can tell has one advance, the same for all of them;
// a row of words too short to tell follows the row before it.
void markMonospace(QList<Row> &rows)
{
    const Row *previous = nullptr;
    for (Row &row : rows) {
        double advance = -1;
        bool proportional = false;
        for (const PdfWord &word : row.words) {
            if (word.charWidth == 0
                || (word.charWidth > 0 && advance > 0 && std::abs(word.charWidth - advance) > 0.05 * advance))
                proportional = true;
            else if (word.charWidth > 0)
                advance = word.charWidth;
        }
        if (!proportional && advance > 0) {
            row.mono = true;
            row.charWidth = advance;
        } else if (!proportional && previous && previous->mono
                   && std::abs(previous->box.height() - row.box.height()) < 0.2 * previous->box.height()) {
            row.mono = true;
            row.charWidth = previous->charWidth;
        }
        previous = &row;
    }
}

// The space between the lines of a paragraph on this page: the smaller gaps between rows
// (fonts set with generous leading have wide ones, so no fixed share of the height will do).
double typicalLineGap(const QList<Row> &rows)
{
    QList<double> gaps;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const double gap = rows[i].body.top() - rows[i - 1].body.bottom();
        if (gap >= -0.5 && gap < 1.5 * rows[i].body.height())
            gaps << gap;
    }
    if (gaps.isEmpty())
        return 0;
    const auto quarter = gaps.begin() + gaps.size() / 4;
    std::nth_element(gaps.begin(), quarter, gaps.end());
    return std::max(0.0, *quarter);
}

bool paragraphBetween(const Row &above, const Row &below, double lineGap)
{
    const double height = std::max(above.body.height(), below.body.height());
    if (below.body.top() < above.body.top() - 0.5 * above.body.height())
        return true; // up again: the next column or block
    if (below.body.top() - above.body.bottom() > lineGap + 0.4 * height)
        return true; // a gap wider than the line spacing
    if (std::abs(above.body.height() - below.body.height()) > 0.25 * height)
        return true; // a heading's size
    return above.mono != below.mono; // a code listing starts or ends
}

QString proportionalText(std::span<const PdfWord> words)
{
    QString text;
    qsizetype size = 0;
    for (const PdfWord &word : words)
        size += word.text.size() + 1;
    text.reserve(size);
    for (const PdfWord &word : words) {
        text += word.text;
        if (word.spaceAfter)
            text += u' ';
    }
    return text;
}

// Indentation and column gaps in character cells, relative to the listing's left edge.
QString monospaceText(const Row &row, double left)
{
    QString text(qMax(0, qRound((row.box.left() - left) / row.charWidth)), u' ');
    for (size_t i = 0; i < row.words.size(); ++i) {
        text += row.words[i].text;
        if (i + 1 == row.words.size())
            break;
        const double gap = row.words[i + 1].box.left() - row.words[i].box.right();
        const int cells = qRound(gap / row.charWidth);
        text += QString(std::max(cells, row.words[i].spaceAfter ? 1 : 0), u' ');
    }
    return text;
}

} // namespace

QList<PdfWord> pageWords(const Poppler::Page &page)
{
    const auto boxes = page.textList();
    QList<PdfWord> words;
    words.reserve(qsizetype(boxes.size()));
    for (size_t i = 0; i < boxes.size(); ++i) {
        const Poppler::TextBox &box = *boxes[i];
        const bool lineGoesOn = i + 1 < boxes.size() && box.nextWord() == boxes[i + 1].get();
        words.append({box.text(), box.boundingBox(), box.hasSpaceAfter(), !lineGoesOn, monospaceAdvance(box)});
    }
    return words;
}

QString layoutPageText(const QList<PdfWord> &layer)
{
    QList<PdfWord> words = layer; // rowsOf() marks spaces where it joins lines; rows point into it
    QList<Row> rows = rowsOf(words);
    markMonospace(rows);
    const double lineGap = typicalLineGap(rows);
    QString text;
    double listingLeft = 0;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        Row &row = rows[i];
        if (i > 0)
            text += paragraphBetween(rows[i - 1], row, lineGap) ? QStringLiteral("\n\n") : QStringLiteral("\n");
        if (row.mono && (i == 0 || !rows[i - 1].mono || text.endsWith(QLatin1String("\n\n")))) {
            listingLeft = row.box.left();
            for (qsizetype j = i + 1;
                 j < rows.size() && rows[j].mono && !paragraphBetween(rows[j - 1], rows[j], lineGap); ++j)
                listingLeft = std::min(listingLeft, rows[j].box.left());
        }
        const QString plain = proportionalText(row.words);
        const QString withoutLeaders = dropDotLeaders(plain);
        // A listing keeps its columns; a TOC line set in a fixed font is still a TOC line.
        text += row.mono && withoutLeaders.size() == plain.size() ? monospaceText(row, listingLeft)
                                                                  : withoutLeaders.trimmed();
    }
    return text;
}

} // namespace Docpipe::Stages
