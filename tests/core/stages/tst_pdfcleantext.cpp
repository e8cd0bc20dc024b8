// Clean text from generated PDFs laid out as books are: a table of contents with dot leaders,
// running heads and page numbers, words hyphenated at line ends, two columns, a code listing.
// What parsePdf() returns is compared with what a reader sees and with `pdftotext`'s words.
#include "documentgenerator.h"
#include "pdfgenerator.h"

#include "stages/parsers/pdfparser.h"

#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Stages;
using namespace Docpipe::Test;

namespace {

constexpr int kPages = 5;
const QString kRunningHead = QStringLiteral("Docpipe Field Guide");

QList<PlacedLine> tocPage()
{
    QList<PlacedLine> lines{{56, 90, QStringLiteral("Contents"), 16}};
    const QList<QPair<QString, int>> entries{{QStringLiteral("1 Getting started"), 2},
                                             {QStringLiteral("2 Two columns"), 3},
                                             {QStringLiteral("3 Listings"), 4}};
    double y = 130;
    for (const auto &[title, page] : entries) {
        lines << PlacedLine{56, y, title} << PlacedLine{170, y, QString(QStringLiteral(" .")).repeated(50)}
              << PlacedLine{520, y, QString::number(page)};
        y += 18;
    }
    return lines;
}

QList<PlacedLine> proseLines(double x, double y, const QStringList &texts)
{
    QList<PlacedLine> lines;
    for (const QString &text : texts) {
        lines << PlacedLine{x, y, text};
        y += 13;
    }
    return lines;
}

QList<PlacedLine> hyphenationPage()
{
    return proseLines(56, 90,
                      {QStringLiteral("Docpipe reads each document an operator drops and turns it into chunks"),
                       QStringLiteral("for retrieval. The chunks follow the docu-"),
                       QStringLiteral("ment in reading order, and the command-"),
                       QStringLiteral("line tools show every step. A command-line user sees the same.")});
}

QList<PlacedLine> twoColumnPage()
{
    return proseLines(56, 90,
                      {QStringLiteral("Left column opens the story here,"),
                       QStringLiteral("goes on with a second line,"), QStringLiteral("and ends the left side.")})
        + proseLines(320, 90,
                     {QStringLiteral("Right column takes it over,"), QStringLiteral("adds a line of its own,"),
                      QStringLiteral("and closes the page.")});
}

QList<PlacedLine> listingPage()
{
    QList<PlacedLine> lines = proseLines(56, 90, {QStringLiteral("Listing 1 shows the whole program.")});
    double y = 120;
    for (const QString &code : {QStringLiteral("int main(int argc, char **argv)"), QStringLiteral("{"),
                                QStringLiteral("    QCoreApplication app(argc, argv);"),
                                QStringLiteral("    return app.exec();"), QStringLiteral("}")}) {
        lines << PlacedLine{72, y, code, 9, true};
        y += 11;
    }
    return lines + proseLines(56, y + 20, {QStringLiteral("The listing ends the chapter.")});
}

// Every page carries the book's title at the top and its number at the foot.
QList<QList<PlacedLine>> guidePages()
{
    QList<QList<PlacedLine>> pages{tocPage(), hyphenationPage(), twoColumnPage(), listingPage(),
                                   proseLines(56, 90, {QStringLiteral("An index would follow here.")})};
    for (int i = 0; i < pages.size(); ++i)
        pages[i] << PlacedLine{56, 40, kRunningHead, 9} << PlacedLine{290, 810, QString::number(i + 1), 9};
    return pages;
}

using WordBag = QHash<QString, int>;

WordBag wordsOf(const QString &text)
{
    static const QRegularExpression word(QStringLiteral("[\\p{L}\\p{N}]+(?:-[\\p{L}\\p{N}]+)*"));
    WordBag bag;
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const QStringList parts = it.next().captured().split(u'-');
        for (const QString &part : parts)
            ++bag[part];
        if (parts.size() > 1)
            ++bag[parts.join(QString())]; // pdftotext drops every hyphen at a line end
    }
    return bag;
}

} // namespace

class tst_PdfCleanText final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void tableOfContentsLosesItsLeaders();
    void runningHeadsAndPageNumbersGoToFurniture();
    void hyphenatedWordsAreJoined();
    void twoColumnsReadOneAfterTheOther();
    void codeListingKeepsItsIndentation();
    void noRunsOfSpacesOutsideTheListing();
    void noWordLostAgainstPdftotext();

private:
    QString pageText(int number) const { return m_parsed.pages.at(number - 1).text; }

    QTemporaryDir m_dir;
    QString m_path;
    ParsedDocument m_parsed;
};

void tst_PdfCleanText::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("guide.pdf"));
    QVERIFY(paintPlacedPdf(m_path, guidePages()));
    const auto parsed = parsePdf(readFileBytes(m_path), StageContext{});
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    m_parsed = parsed.value();
    QCOMPARE(m_parsed.pages.size(), kPages);
}

void tst_PdfCleanText::tableOfContentsLosesItsLeaders()
{
    const QString toc = pageText(1);
    QVERIFY2(toc.contains(QLatin1String("1 Getting started 2")), qPrintable(toc));
    QVERIFY2(toc.contains(QLatin1String("2 Two columns 3")), qPrintable(toc));
    QVERIFY2(toc.contains(QLatin1String("3 Listings 4")), qPrintable(toc));
    QVERIFY2(!toc.contains(QLatin1String(". .")), qPrintable(toc));
}

void tst_PdfCleanText::runningHeadsAndPageNumbersGoToFurniture()
{
    for (const ParsedPage &page : std::as_const(m_parsed.pages)) {
        QVERIFY2(!page.text.contains(kRunningHead), qPrintable(page.text));
        QCOMPARE(page.furniture, (QStringList{kRunningHead, QString::number(page.number)}));
        QVERIFY2(!page.text.endsWith(QString::number(page.number)), qPrintable(page.text));
    }
}

void tst_PdfCleanText::hyphenatedWordsAreJoined()
{
    const QString text = pageText(2);
    QVERIFY2(text.contains(QLatin1String("the document")), qPrintable(text));
    // The page writes "command-line" itself, so the word broken there keeps its hyphen.
    QVERIFY2(text.contains(QLatin1String("the command-line")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("-\n")), qPrintable(text));
}

void tst_PdfCleanText::twoColumnsReadOneAfterTheOther()
{
    const QString text = pageText(3);
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(
        lines,
        (QStringList{QStringLiteral("Left column opens the story here,"), QStringLiteral("goes on with a second line,"),
                     QStringLiteral("and ends the left side."), QStringLiteral("Right column takes it over,"),
                     QStringLiteral("adds a line of its own,"), QStringLiteral("and closes the page.")}));
    QVERIFY2(text.contains(QLatin1String("side.\n\nRight")), qPrintable(text)); // a column is a block of its own
}

void tst_PdfCleanText::codeListingKeepsItsIndentation()
{
    const QString text = pageText(4);
    QVERIFY2(text.contains(QLatin1String("int main(int argc, char **argv)\n{\n    QCoreApplication app(argc, argv);\n"
                                         "    return app.exec();\n}")),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("program.\n\nint main")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("}\n\nThe listing")), qPrintable(text));
}

void tst_PdfCleanText::noRunsOfSpacesOutsideTheListing()
{
    for (const ParsedPage &page : std::as_const(m_parsed.pages)) {
        if (page.number == 4)
            continue;
        QVERIFY2(!page.text.contains(QLatin1String("  ")), qPrintable(page.text));
        QVERIFY2(!page.text.contains(u'\t'), qPrintable(page.text));
    }
}

void tst_PdfCleanText::noWordLostAgainstPdftotext()
{
    const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
    QVERIFY2(!pdftotext.isEmpty(), "pdftotext (poppler-utils) is needed, see packaging/install-deps.sh");
    for (const ParsedPage &page : std::as_const(m_parsed.pages)) {
        QProcess process;
        process.start(pdftotext,
                      {QStringLiteral("-f"), QString::number(page.number), QStringLiteral("-l"),
                       QString::number(page.number), QStringLiteral("-enc"), QStringLiteral("UTF-8"), m_path,
                       QStringLiteral("-")});
        QVERIFY(process.waitForFinished(30000));
        const WordBag theirs = wordsOf(QString::fromUtf8(process.readAllStandardOutput()));
        const WordBag ours = wordsOf(page.text + u'\n' + page.furniture.join(u'\n'));
        QVERIFY(!theirs.isEmpty());
        for (auto it = theirs.cbegin(); it != theirs.cend(); ++it)
            QVERIFY2(ours.value(it.key()) >= it.value(),
                     qPrintable(QStringLiteral("page %1 lost '%2'\n%3").arg(page.number).arg(it.key(), page.text)));
    }
}

QTEST_MAIN(tst_PdfCleanText)
#include "tst_pdfcleantext.moc"
