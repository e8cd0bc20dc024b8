// Bytes of a plain-text-like document (text, Markdown, HTML) to a QString: BOM-aware, UTF-8 first,
// Windows-1252 as the fallback, with a warning whenever the result is not a clean decode.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace Docpipe::Stages {

struct DecodedText
{
    QString text;
    QString encoding; // "UTF-8", "UTF-16LE", "Windows-1252", ...
    QStringList warnings; // empty for a clean decode
};

// Decoding rules, in order:
//  1. a BOM (UTF-8, UTF-16 LE/BE, UTF-32) decides; the BOM is dropped;
//  2. valid UTF-8 containing multi-byte characters is UTF-8, whatever was declared;
//  3. `declaredCharset` (e.g. from an HTML <meta charset>): Latin-1 labels mean Windows-1252 (as
//     in browsers), other names go to QStringDecoder (ICU-backed converters where available);
//  4. valid UTF-8 (plain ASCII) is UTF-8;
//  5. UTF-8 with a few invalid sequences (fewer than its valid multi-byte sequences) stays UTF-8;
//     the bad bytes become U+FFFD and a warning says how many there were;
//  6. anything else is Windows-1252 (every byte maps to a character), with a warning.
DecodedText decodeText(const QByteArray &bytes, const QByteArray &declaredCharset = {});

// Converts CRLF and lone CR to LF in place (one pass, no copy when nothing changes).
void normalizeLineEndings(QString &text);

} // namespace Docpipe::Stages
