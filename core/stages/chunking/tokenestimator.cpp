// How the estimate is bounded. cl100k_base first splits text into pieces with a regex
//   's|'t|'re|'ve|'m|'ll|'d | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,3} | ?[^\s\p{L}\p{N}]+[\r\n]* | whitespace
// and then byte-pair-encodes each piece on its own, so the total is the sum over pieces. We walk
// the same pieces and charge each one an upper bound:
//  * a contraction ('s, 'll, ...) where a piece starts: 1 (every one is a token).
//  * letters with an optional prefix character: if the piece (with its leading space, if any) is a
//    token itself — cl100kwords.txt lists every cl100k token made of ASCII letters — then 1, which
//    is exact (tiktoken returns a whole-piece token directly). Otherwise the letters are split at
//    lower->upper case changes and each part of m letters costs ceil(m/2)+1 (m for m <= 2): the
//    worst English and code words measured (rare words, names, ALL CAPS, camelCase) stay below
//    this; random letter soup may not. A prefix other than a space costs 1 more (ASCII) or the
//    cost of that character, and then a listed word costs 2, not 1: the prefix may take its
//    first letter. A space before a non-ASCII first letter costs 1.
//  * a non-ASCII character (letter, punctuation or space) costs 1 if it is a token by itself
//    (cl100kchars.txt lists them), else its UTF-8 bytes, a hard bound (a token has >= 1 byte).
//  * digits: ASCII digit runs cost ceil(n/3) (cl100k has all 1-3 digit strings); other numerals
//    their UTF-8 bytes.
//  * punctuation: 1 per ASCII character (all single characters and " x" pairs are tokens); a
//    run of m identical - = _ * # . / costs ceil(m/4) (rules like "-----" are few tokens). A
//    single space in front of punctuation is free (" (" and the like are tokens).
//  * whitespace: each run of one repeated ASCII whitespace character costs ceil(m/8); before
//    anything but whitespace, the run's last character is a piece of its own.
// A per-character cost is not a proof for a whole piece (BPE may merge bytes across characters),
// so all of this is checked against the real tokenizer: zero undercounts on the committed
// tests/data/cl100k/reference.tsv and on ~61k paragraphs of licences, Vim documentation and
// the Vim tutor in 30 languages.
#include "tokenestimator.h"

#include "logging.h"

#include <QByteArray>
#include <QFile>

#include <algorithm>
#include <bitset>
#include <string_view>
#include <unordered_set>

namespace Docpipe::Stages {
namespace {

// The parts of the cl100k_base vocabulary the estimate relies on (see CMakeLists.txt).
class Vocabulary final
{
public:
    Vocabulary()
    {
        QFile words(QStringLiteral(":/docpipe/chunking/cl100kwords.txt"));
        if (words.open(QIODevice::ReadOnly))
            m_blob = words.readAll();
        const std::string_view all(m_blob.constData(), size_t(m_blob.size()));
        m_words.reserve(80000);
        size_t start = 0;
        while (start < all.size()) {
            size_t end = all.find('\n', start);
            if (end == std::string_view::npos)
                end = all.size();
            if (end > start) {
                m_words.insert(all.substr(start, end - start));
                m_maxLength = std::max(m_maxLength, end - start);
            }
            start = end + 1;
        }
        QFile chars(QStringLiteral(":/docpipe/chunking/cl100kchars.txt"));
        if (chars.open(QIODevice::ReadOnly)) {
            for (QChar c : QString::fromUtf8(chars.readAll()).trimmed())
                m_singleTokenChars.set(c.unicode());
        }
        // Without the lists every estimate is still safe, only about three times too high.
        if (m_words.empty() || m_singleTokenChars.none())
            qCWarning(lcStages) << "The token estimator's cl100k word lists are missing; chunks will be small.";
    }

    // ASCII letters (the caller checked), optionally after one space.
    bool containsWord(bool leadingSpace, QStringView letters) const
    {
        const size_t length = size_t(letters.size()) + (leadingSpace ? 1 : 0);
        if (length > m_maxLength)
            return false;
        char buffer[64];
        size_t n = 0;
        if (leadingSpace)
            buffer[n++] = ' ';
        for (QChar c : letters)
            buffer[n++] = char(c.unicode());
        return m_words.find(std::string_view(buffer, n)) != m_words.end();
    }

    bool isSingleToken(char16_t c) const { return m_singleTokenChars.test(c); }

private:
    QByteArray m_blob;
    std::unordered_set<std::string_view> m_words;
    size_t m_maxLength = 0;
    std::bitset<65536> m_singleTokenChars;
};

const Vocabulary &vocabulary()
{
    static const Vocabulary instance;
    return instance;
}

bool isAsciiLetter(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}
bool isAsciiDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}
bool isUpper(char16_t c)
{
    return c >= u'A' && c <= u'Z';
}
bool isLower(char16_t c)
{
    return c >= u'a' && c <= u'z';
}
bool isNewline(char16_t c)
{
    return c == u'\n' || c == u'\r';
}

// UTF-8 bytes of the code unit; a surrogate counts 2 so that a pair counts 4.
int utf8Bytes(char16_t c)
{
    if (c < 0x80)
        return 1;
    if (c < 0x800 || QChar::isSurrogate(c))
        return 2;
    return 3;
}

// Cost of one non-ASCII character (or surrogate) on its own: 1 if it is a token, else its bytes.
int charCost(char16_t c)
{
    return c < 0x80 || vocabulary().isSingleToken(c) ? 1 : utf8Bytes(c);
}

// Letter classification that also sees letters outside the BMP.
bool isLetterAt(QStringView text, qsizetype i)
{
    const char16_t c = text[i].unicode();
    if (c < 0x80)
        return isAsciiLetter(c);
    if (QChar::isHighSurrogate(c) && i + 1 < text.size() && QChar::isLowSurrogate(text[i + 1].unicode()))
        return QChar::isLetter(QChar::surrogateToUcs4(c, text[i + 1].unicode()));
    if (QChar::isLowSurrogate(c) && i > 0 && QChar::isHighSurrogate(text[i - 1].unicode()))
        return QChar::isLetter(QChar::surrogateToUcs4(text[i - 1].unicode(), c));
    return QChar::isLetter(c);
}

bool isNumberAt(QStringView text, qsizetype i)
{
    const char16_t c = text[i].unicode();
    return c < 0x80 ? isAsciiDigit(c) : (!QChar::isSurrogate(c) && QChar::isNumber(c));
}

bool isSpaceAt(QStringView text, qsizetype i)
{
    return text[i].isSpace();
}

int asciiPartCost(qsizetype m)
{
    return m <= 2 ? int(m) : int((m + 1) / 2) + 1;
}

// A run of ASCII letters that is not itself a token: split at lower->upper changes.
int unknownAsciiWordCost(QStringView letters)
{
    int cost = 0;
    qsizetype partStart = 0;
    for (qsizetype i = 1; i <= letters.size(); ++i) {
        if (i == letters.size() || (isLower(letters[i - 1].unicode()) && isUpper(letters[i].unicode()))) {
            cost += asciiPartCost(i - partStart);
            partStart = i;
        }
    }
    return cost;
}

int letterPieceCost(QChar prefix, bool hasPrefix, QStringView letters)
{
    bool ascii = true;
    for (QChar c : letters)
        ascii = ascii && c.unicode() < 0x80;
    const bool spacePrefix = hasPrefix && prefix == u' ';
    const int prefixCost = (hasPrefix && !spacePrefix) ? charCost(prefix.unicode()) : 0;
    if (ascii) {
        if (vocabulary().containsWord(spacePrefix, letters)) {
            // Another prefix can merge with the first letter and split the rest ("\tS|pec|ifies").
            return hasPrefix && !spacePrefix ? prefixCost + std::min(2, unknownAsciiWordCost(letters)) : 1;
        }
        return prefixCost + unknownAsciiWordCost(letters);
    }
    // A space does not merge into a non-ASCII first letter (" ɔ" is " " + bytes).
    int cost = prefixCost + (spacePrefix && letters.front().unicode() >= 0x80 ? 1 : 0);
    qsizetype asciiRun = 0;
    for (QChar c : letters) {
        if (c.unicode() < 0x80) {
            ++asciiRun;
            continue;
        }
        cost += asciiPartCost(asciiRun) + charCost(c.unicode());
        asciiRun = 0;
    }
    return cost + asciiPartCost(asciiRun);
}

// Length of a contraction ('s 't 'm 'd 'll 've 're) at i, or 0.
qsizetype contractionLength(QStringView text, qsizetype i)
{
    if (text[i] != u'\'' || i + 1 >= text.size())
        return 0;
    // Only where a piece starts: after a space or punctuation the apostrophe joins that piece.
    if (i > 0 && !isLetterAt(text, i - 1) && !isNumberAt(text, i - 1) && !isNewline(text[i - 1].unicode()))
        return 0;
    const char16_t a = QChar::toLower(text[i + 1].unicode());
    if (a == u's' || a == u't' || a == u'm' || a == u'd')
        return 2;
    if (i + 2 >= text.size())
        return 0;
    const char16_t b = QChar::toLower(text[i + 2].unicode());
    if ((a == u'l' && b == u'l') || (a == u'v' && b == u'e') || (a == u'r' && b == u'e'))
        return 3;
    return 0;
}

// Long runs of these are few tokens: "----" and "////" are tokens (measured: <= ceil(m/4)).
bool isRuleCharacter(char16_t c)
{
    return c == u'-' || c == u'=' || c == u'_' || c == u'*' || c == u'#' || c == u'.' || c == u'/';
}

// A run of punctuation and symbols (cl100k takes it whole, possessively): adds its cost to
// total and returns where it ends.
qsizetype punctuationRunEnd(QStringView text, qsizetype i, int &total)
{
    qsizetype end = i;
    while (end < text.size() && !isLetterAt(text, end) && !isNumberAt(text, end) && !isSpaceAt(text, end))
        ++end;
    for (qsizetype k = i; k < end;) {
        qsizetype run = k;
        while (run < end && text[run] == text[k])
            ++run;
        const char16_t c = text[k].unicode();
        total += isRuleCharacter(c) ? int((run - k + 3) / 4) : int(run - k) * charCost(c);
        k = run;
    }
    return end;
}

} // namespace

int estimateTokens(QStringView text)
{
    const qsizetype n = text.size();
    int total = 0;
    qsizetype i = 0;
    while (i < n) {
        const char16_t c = text[i].unicode();
        if (const qsizetype len = contractionLength(text, i)) {
            total += 1;
            i += len;
            continue;
        }
        const bool letter = isLetterAt(text, i);
        const bool canPrefix = !letter && !isNewline(c) && !isNumberAt(text, i);
        if (letter || (canPrefix && i + 1 < n && isLetterAt(text, i + 1))) {
            const qsizetype start = letter ? i : i + 1;
            qsizetype end = start;
            while (end < n && isLetterAt(text, end))
                ++end;
            total += letterPieceCost(text[i], !letter, text.mid(start, end - start));
            i = end;
            continue;
        }
        if (isNumberAt(text, i)) {
            qsizetype end = i;
            while (end < n && isNumberAt(text, end))
                ++end;
            bool ascii = true;
            int bytes = 0;
            for (qsizetype k = i; k < end; ++k) {
                ascii = ascii && text[k].unicode() < 0x80;
                bytes += utf8Bytes(text[k].unicode());
            }
            total += ascii ? int((end - i + 2) / 3) : bytes;
            i = end;
            continue;
        }
        if (isSpaceAt(text, i)) {
            qsizetype end = i;
            while (end < n && isSpaceAt(text, end))
                ++end;
            // The last whitespace character before a letter is that word's prefix.
            if (end < n && !isNewline(text[end - 1].unicode()) && isLetterAt(text, end))
                --end;
            // Before anything but whitespace, the run's last character is a piece of its own
            // (cl100k's \s+(?!\S)), except that a space merges into following punctuation.
            qsizetype charged = end;
            if (end < n && end > i && !isSpaceAt(text, end) && !isNewline(text[end - 1].unicode())) {
                --charged;
                if (!(text[end - 1] == u' ' && !isNumberAt(text, end)))
                    total += charCost(text[end - 1].unicode());
            }
            for (qsizetype k = i; k < charged;) {
                qsizetype run = k;
                while (run < charged && text[run] == text[k])
                    ++run;
                total += text[k].unicode() < 0x80 ? int((run - k + 7) / 8) : int(run - k) * charCost(text[k].unicode());
                k = run;
            }
            i = end;
            continue;
        }
        i = punctuationRunEnd(text, i, total);
    }
    return total;
}

} // namespace Docpipe::Stages
