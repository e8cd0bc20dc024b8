#include "pdftextcleaner.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>

namespace Docpipe::Stages {

namespace {

// ---- hyphenation ------------------------------------------------------------------------------

using WordCounts = QHash<QString, int>;

// The length of a word break at `at` ("-\n" before a letter), or 0. A blank line between the
// halves counts too when the lower half goes on in lower case: the layout took a wider line gap for
// a paragraph's end ("Adobe Pho-\n\ntoshop" in R's reference manual), but a paragraph does not end
// in the middle of a word.
qsizetype hyphenBreakLength(QStringView text, qsizetype at)
{
    if (at + 2 >= text.size() || text[at] != u'-' || text[at + 1] != u'\n')
        return 0;
    if (text[at + 2].isLetter())
        return 2;
    if (text[at + 2] == u'\n' && at + 3 < text.size() && text[at + 3].isLower())
        return 3;
    return 0;
}

// The length of a word's break at `at`: a hyphenBreakLength() after a letter, or 0.
qsizetype wordBreakLength(QStringView text, qsizetype at)
{
    return at > 0 && text[at - 1].isLetter() ? hyphenBreakLength(text, at) : 0;
}

// The halves of the word broken at `at` (a hyphenBreakLength() > 0 there): the letters before
// the hyphen and those after the break.
struct BrokenWord
{
    QStringView first;
    QStringView second;
};

BrokenWord brokenWordAt(QStringView text, qsizetype at, qsizetype gap)
{
    qsizetype firstStart = at;
    while (firstStart > 0 && text[firstStart - 1].isLetter())
        --firstStart;
    qsizetype secondEnd = at + gap;
    while (secondEnd < text.size() && text[secondEnd].isLetter())
        ++secondEnd;
    return {text.mid(firstStart, at - firstStart), text.mid(at + gap, secondEnd - at - gap)};
}

QString lowered(QStringView text)
{
    return text.toString().toLower();
}

// The words keepsHyphen() will ask about, each counted 0 so far: for every word broken at a line
// end, its halves and the word with and without its hyphen. Counting only these keeps the count
// of a long manual's words from allocating a string for each.
WordCounts wordsInQuestion(const QList<ParsedPage> &pages)
{
    WordCounts counts;
    for (const ParsedPage &page : pages) {
        const QStringView text(page.text);
        for (qsizetype at = text.indexOf(u"-\n"); at >= 0; at = text.indexOf(u"-\n", at + 2)) {
            const qsizetype gap = wordBreakLength(text, at);
            if (gap == 0)
                continue;
            const auto [first, second] = brokenWordAt(text, at, gap);
            const QString lowFirst = lowered(first);
            const QString lowSecond = lowered(second);
            counts.insert(lowFirst, 0);
            counts.insert(lowSecond, 0);
            counts.insert(lowFirst + lowSecond, 0);
            counts.insert(lowFirst + u'-' + lowSecond, 0);
        }
    }
    return counts;
}

// Counts, of the words already in `counts`, how often the document writes them in running text
// ("command-line" counts as itself and as its parts); the halves of a word broken at a line end
// are not counted, they are the question.
void countWords(QStringView text, WordCounts &counts)
{
    QString key; // reused: one allocation for the page, not one per word
    const auto count = [&counts, &key](QStringView word) {
        key.resize(word.size());
        for (qsizetype c = 0; c < word.size(); ++c)
            key[c] = word[c].toLower();
        if (const auto it = counts.find(key); it != counts.end())
            ++*it;
    };
    bool skipNext = false;
    qsizetype i = 0;
    QList<QStringView> parts;
    while (i < text.size()) {
        if (!text[i].isLetter()) {
            ++i;
            continue;
        }
        const qsizetype start = i;
        qsizetype partStart = i;
        parts.clear();
        while (i < text.size()) {
            if (text[i].isLetter()) {
                ++i;
            } else if (text[i] == u'-' && i + 1 < text.size() && text[i + 1].isLetter()) {
                parts << text.mid(partStart, i - partStart);
                partStart = ++i;
            } else {
                break;
            }
        }
        if (const qsizetype gap = hyphenBreakLength(text, i); gap > 0) {
            skipNext = true;
            i += gap;
            continue;
        }
        if (skipNext) {
            skipNext = false;
            continue;
        }
        count(text.mid(start, i - start));
        if (!parts.isEmpty()) {
            parts << text.mid(partStart, i - partStart);
            for (const QStringView part : std::as_const(parts))
                count(part);
        }
    }
}

bool keepsHyphen(const QString &first, const QString &second, const WordCounts &counts)
{
    if (second.front().isUpper())
        return true; // "Debian-\nInstaller"
    const int withHyphen = counts.value(first.toLower() + u'-' + second.toLower());
    const int without = counts.value((first + second).toLower());
    if (withHyphen > 0 || without > 0)
        return withHyphen > without;
    return first.size() >= 4 && second.size() >= 4 && counts.value(first.toLower()) > 0
        && counts.value(second.toLower()) > 0;
}

QString joinedAcrossLines(const QString &text, const WordCounts &counts)
{
    QString out;
    qsizetype copied = 0;
    for (qsizetype at = text.indexOf(QLatin1String("-\n")); at >= 0; at = text.indexOf(QLatin1String("-\n"), at + 2)) {
        const qsizetype gap = at >= copied ? wordBreakLength(text, at) : 0;
        if (gap == 0)
            continue;
        const auto [first, second] = brokenWordAt(text, at, gap);
        qsizetype tokenEnd = at + gap + second.size(); // "ulation." moves up with its full stop
        while (tokenEnd < text.size() && !text[tokenEnd].isSpace())
            ++tokenEnd;
        out += QStringView(text).mid(copied, at - copied);
        if (keepsHyphen(first.toString(), second.toString(), counts))
            out += u'-';
        out += QStringView(text).mid(at + gap, tokenEnd - at - gap);
        // The rest of the lower line stays a line of its own.
        if (tokenEnd < text.size() && text[tokenEnd] == u' ') {
            out += u'\n';
            copied = tokenEnd + 1;
        } else {
            copied = tokenEnd;
        }
        at = copied - 2;
    }
    if (copied == 0)
        return text;
    out += QStringView(text).mid(copied);
    return out;
}

// ---- running headers and footers ------------------------------------------------------------------

constexpr int kEdgeLines = 3; // lines looked at on each end of a page
constexpr int kMinRepeats = 3;
constexpr double kMinDensity = 0.3; // share of the pages between a line's first and last repeat

// Digits count as one: "Debian Reference 12 / 310" and "... 13 / 310" are the same running line.
QString runningKey(const QString &line)
{
    QString key;
    bool inNumber = false;
    for (const QChar c : line.simplified()) {
        if (c.isDigit()) {
            if (!inNumber)
                key += u'#';
            inNumber = true;
        } else {
            key += c.toLower();
            inNumber = false;
        }
    }
    return key;
}

// A running line names something ("Debian Reference", "Chapter 3. Tools", "Guide #"): a lone
// word like "Note" or "Tip" at the top of many pages is the start of a box, not a heading.
bool canBeRunning(const QString &key)
{
    return std::any_of(key.cbegin(), key.cend(), [](QChar c) { return c.isLetter(); })
        && (key.contains(u' ') || key.contains(u'#'));
}

bool isPageNumber(const QString &line)
{
    static const QRegularExpression pageNumber(
        QStringLiteral("^(?:page\\s+)?(?:\\d{1,5}|[ivxlcdm]{1,7})(?:\\s*(?:/|of)\\s*\\d{1,5})?$"),
        QRegularExpression::CaseInsensitiveOption);
    return pageNumber.match(line.trimmed()).hasMatch();
}

QList<qsizetype> edgeLines(const QStringList &lines)
{
    QList<qsizetype> nonEmpty;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (!lines[i].trimmed().isEmpty())
            nonEmpty << i;
    }
    QList<qsizetype> edges;
    for (qsizetype i = 0; i < nonEmpty.size(); ++i) {
        if (i < kEdgeLines || i >= nonEmpty.size() - kEdgeLines)
            edges << nonEmpty[i];
    }
    return edges;
}

QString withoutLines(const QStringList &lines, const QList<qsizetype> &removed)
{
    QString text;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (removed.contains(i))
            continue;
        if (!text.isEmpty() || !lines[i].trimmed().isEmpty())
            text += lines[i] + u'\n';
    }
    static const QRegularExpression blankRuns(QStringLiteral("\\n{3,}"));
    text.replace(blankRuns, QStringLiteral("\n\n"));
    while (text.endsWith(u'\n'))
        text.chop(1);
    return text;
}

} // namespace

QString dropDotLeaders(const QString &line)
{
    if (line.count(u'.') + line.count(u'\u00B7') + line.count(u'\u2026') < 4)
        return line; // the common case, without a regular expression
    static const QRegularExpression leader(QStringLiteral(
        "\\s*[.\\x{00B7}\\x{2026}\\x{2024}\\x{2027}](?:\\s*[.\\x{00B7}\\x{2026}\\x{2024}\\x{2027}]){3,}\\s*"));
    QString result = line;
    result.replace(leader, QStringLiteral(" "));
    return result == line ? line : result.trimmed();
}

void joinHyphenatedWords(QList<ParsedPage> &pages)
{
    const bool anyBreak = std::any_of(pages.cbegin(), pages.cend(),
                                      [](const ParsedPage &page) { return page.text.contains(QLatin1String("-\n")); });
    if (!anyBreak)
        return;
    WordCounts counts = wordsInQuestion(pages);
    for (const ParsedPage &page : std::as_const(pages))
        countWords(page.text, counts);
    for (ParsedPage &page : pages)
        page.text = joinedAcrossLines(page.text, counts);
}

void takeRunningHeadersAndFooters(QList<ParsedPage> &pages)
{
    QList<QStringList> lines;
    QList<QList<qsizetype>> edges;
    QHash<QString, QList<qsizetype>> pagesWith; // key -> the pages whose edges hold it
    for (qsizetype p = 0; p < pages.size(); ++p) {
        lines << pages[p].text.split(u'\n');
        edges << edgeLines(lines.last());
        for (const qsizetype i : std::as_const(edges.last())) {
            const QString key = runningKey(lines.last()[i]);
            QList<qsizetype> &seen = pagesWith[key];
            if (canBeRunning(key) && (seen.isEmpty() || seen.last() != p))
                seen << p;
        }
    }
    const auto repeats = [&](const QString &key) {
        const QList<qsizetype> seen = pagesWith.value(key);
        return seen.size() >= kMinRepeats && seen.size() >= kMinDensity * double(seen.last() - seen.first() + 1);
    };
    for (qsizetype p = 0; p < pages.size(); ++p) {
        QList<qsizetype> removed;
        for (const qsizetype i : std::as_const(edges[p])) {
            const QString &line = lines[p][i];
            if (isPageNumber(line) || repeats(runningKey(line))) {
                removed << i;
                pages[p].furniture << line.trimmed();
            }
        }
        if (!removed.isEmpty())
            pages[p].text = withoutLines(lines[p], removed);
    }
}

void cleanPdfPages(QList<ParsedPage> &pages)
{
    takeRunningHeadersAndFooters(pages);
    joinHyphenatedWords(pages);
}

} // namespace Docpipe::Stages
