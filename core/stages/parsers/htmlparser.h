// HTML to plain text (with Markdown-style headings) in one linear pass; nothing is executed.
#pragma once

#include "model/document.h"
#include "model/result.h"
#include "stages/stagecontext.h"

#include <QByteArray>
#include <QString>

namespace Docpipe::Stages {

// Text of an HTML document: <script>, <style>, <noscript> and <template> content dropped,
// character references decoded, block elements end lines, <h1>..<h6> become "# ".."###### "
// lines, table cells are separated by tabs, whitespace collapsed outside <pre>.
// Linear in the input and without recursion, so hostile nesting costs no more than its length.
QString htmlToText(QStringView html, const StageContext &context = {});

// One page; the encoding comes from a BOM, <meta charset>, or the UTF-8/Windows-1252 rules.
Result<ParsedDocument> parseHtml(const QByteArray &bytes, const StageContext &context);

} // namespace Docpipe::Stages
