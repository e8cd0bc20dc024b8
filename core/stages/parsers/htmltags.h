// What an HTML tag name means to the text extractor (block, heading, cell, dropped, ...).
#pragma once

#include <QStringView>

namespace Docpipe::Stages {

enum class HtmlTagKind { Inline, Block, Paragraph, LineBreak, Cell, ListItem, Pre, Dropped, Heading };

struct HtmlTag
{
    HtmlTagKind kind = HtmlTagKind::Inline;
    int headingLevel = 0; // 1..6 for Heading
};

// Case-insensitive; a table lookup, so the per-tag cost stays small and constant.
HtmlTag classifyHtmlTag(QStringView name);

} // namespace Docpipe::Stages
