// Plain functions that take a PDF's page texts from how they were printed to what they say:
// dot leaders, words hyphenated at a line end, and running headers, footers and page numbers.
// Text in, text out: no poppler here, so each rule is tested on its own.
#pragma once

#include "model/document.h"

#include <QList>
#include <QString>

namespace Docpipe::Stages {

// A line without its dot leaders ("Introduction . . . . . . 12" -> "Introduction 12"): runs of four
// or more dots (., ·, …) with only spaces between them. An ellipsis ("...") stays.
QString dropDotLeaders(const QString &line);

// Every page's text joined across a hyphen at a line end ("manip-\nulation" -> "manipulation"),
// keeping the hyphen where the document itself writes the word with one ("command-line"), or both
// halves are words of their own; a fragment starting with a capital keeps its hyphen too.
void joinHyphenatedWords(QList<ParsedPage> &pages);

// Lines at the top or bottom of pages that repeat through a stretch of the document (running
// headers and footers; digits count as one, so "Guide 12" and "Guide 13" repeat) and lone page
// numbers there: taken out of each page's text into its `furniture`.
void takeRunningHeadersAndFooters(QList<ParsedPage> &pages);

// Both of the above, in the order that works: the parser's one call after reading the pages.
void cleanPdfPages(QList<ParsedPage> &pages);

} // namespace Docpipe::Stages
