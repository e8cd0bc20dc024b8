// Decoding of HTML character references (&amp; &#233; &#x20AC;) for the HTML text extractor.
#pragma once

#include <QString>
#include <QStringView>

namespace Docpipe::Stages {

// `text` starts at '&'. On success appends the decoded character(s) to `out` and returns how
// many input characters the reference used (a name is at most 32 characters with its ';');
// returns 0 when this is not a reference HTML5 knows (the caller then keeps the '&' literally).
// Invalid code points decode to U+FFFD.
qsizetype decodeHtmlEntity(QStringView text, QString &out);

} // namespace Docpipe::Stages
