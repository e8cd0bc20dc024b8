// How clean the PDF text is that Docpipe chunks, on real PDFs: the share of chunk characters in
// runs of four or more spaces and in dot leaders, before (poppler's physical layout, as Docpipe
// read pages until now) and now (reading order, cleaned); parse throughput of both; and the words
// `pdftotext` (without -layout) finds on the same pages that the clean text lacks. Not a ctest test.
//
//   bench_pdftext [DIR]      (or DOCPIPE_BENCH_PDFS=DIR; without either it says so and stops)
//
// For example the PDFs of Debian's documentation packages (debian-reference-en,
// developers-reference, maint-guide, r-doc-pdf) under /usr/share/doc.
#include "documentgenerator.h"
#include "stages/chunking/chunker.h"
#include "stages/parsers/pdfparser.h"

#include <poppler-qt6.h>

#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace Docpipe;

namespace {

struct Tally
{
    qint64 chars = 0;
    qint64 padding = 0; // characters in runs of 4+ spaces
    qint64 leaders = 0; // characters in dot leaders
    qint64 pages = 0;
    qint64 ms = 0;
    double cpuMs = 0; // this thread's CPU time: steadier than wall time on a shared machine

    void add(const Tally &other)
    {
        chars += other.chars;
        padding += other.padding;
        leaders += other.leaders;
        pages += other.pages;
        ms += other.ms;
        cpuMs += other.cpuMs;
    }
    double share(qint64 part) const { return chars > 0 ? 100.0 * double(part) / double(chars) : 0; }
    double pagesPerSecond() const { return ms > 0 ? 1000.0 * double(pages) / double(ms) : 0; }
    double pagesPerCpuSecond() const { return cpuMs > 0 ? 1000.0 * double(pages) / cpuMs : 0; }
};

double threadCpuMs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1000.0 + double(now.tv_nsec) / 1e6;
}

// Wall and CPU time of one parse, added to `tally`.
class Stopwatch
{
public:
    explicit Stopwatch(Tally &tally)
        : m_tally(tally)
        , m_cpuStart(threadCpuMs())
    {
        m_timer.start();
    }
    ~Stopwatch()
    {
        m_tally.ms += m_timer.elapsed();
        m_tally.cpuMs += threadCpuMs() - m_cpuStart;
    }
    Q_DISABLE_COPY_MOVE(Stopwatch)

private:
    Tally &m_tally;
    QElapsedTimer m_timer;
    double m_cpuStart;
};

void measureChunks(const QList<ParsedPage> &pages, Tally &tally)
{
    static const QRegularExpression spaces(QStringLiteral(" {4,}"));
    static const QRegularExpression leader(QStringLiteral("[.\\x{00B7}\\x{2026}](?:\\s*[.\\x{00B7}\\x{2026}]){3,}"));
    for (const Chunk &chunk : Stages::chunkDocument(pages, ChunkingConfig{})) {
        tally.chars += chunk.text.size();
        for (auto it = spaces.globalMatch(chunk.text); it.hasNext();)
            tally.padding += it.next().capturedLength();
        for (auto it = leader.globalMatch(chunk.text); it.hasNext();)
            tally.leaders += it.next().capturedLength();
    }
}

// The pages as Docpipe read them before: poppler's physical layout, nothing else.
QList<ParsedPage> physicalLayoutPages(const QByteArray &bytes, Tally &tally)
{
    QList<ParsedPage> pages;
    {
        const Stopwatch stopwatch(tally);
        if (const auto doc = Poppler::Document::loadFromData(bytes)) {
            for (int i = 0; i < doc->numPages(); ++i) {
                if (const auto page = doc->page(i))
                    pages.append({i + 1, page->text(QRectF()), {}});
            }
        }
    }
    tally.pages += pages.size();
    return pages;
}

QList<ParsedPage> cleanPages(const QByteArray &bytes, Tally &tally)
{
    const auto parsed = [&] {
        const Stopwatch stopwatch(tally);
        return Stages::parsePdf(bytes, StageContext{}, Stages::ParserLimits{});
    }();
    if (!parsed)
        return {};
    tally.pages += parsed.value().pages.size();
    return parsed.value().pages;
}

using WordBag = QHash<QString, int>;

// pdftotext joins every hyphenated line end, also a real hyphen's ("--show-leak-" + "kinds" gives
// "leakkinds"): with `allJoins`, a compound also counts as each run of its parts glued together,
// so that such a join is not taken for a word our text lost.
void addWords(const QString &text, WordBag &bag, bool allJoins = false)
{
    static const QRegularExpression word(QStringLiteral("[\\p{L}\\p{N}]+(?:-[\\p{L}\\p{N}]+)*"));
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const QString found = it.next().captured().toLower();
        const QStringList parts = found.split(u'-');
        for (const QString &part : parts)
            ++bag[part];
        if (parts.size() > 1 && !allJoins)
            ++bag[parts.join(QString())];
        for (qsizetype first = 0; allJoins && first < parts.size(); ++first) {
            QString glued = parts.at(first);
            for (qsizetype last = first + 1; last < parts.size(); ++last)
                ++bag[glued += parts.at(last)];
        }
    }
}

// Words of pdftotext's reading-order text missing from ours (body and furniture), and its total.
QPair<qint64, qint64> wordsLost(const QString &path, const QList<ParsedPage> &pages)
{
    QProcess pdftotext;
    pdftotext.start(QStringLiteral("pdftotext"),
                    {QStringLiteral("-enc"), QStringLiteral("UTF-8"), path, QStringLiteral("-")});
    if (!pdftotext.waitForFinished(300000) || pdftotext.exitCode() != 0)
        return {-1, -1};
    WordBag theirs;
    addWords(QString::fromUtf8(pdftotext.readAllStandardOutput()), theirs);
    WordBag ours;
    for (const ParsedPage &page : pages)
        addWords(page.text + u'\n' + page.furniture.join(u'\n'), ours, true);
    qint64 lost = 0;
    qint64 total = 0;
    for (auto it = theirs.cbegin(); it != theirs.cend(); ++it) {
        total += it.value();
        const int missing = std::max(0, it.value() - ours.value(it.key()));
        lost += missing;
        if (missing > 0 && qEnvironmentVariableIsSet("DOCPIPE_BENCH_SHOW_LOST")) // what the cleaner lost, to look at
            std::fprintf(stderr, "lost %dx %s\n", missing, qPrintable(it.key()));
    }
    return {lost, total};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString dir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : qEnvironmentVariable("DOCPIPE_BENCH_PDFS");
    if (dir.isEmpty() || !QFileInfo(dir).isDir()) {
        std::printf("bench_pdftext: SKIPPED: no folder of real PDFs (give one as the argument or in "
                    "DOCPIPE_BENCH_PDFS)\n");
        return 0;
    }
    QStringList pdfs;
    QDirIterator files(dir, {QStringLiteral("*.pdf")}, QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext())
        pdfs << files.next();
    pdfs.sort();

    Tally before;
    Tally now;
    qint64 lost = 0;
    qint64 words = 0;
    std::printf("%-34s %6s  %17s  %17s  %13s\n", "document", "pages", "4+ spaces b/n %", "leaders b/n %", "words lost");
    for (const QString &path : pdfs) {
        const QByteArray bytes = Test::readFileBytes(path);
        Tally oneBefore;
        Tally oneNow;
        measureChunks(physicalLayoutPages(bytes, oneBefore), oneBefore);
        const QList<ParsedPage> pages = cleanPages(bytes, oneNow);
        measureChunks(pages, oneNow);
        const auto [docLost, docWords] = wordsLost(path, pages);
        std::printf("%-34s %6lld  %7.1f -> %6.2f  %7.1f -> %6.2f  %6lld/%lld\n",
                    qPrintable(QFileInfo(path).fileName().left(34)), oneNow.pages, oneBefore.share(oneBefore.padding),
                    oneNow.share(oneNow.padding), oneBefore.share(oneBefore.leaders), oneNow.share(oneNow.leaders),
                    docLost, docWords);
        before.add(oneBefore);
        now.add(oneNow);
        lost += std::max<qint64>(0, docLost);
        words += std::max<qint64>(0, docWords);
    }
    std::printf("\n%lld PDFs, %lld pages, %lld chunk characters now (%lld before)\n", qint64(pdfs.size()), now.pages,
                now.chars, before.chars);
    std::printf("runs of 4+ spaces: %.2f%% before, %.2f%% now (target < 3%%)\n", before.share(before.padding),
                now.share(now.padding));
    std::printf("dot leaders:       %.2f%% before, %.2f%% now\n", before.share(before.leaders), now.share(now.leaders));
    std::printf("parse throughput:  %.0f pages/s before, %.0f pages/s now (%+.1f%%)\n", before.pagesPerSecond(),
                now.pagesPerSecond(), 100.0 * (now.pagesPerSecond() / std::max(1.0, before.pagesPerSecond()) - 1.0));
    std::printf("per CPU second:    %.0f pages before, %.0f pages now (%+.1f%%)\n", before.pagesPerCpuSecond(),
                now.pagesPerCpuSecond(),
                100.0 * (now.pagesPerCpuSecond() / std::max(1.0, before.pagesPerCpuSecond()) - 1.0));
    std::printf("words lost vs pdftotext: %lld of %lld (%.3f%%)\n", lost, words,
                words > 0 ? 100.0 * double(lost) / double(words) : 0.0);
    return 0;
}
