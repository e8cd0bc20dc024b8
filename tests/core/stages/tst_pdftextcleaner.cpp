// The PDF text rules one by one, on text: dot leaders, words hyphenated at a line end, running
// headers, footers and page numbers.
#include "prosegenerator.h"
#include "stages/parsers/pdftextcleaner.h"

#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Stages;

namespace {

QList<ParsedPage> pagesOf(const QStringList &texts)
{
    QList<ParsedPage> pages;
    for (const QString &text : texts)
        pages.append({int(pages.size()) + 1, text, {}});
    return pages;
}

} // namespace

class tst_PdfTextCleaner final : public QObject
{
    Q_OBJECT
private slots:
    void dotLeaders_data();
    void dotLeaders();
    void hyphenatedWords_data();
    void hyphenatedWords();
    void runningHeadersAndFootersGoToFurniture();
    void linesThatOnlySometimesRepeatStay();
};

void tst_PdfTextCleaner::dotLeaders_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("expected");
    QTest::newRow("spaced leader") << "Introduction . . . . . . . . . 12"
                                   << "Introduction 12";
    QTest::newRow("solid leader") << "2.1 Naming..........................3"
                                  << "2.1 Naming 3";
    QTest::newRow("middle dots") << "Appendix \u00b7\u00b7\u00b7\u00b7\u00b7\u00b7 40"
                                 << "Appendix 40";
    QTest::newRow("ellipsis stays") << "Wait... then go."
                                    << "Wait... then go.";
    QTest::newRow("version numbers stay") << "Upgrade 1.2.3.4 to 1.2.3.5."
                                          << "Upgrade 1.2.3.4 to 1.2.3.5.";
    QTest::newRow("no dots") << "Plain words"
                             << "Plain words";
}

void tst_PdfTextCleaner::dotLeaders()
{
    QFETCH(QString, line);
    QFETCH(QString, expected);
    QCOMPARE(dropDotLeaders(line), expected);
}

void tst_PdfTextCleaner::hyphenatedWords_data()
{
    QTest::addColumn<QStringList>("pages");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("fragments join") << QStringList{QStringLiteral("Encoding and manip-\nulation of data.")}
                                    << QStringList{QStringLiteral("Encoding and manipulation\nof data.")};
    QTest::newRow("last word of the line below") << QStringList{QStringLiteral("the docu-\nment.\nNext line")}
                                                 << QStringList{QStringLiteral("the document.\nNext line")};
    QTest::newRow("the document writes it with a hyphen")
        << QStringList{QStringLiteral("Use the command-line tool."), QStringLiteral("Each command-\nline option")}
        << QStringList{QStringLiteral("Use the command-line tool."), QStringLiteral("Each command-line\noption")};
    QTest::newRow("the document writes it without")
        << QStringList{QStringLiteral("a database is"), QStringLiteral("the data-\nbase holds")}
        << QStringList{QStringLiteral("a database is"), QStringLiteral("the database\nholds")};
    QTest::newRow("two words of their own")
        << QStringList{QStringLiteral("self test and contained parts"), QStringLiteral("a self-\ncontained unit")}
        << QStringList{QStringLiteral("self test and contained parts"), QStringLiteral("a self-contained\nunit")};
    QTest::newRow("a capital keeps the hyphen") << QStringList{QStringLiteral("the Debian-\nInstaller runs")}
                                                << QStringList{QStringLiteral("the Debian-Installer\nruns")};
    QTest::newRow("a paragraph break is not a line end")
        << QStringList{QStringLiteral("a list -\n\nnext")} << QStringList{QStringLiteral("a list -\n\nnext")};
    QTest::newRow("a word broken over a blank line joins") // R's reference manual, page 930
        << QStringList{QStringLiteral("\"psd\" (Adobe Pho-\n\ntoshop), \"bmp\"")}
        << QStringList{QStringLiteral("\"psd\" (Adobe Photoshop),\n\"bmp\"")};
    QTest::newRow("a capital after a blank line is a new paragraph")
        << QStringList{QStringLiteral("ends on a half-\n\nNext paragraph")}
        << QStringList{QStringLiteral("ends on a half-\n\nNext paragraph")};
    QTest::newRow("an option at a line end stays") << QStringList{QStringLiteral("run it with\n--verbose set")}
                                                   << QStringList{QStringLiteral("run it with\n--verbose set")};
}

void tst_PdfTextCleaner::hyphenatedWords()
{
    QFETCH(QStringList, pages);
    QFETCH(QStringList, expected);
    QList<ParsedPage> parsed = pagesOf(pages);
    joinHyphenatedWords(parsed);
    QStringList texts;
    for (const ParsedPage &page : parsed)
        texts << page.text;
    QCOMPARE(texts, expected);
}

void tst_PdfTextCleaner::runningHeadersAndFootersGoToFurniture()
{
    Test::ProseGenerator prose(11);
    QStringList texts;
    QStringList bodies;
    for (int p = 1; p <= 12; ++p) {
        const QString chapter
            = p <= 6 ? QStringLiteral("Chapter 1. Getting started") : QStringLiteral("Chapter 2. Going on");
        bodies << prose.sentence() + u'\n' + prose.sentence() + QStringLiteral("\n\n") + prose.sentence();
        // Odd pages carry the chapter under the book's title, as books set them.
        texts << QStringLiteral("Docpipe Field Guide %1 / 12\n%2\n\n%3\n\n%1")
                     .arg(p)
                     .arg(p % 2 ? chapter : QString(), bodies.last());
    }
    QList<ParsedPage> pages = pagesOf(texts);
    takeRunningHeadersAndFooters(pages);
    for (const ParsedPage &page : pages) {
        QCOMPARE(page.text, bodies[page.number - 1]);
        QVERIFY2(page.furniture.contains(QStringLiteral("Docpipe Field Guide %1 / 12").arg(page.number)),
                 qPrintable(page.furniture.join(u'|')));
        QVERIFY(page.furniture.contains(QString::number(page.number))); // the page number at the foot
    }
    QVERIFY(pages[0].furniture.contains(QStringLiteral("Chapter 1. Getting started")));
    QVERIFY(pages[6].furniture.contains(QStringLiteral("Chapter 2. Going on")));
}

void tst_PdfTextCleaner::linesThatOnlySometimesRepeatStay()
{
    // A heading that opens three chapters far apart is content, not a running head; so is a box
    // title ("Note") near the top of every page.
    Test::ProseGenerator prose(5);
    QStringList texts;
    for (int p = 1; p <= 30; ++p) {
        texts << (p % 10 == 1 ? QStringLiteral("Summary\n") : QString()) + prose.sentence() + QStringLiteral("\nNote\n")
                + prose.sentence() + u'\n' + prose.sentence() + QStringLiteral("\n\n") + prose.sentence();
    }
    QList<ParsedPage> pages = pagesOf(texts);
    const QList<ParsedPage> original = pages;
    takeRunningHeadersAndFooters(pages);
    for (qsizetype i = 0; i < pages.size(); ++i) {
        QCOMPARE(pages[i].text, original[i].text);
        QVERIFY(pages[i].furniture.isEmpty());
    }
}

QTEST_GUILESS_MAIN(tst_PdfTextCleaner)
#include "tst_pdftextcleaner.moc"
