// One PDF page's text in reading order, as a reader sees it: poppler's word boxes (the order
// `pdftotext` without -layout uses) put back into lines and paragraphs, instead of the physical
// layout that pads a page number at the right margin with a hundred spaces.
#pragma once

#include <QList>
#include <QRectF>
#include <QString>

namespace Poppler {
class Page;
}

namespace Docpipe::Stages {

// One word as poppler found it, in reading order.
struct PdfWord
{
    QString text;
    QRectF box;
    bool spaceAfter = false;
    bool endsLine = false; // poppler's line ends after this word
    double charWidth = 0; // the advance of its characters when they are all alike (monospace), else 0
};

// The page's words, in poppler's reading order.
QList<PdfWord> pageWords(const Poppler::Page &page);

// Lines joined by '\n', paragraphs (and blocks, columns, code listings) by a blank line. Words are
// separated by one space; monospace lines (code, plain-text tables) keep their indentation and
// column gaps; dot leaders are dropped. A word hyphenated at a line end stays as "frag-\nment"
// (joinHyphenatedWords() decides with the whole document in view).
QString layoutPageText(const QList<PdfWord> &words);

} // namespace Docpipe::Stages
