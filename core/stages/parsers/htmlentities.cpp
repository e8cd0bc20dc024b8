// Character references: numeric ones, and every named one of HTML5 (htmlentitytable.cpp),
// matched as the standard's tokenizer does in text: the longest name in the table wins, and the
// legacy names that the table also lists without ';' (&amp &copy &eacute ...) decode without it.
#include "htmlentities.h"

#include "htmlentitytable.h"

#include <algorithm>
#include <cstring>

namespace Docpipe::Stages {

namespace {

// The longest name in the table ("CounterClockwiseContourIntegral;" without its ';').
constexpr qsizetype kMaxNameLength = 31;
constexpr qsizetype kMaxDigits = 8;

int digitValue(char16_t c, int base)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (base == 16 && c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (base == 16 && c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

const HtmlEntity *findEntity(const QByteArray &name)
{
    const HtmlEntity *end = kHtmlEntities + kHtmlEntityCount;
    const HtmlEntity *it = std::lower_bound(kHtmlEntities, end, name, [](const HtmlEntity &e, const QByteArray &key) {
        return std::strcmp(e.name, key.constData()) < 0;
    });
    return it != end && name == it->name ? it : nullptr;
}

void append(QString &out, const HtmlEntity &entity)
{
    const char32_t points[2] = {entity.first, entity.second};
    out += QString::fromUcs4(points, entity.second ? 2 : 1);
}

qsizetype decodeNamed(QStringView text, QString &out)
{
    // text: "&name..."; names are ASCII letters and digits, optionally followed by ';'.
    QByteArray name;
    for (qsizetype i = 1; i < text.size() && name.size() < kMaxNameLength; ++i) {
        const char16_t c = text[i].unicode();
        if (!((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')))
            break;
        name.append(char(c));
    }
    const qsizetype afterName = 1 + name.size();
    if (afterName < text.size() && text[afterName] == u';') {
        if (const HtmlEntity *entity = findEntity(name + ';')) {
            append(out, *entity);
            return afterName + 1;
        }
    }
    // Without ';' only the legacy names match, and the longest one that prefixes the text wins
    // ("&notit;" is "¬it;").
    for (qsizetype length = name.size(); length >= 2; --length) {
        if (const HtmlEntity *entity = findEntity(name.left(length))) {
            append(out, *entity);
            return 1 + length;
        }
    }
    return 0;
}

qsizetype decodeNumeric(QStringView text, QString &out)
{
    // text: "&#..." or "&#x..."
    const bool hex = text.size() > 2 && (text[2] == u'x' || text[2] == u'X');
    qsizetype i = hex ? 3 : 2;
    const qsizetype digitsStart = i;
    char32_t value = 0;
    while (i < text.size() && i - digitsStart < kMaxDigits) {
        const int digit = digitValue(text[i].unicode(), hex ? 16 : 10);
        if (digit < 0)
            break;
        value = value * (hex ? 16 : 10) + char32_t(digit);
        ++i;
    }
    if (i == digitsStart)
        return 0;
    if (i < text.size() && text[i] == u';')
        ++i;
    const bool valid = value != 0 && value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF);
    const char32_t cp = valid ? value : char32_t(0xFFFD);
    out += QString::fromUcs4(&cp, 1);
    return i;
}

} // namespace

qsizetype decodeHtmlEntity(QStringView text, QString &out)
{
    if (text.size() < 3 || text[0] != u'&')
        return 0;
    if (text[1] == u'#')
        return decodeNumeric(text, out);
    return decodeNamed(text, out);
}

} // namespace Docpipe::Stages
