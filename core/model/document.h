// Value types that flow between stages: parsed pages and chunks.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>

#include <utility>

namespace Docpipe {

struct ParsedPage
{
    // A constructor, not an aggregate: `{number, text}` still reads as before, without a warning
    // for the members it leaves empty.
    ParsedPage(int number = 1, QString text = {}, QStringList furniture = {})
        : number(number)
        , text(std::move(text))
        , furniture(std::move(furniture))
    { }

    int number = 1; // 1-based, as a person counts pages
    QString text;
    // What the page printed around its text and the parser took out of it: running headers and
    // footers, page numbers. Kept for the job's details; not chunked.
    QStringList furniture;
    bool ocr = false; // the text was read from the rendered page (or the image) by OCR
    int ocrConfidence = -1; // Tesseract's mean word confidence, 0-100, when ocr
};

struct ParsedDocument
{
    QString type; // "pdf", "docx", "html", "markdown", "text", "image"
    QList<ParsedPage> pages;
    QStringList warnings; // recorded as warning events, e.g. an encoding fallback
};

struct Chunk
{
    int index = 0;
    QString text;
    int tokens = 0; // conservative estimate, never below cl100k_base on English prose
    int pageStart = 1;
    int pageEnd = 1;
    qint64 charStart = 0; // offsets into the document's text (pages joined by "\n\n")
    qint64 charEnd = 0;
};

using Vector = QVector<float>;

} // namespace Docpipe
