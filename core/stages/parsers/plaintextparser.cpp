// Text and Markdown parsing. A 200 MB single line costs one scan, one decode into the page's
// QString and one in-place line-ending pass: no further copies.
#include "plaintextparser.h"

#include "stages/parsers/textdecoding.h"

namespace Docpipe::Stages {

namespace {

Result<ParsedDocument> parseDecoded(const QByteArray &bytes, const StageContext &context, const char *type)
{
    if (bytes.isEmpty())
        return StageError::permanent(QStringLiteral("empty_file"), QStringLiteral("the file is empty (0 bytes)"));
    DecodedText decoded = decodeText(bytes);
    normalizeLineEndings(decoded.text);
    ParsedDocument result;
    result.type = QString::fromLatin1(type);
    result.pages.append(ParsedPage{1, std::move(decoded.text)});
    result.warnings = std::move(decoded.warnings);
    context.progress(1, 1);
    return result;
}

} // namespace

Result<ParsedDocument> parseText(const QByteArray &bytes, const StageContext &context)
{
    return parseDecoded(bytes, context, "text");
}

Result<ParsedDocument> parseMarkdown(const QByteArray &bytes, const StageContext &context)
{
    return parseDecoded(bytes, context, "markdown");
}

} // namespace Docpipe::Stages
