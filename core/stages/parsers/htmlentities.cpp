// Character references: numeric ones fully, named ones from the set that occurs in real text
// (the full HTML5 table has 2,231 names; the rare ones stay as written).
#include "htmlentities.h"

#include <algorithm>
#include <iterator>

namespace Docpipe::Stages {

namespace {

struct NamedEntity
{
    const char16_t *name;
    char16_t value;
};

constexpr NamedEntity kEntities[] = {
    {u"AElig", 0xC6},  {u"Aacute", 0xC1},  {u"Agrave", 0xC0},   {u"Auml", 0xC4},    {u"Ccedil", 0xC7},
    {u"Eacute", 0xC9}, {u"Egrave", 0xC8},  {u"Ntilde", 0xD1},   {u"Oacute", 0xD3},  {u"Ouml", 0xD6},
    {u"Uuml", 0xDC},   {u"aacute", 0xE1},  {u"acirc", 0xE2},    {u"aelig", 0xE6},   {u"agrave", 0xE0},
    {u"amp", u'&'},    {u"apos", u'\''},   {u"aring", 0xE5},    {u"auml", 0xE4},    {u"bull", 0x2022},
    {u"ccedil", 0xE7}, {u"cent", 0xA2},    {u"copy", 0xA9},     {u"deg", 0xB0},     {u"divide", 0xF7},
    {u"eacute", 0xE9}, {u"ecirc", 0xEA},   {u"egrave", 0xE8},   {u"euml", 0xEB},    {u"euro", 0x20AC},
    {u"frac12", 0xBD}, {u"gt", u'>'},      {u"hellip", 0x2026}, {u"iacute", 0xED},  {u"iexcl", 0xA1},
    {u"iquest", 0xBF}, {u"iuml", 0xEF},    {u"laquo", 0xAB},    {u"ldquo", 0x201C}, {u"lsquo", 0x2018},
    {u"lt", u'<'},     {u"mdash", 0x2014}, {u"middot", 0xB7},   {u"nbsp", 0xA0},    {u"ndash", 0x2013},
    {u"ntilde", 0xF1}, {u"oacute", 0xF3},  {u"ocirc", 0xF4},    {u"ouml", 0xF6},    {u"para", 0xB6},
    {u"plusmn", 0xB1}, {u"pound", 0xA3},   {u"quot", u'"'},     {u"raquo", 0xBB},   {u"rdquo", 0x201D},
    {u"reg", 0xAE},    {u"rsquo", 0x2019}, {u"sect", 0xA7},     {u"shy", 0xAD},     {u"szlig", 0xDF},
    {u"times", 0xD7},  {u"trade", 0x2122}, {u"uacute", 0xFA},   {u"ucirc", 0xFB},   {u"uuml", 0xFC},
    {u"yen", 0xA5},    {u"yuml", 0xFF},
};

constexpr qsizetype kMaxNameLength = 8;
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
    const qsizetype semicolon = text.left(kMaxNameLength + 2).indexOf(u';');
    if (semicolon < 2)
        return 0;
    const QStringView name = text.mid(1, semicolon - 1);
    const auto *end = std::end(kEntities);
    const auto *it = std::find_if(std::begin(kEntities), end,
                                  [name](const NamedEntity &e) { return name == QStringView(e.name); });
    if (it == end)
        return 0;
    out += QChar(it->value);
    return semicolon + 1;
}

} // namespace Docpipe::Stages
