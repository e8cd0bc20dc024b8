// The pre-tokenizer walks tiktoken's cl100k_base pattern by hand, alternative by alternative:
//   '(?i:[sdmt]|ll|ve|re) | [^\r\n\p{L}\p{N}]?+\p{L}+ | \p{N}{1,3} | ?[^\s\p{L}\p{N}]++[\r\n]*
//   | \s++$ | \s*[\r\n] | \s+(?!\S) | \s
// (a regex engine would cost an allocation per piece; tst_cl100ktokenizer checks this walk
// against QRegularExpression running the pattern itself). Each piece's UTF-8 bytes then go
// through the byte-pair merge, so a text's count is the sum over its pieces.
#include "cl100ktokenizer.h"

#include "cl100kranks.h"
#include "tokenestimator.h"

#include <array>
#include <limits>
#include <string>

namespace Docpipe::Stages {
namespace {

using Cl100kDetail::RankTable;

enum class Kind : unsigned char { Letter, Number, Newline, Space, Other };

constexpr Kind asciiKind(char32_t c)
{
    if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'))
        return Kind::Letter;
    if (c >= U'0' && c <= U'9')
        return Kind::Number;
    if (c == U'\n' || c == U'\r')
        return Kind::Newline;
    if (c == U' ' || (c >= U'\t' && c <= U'\f'))
        return Kind::Space;
    return Kind::Other;
}

constexpr auto kAsciiKinds = [] {
    std::array<Kind, 128> kinds{};
    for (char32_t c = 0; c < 128; ++c)
        kinds[c] = asciiKind(c);
    return kinds;
}();

Kind kindOf(char32_t c)
{
    if (c < 0x80)
        return kAsciiKinds[c];
    if (QChar::isLetter(c))
        return Kind::Letter;
    if (QChar::isNumber(c))
        return Kind::Number;
    if (QChar::isSpace(c))
        return Kind::Space;
    return Kind::Other; // including a lone surrogate
}

class Walker final
{
public:
    explicit Walker(QStringView text)
        : m_text(text)
        , m_n(text.size())
    { }

    // Where the piece starting at i ends.
    qsizetype pieceEnd(qsizetype i) const
    {
        const char16_t c = m_text[i].unicode();
        if (c == u'\'' && i + 1 < m_n) {
            const char16_t a = lowerAscii(m_text[i + 1].unicode());
            if (a == u's' || a == u'd' || a == u'm' || a == u't')
                return i + 2;
            if (i + 2 < m_n) {
                const char16_t b = lowerAscii(m_text[i + 2].unicode());
                if ((a == u'l' && b == u'l') || (a == u'v' && b == u'e') || (a == u'r' && b == u'e'))
                    return i + 3;
            }
        }
        const Kind kind = kindAt(i);
        const qsizetype afterFirst = i + width(i);
        if (kind == Kind::Letter)
            return runEnd(afterFirst, Kind::Letter);
        if (kind != Kind::Newline && kind != Kind::Number && afterFirst < m_n && kindAt(afterFirst) == Kind::Letter)
            return runEnd(afterFirst, Kind::Letter);
        if (kind == Kind::Number) {
            qsizetype end = afterFirst;
            for (int taken = 1; taken < 3 && end < m_n && kindAt(end) == Kind::Number; ++taken)
                end += width(end);
            return end;
        }
        const qsizetype symbols = c == u' ' ? afterFirst : i;
        if (symbols < m_n && kindAt(symbols) == Kind::Other) {
            qsizetype end = runEnd(symbols, Kind::Other);
            while (end < m_n && (m_text[end] == u'\n' || m_text[end] == u'\r'))
                ++end;
            return end;
        }
        // Whitespace (all of it in the BMP, so one code unit per character).
        qsizetype end = i;
        qsizetype lastNewline = -1;
        while (end < m_n && isSpaceKind(kindAt(end))) {
            if (m_text[end] == u'\n' || m_text[end] == u'\r')
                lastNewline = end;
            ++end;
        }
        if (end == m_n)
            return end; // \s++$
        if (lastNewline >= 0)
            return lastNewline + 1; // \s*[\r\n]
        return end - i >= 2 ? end - 1 : end; // \s+(?!\S), else \s
    }

private:
    // Case folding as the pattern's (?i) does it for these letters: U+017F (long s) folds to s.
    static char16_t lowerAscii(char16_t c)
    {
        return c >= u'A' && c <= u'Z' ? char16_t(c + 32) : c == u'\u017f' ? u's' : c;
    }
    static bool isSpaceKind(Kind k) { return k == Kind::Space || k == Kind::Newline; }

    bool isPairAt(qsizetype i) const
    {
        return QChar::isHighSurrogate(m_text[i].unicode()) && i + 1 < m_n
            && QChar::isLowSurrogate(m_text[i + 1].unicode());
    }
    qsizetype width(qsizetype i) const { return isPairAt(i) ? 2 : 1; }
    Kind kindAt(qsizetype i) const
    {
        const char16_t c = m_text[i].unicode();
        if (c < 0x80 || !QChar::isSurrogate(c))
            return kindOf(c);
        return isPairAt(i) ? kindOf(QChar::surrogateToUcs4(c, m_text[i + 1].unicode())) : Kind::Other;
    }
    qsizetype runEnd(qsizetype i, Kind kind) const
    {
        while (i < m_n && kindAt(i) == kind)
            i += width(i);
        return i;
    }

    QStringView m_text;
    qsizetype m_n;
};

// UTF-8 of text into out; a lone surrogate (invalid UTF-16) becomes U+FFFD.
void toUtf8(QStringView text, std::string &out)
{
    out.clear();
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        char32_t c = text[i].unicode();
        if (c < 0x80) {
            out.push_back(char(c));
            continue;
        }
        if (QChar::isSurrogate(c)) {
            if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(text[i + 1].unicode()))
                c = QChar::surrogateToUcs4(char16_t(c), text[++i].unicode());
            else
                c = 0xfffd;
        }
        if (c < 0x800) {
            out.push_back(char(0xc0 | (c >> 6)));
        } else if (c < 0x10000) {
            out.push_back(char(0xe0 | (c >> 12)));
            out.push_back(char(0x80 | ((c >> 6) & 0x3f)));
        } else {
            out.push_back(char(0xf0 | (c >> 18)));
            out.push_back(char(0x80 | ((c >> 12) & 0x3f)));
            out.push_back(char(0x80 | ((c >> 6) & 0x3f)));
        }
        out.push_back(char(0x80 | (c & 0x3f)));
    }
}

// Calls onPiece(bytes) for each piece, in order, until it returns false.
template <typename PieceFunction>
void forEachPiece(QStringView text, PieceFunction &&onPiece)
{
    const Walker walker(text);
    std::string bytes;
    char ascii[64];
    for (qsizetype i = 0; i < text.size();) {
        const qsizetype end = walker.pieceEnd(i);
        // Most pieces are a short ASCII word: copied without the general UTF-8 path.
        qsizetype k = i;
        for (; k < end && k - i < qsizetype(sizeof(ascii)) && text[k].unicode() < 0x80; ++k)
            ascii[k - i] = char(text[k].unicode());
        std::string_view piece;
        if (k == end) {
            piece = std::string_view(ascii, std::size_t(end - i));
        } else {
            toUtf8(text.mid(i, end - i), bytes);
            piece = bytes;
        }
        if (!onPiece(piece))
            return;
        i = end;
    }
}

} // namespace

int countCl100kTokens(QStringView text)
{
    return countCl100kTokens(text, std::numeric_limits<int>::max());
}

int countCl100kTokens(QStringView text, int limit)
{
    const RankTable &table = RankTable::instance();
    if (table.isEmpty())
        return estimateTokens(text);
    qint64 total = 0;
    forEachPiece(text, [&](std::string_view piece) {
        const qint64 atLeast = qint64(piece.size() / table.longestToken());
        total += total + atLeast > limit ? atLeast : table.countPiece(piece);
        return total <= limit;
    });
    return int(std::min<qint64>(total, std::numeric_limits<int>::max()));
}

std::vector<std::uint32_t> encodeCl100k(QStringView text)
{
    const RankTable &table = RankTable::instance();
    std::vector<std::uint32_t> tokens;
    forEachPiece(text, [&](std::string_view piece) {
        table.encodePiece(piece, tokens);
        return true;
    });
    return tokens;
}

std::vector<qsizetype> cl100kPieceEnds(QStringView text)
{
    const Walker walker(text);
    std::vector<qsizetype> ends;
    for (qsizetype i = 0; i < text.size(); i = ends.back())
        ends.push_back(walker.pieceEnd(i));
    return ends;
}

} // namespace Docpipe::Stages
