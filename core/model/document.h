// Value types that flow between stages: parsed pages and chunks.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>

namespace Docpipe {

struct ParsedPage
{
    int number = 1; // 1-based, as a person counts pages
    QString text;
};

struct ParsedDocument
{
    QString type; // "pdf", "docx", "html", "markdown", "text"
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
