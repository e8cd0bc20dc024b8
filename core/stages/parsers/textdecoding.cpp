// Encoding detection and decoding for text-like documents; see textdecoding.h for the rules.
#include "textdecoding.h"

#include <QStringConverter>
#include <QStringDecoder>

#include <cstring>

namespace Docpipe::Stages {

namespace {

struct Utf8Scan
{
    qint64 validMultiByte = 0;
    qint64 invalid = 0;
};

constexpr quint64 kHighBits = 0x8080808080808080ULL;

// Counts valid multi-byte sequences and invalid ones (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF). ASCII runs are skipped eight bytes at a time, so a large ASCII file
// costs one fast pass.
Utf8Scan scanUtf8(const QByteArray &bytes)
{
    Utf8Scan scan;
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            quint64 word;
            std::memcpy(&word, p + i, 8);
            if ((word & kHighBits) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F;
        }
        bool ok = len > 0 && i + len <= n;
        for (int k = 1; ok && k < len; ++k) {
            const unsigned char cc = p[i + k];
            ok = k == 1 ? (cc >= lo && cc <= hi) : (cc >= 0x80 && cc <= 0xBF);
        }
        if (ok) {
            ++scan.validMultiByte;
            i += len;
        } else {
            ++scan.invalid;
            ++i;
        }
    }
    return scan;
}

bool isUtf8Name(const QByteArray &name)
{
    const QByteArray lower = name.toLower();
    return lower == "utf-8" || lower == "utf8";
}

bool isLatin1Label(const QByteArray &name)
{
    const QByteArray lower = name.toLower();
    return lower == "iso-8859-1" || lower == "latin1" || lower == "iso8859-1" || lower == "us-ascii"
        || lower == "windows-1252" || lower == "cp1252";
}

QString decodeWith(QStringConverter::Encoding encoding, const QByteArray &bytes)
{
    // Default flags drop a leading BOM and turn invalid input into U+FFFD.
    QStringDecoder decoder(encoding);
    return decoder.decode(bytes);
}

// Windows-1252's 0x80..0x9F differ from Latin-1 (0 marks the five unassigned bytes, which we keep
// as their C1 code points, as browsers do).
constexpr char16_t kCp1252High[32]
    = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
       0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
       0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Done by hand rather than through ICU ("windows-1252" by name) so the result is the same on
// every Qt build, with or without ICU, and costs one pass.
QString decodeWindows1252(const QByteArray &bytes)
{
    QString out(bytes.size(), Qt::Uninitialized);
    char16_t *dst = reinterpret_cast<char16_t *>(out.data());
    const auto *src = reinterpret_cast<const unsigned char *>(bytes.constData());
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const unsigned char c = src[i];
        dst[i] = (c >= 0x80 && c <= 0x9F && kCp1252High[c - 0x80]) ? kCp1252High[c - 0x80] : char16_t(c);
    }
    return out;
}

} // namespace

DecodedText decodeText(const QByteArray &bytes, const QByteArray &declaredCharset)
{
    DecodedText result;
    if (const auto bom = QStringConverter::encodingForData(bytes)) {
        result.encoding = QString::fromLatin1(QStringConverter::nameForEncoding(*bom));
        result.text = decodeWith(*bom, bytes);
        return result;
    }
    const Utf8Scan scan = scanUtf8(bytes);
    // Valid UTF-8 with multi-byte characters beats a declaration: mislabelled UTF-8 pages are
    // common, and other encodings almost never form valid multi-byte UTF-8 throughout.
    const bool cleanUtf8 = scan.invalid == 0 && scan.validMultiByte > 0;
    if (!cleanUtf8 && !declaredCharset.isEmpty() && !isUtf8Name(declaredCharset)) {
        if (isLatin1Label(declaredCharset)) { // as browsers do, Latin-1 labels mean Windows-1252
            result.encoding = QStringLiteral("Windows-1252");
            result.text = decodeWindows1252(bytes);
            return result;
        }
        // By name, so ICU's converters (Shift_JIS, KOI8-R, ...) are used when Qt has them.
        QStringDecoder declared(declaredCharset.constData());
        if (declared.isValid()) {
            result.encoding = QString::fromLatin1(declared.name());
            result.text = declared.decode(bytes);
            return result;
        }
    }
    if (scan.invalid == 0 || scan.validMultiByte > scan.invalid) {
        result.encoding = QStringLiteral("UTF-8");
        result.text = decodeWith(QStringConverter::Utf8, bytes);
        if (scan.invalid > 0) {
            result.warnings << QStringLiteral("the text contains %1 invalid UTF-8 byte sequence(s); "
                                              "they were replaced with U+FFFD")
                                   .arg(scan.invalid);
        }
        return result;
    }
    result.encoding = QStringLiteral("Windows-1252");
    result.text = decodeWindows1252(bytes);
    result.warnings << QStringLiteral("the text is not valid UTF-8; it was decoded as Windows-1252");
    return result;
}

void normalizeLineEndings(QString &text)
{
    const qsizetype firstCr = text.indexOf(u'\r');
    if (firstCr < 0)
        return;
    QChar *data = text.data();
    const qsizetype n = text.size();
    qsizetype out = firstCr;
    for (qsizetype in = firstCr; in < n; ++in) {
        if (data[in] == u'\r') {
            data[out++] = u'\n';
            if (in + 1 < n && data[in + 1] == u'\n')
                ++in;
        } else {
            data[out++] = data[in];
        }
    }
    text.truncate(out);
}

} // namespace Docpipe::Stages
