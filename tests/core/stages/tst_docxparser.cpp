// DOCX parsing: paragraphs, headings, tables, page breaks, and the damaged / zip-bomb cases.
#include "documentgenerator.h"

#include "stages/parsers/docxparser.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Stages;
using namespace Docpipe::Test;

namespace {

QString para(const QString &text, const QString &extra = {})
{
    return u"<w:p>" + extra + u"<w:r><w:t>" + text + u"</w:t></w:r></w:p>";
}

} // namespace

class tst_DocxParser final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void structure_data();
    void structure();
    void generatedDocumentRoundTrips();
    void pageLimit();
    void deeplyNestedXml();
    void badDocxGivesSpecificCode_data();
    void badDocxGivesSpecificCode();

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
};

void tst_DocxParser::structure_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QStringList>("pages");
    QTest::newRow("paragraphs") << para(QStringLiteral("One.")) + para(QStringLiteral("Two."))
                                << QStringList{QStringLiteral("One.\nTwo.\n")};
    QTest::newRow("runs join") << QStringLiteral("<w:p><w:r><w:t>Hel</w:t></w:r><w:r><w:t>lo</w:t></w:r></w:p>")
                               << QStringList{QStringLiteral("Hello\n")};
    QTest::newRow("heading style") << para(QStringLiteral("Intro"),
                                           QStringLiteral("<w:pPr><w:pStyle w:val=\"Heading2\"/></w:pPr>"))
                                   << QStringList{QStringLiteral("## Intro\n")};
    QTest::newRow("tab and line break") << QStringLiteral(
        "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>")
                                        << QStringList{QStringLiteral("a\tb\nc\n")};
    QTest::newRow("table")
        << QStringLiteral(
               "<w:tbl><w:tr><w:tc>%1</w:tc><w:tc>%2</w:tc></w:tr><w:tr><w:tc>%3</w:tc><w:tc>%4</w:tc></w:tr></w:tbl>")
               .arg(para(u"A1"_qs), para(u"B1"_qs), para(u"A2"_qs), para(u"B2"_qs))
        << QStringList{QStringLiteral("A1\tB1\nA2\tB2\n")};
    QTest::newRow("page break") << para(QStringLiteral("first"))
            + QStringLiteral("<w:p><w:r><w:br w:type=\"page\"/><w:t>second</w:t></w:r></w:p>")
                                << QStringList{QStringLiteral("first\n"), QStringLiteral("second\n")};
    QTest::newRow("deleted text skipped")
        << QStringLiteral("<w:p><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:r><w:t>kept</w:t></w:r></w:p>")
        << QStringList{QStringLiteral("kept\n")};
    QTest::newRow("entities") << para(QStringLiteral("R&amp;D &lt;3 caf\u00e9"))
                              << QStringList{QStringLiteral("R&D <3 caf\u00e9\n")};
}

void tst_DocxParser::structure()
{
    QFETCH(QString, body);
    QFETCH(QStringList, pages);
    const QString path = writeDocxFromBody(m_dir.path(), QStringLiteral("s%1.docx").arg(++m_counter), body);
    QVERIFY(!path.isEmpty());
    const auto result = parseDocx(readFileBytes(path), StageContext{});
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result.value().type, QStringLiteral("docx"));
    QStringList texts;
    for (const ParsedPage &page : result.value().pages) {
        QCOMPARE(page.number, texts.size() + 1);
        texts << page.text;
    }
    QCOMPARE(texts, pages);
}

void tst_DocxParser::generatedDocumentRoundTrips()
{
    const GeneratedDocument doc = writeDocx(m_dir.path(), QStringLiteral("gen.docx"), 3, 17);
    const auto result = parseDocx(readFileBytes(doc.path), StageContext{});
    QVERIFY(result.ok());
    QCOMPARE(result.value().pages.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(result.value().pages[i].text.trimmed(), doc.pageTexts[i]);
}

void tst_DocxParser::pageLimit()
{
    const QString pageBreak = QStringLiteral("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    const QString path = writeDocxFromBody(m_dir.path(), QStringLiteral("pages.docx"), pageBreak.repeated(4));
    ParserLimits limits;
    limits.maxPages = 5;
    QVERIFY(parseDocx(readFileBytes(path), StageContext{}, limits).ok());
    limits.maxPages = 4;
    const auto result = parseDocx(readFileBytes(path), StageContext{}, limits);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("too_many_pages"));
}

void tst_DocxParser::deeplyNestedXml()
{
    // QXmlStreamReader keeps its element stack on the heap: deep nesting neither recurses nor crashes.
    const int depth = 200000;
    const QString body = QStringLiteral("<w:sdt>").repeated(depth) + para(QStringLiteral("deep"))
        + QStringLiteral("</w:sdt>").repeated(depth);
    const auto result
        = parseDocx(readFileBytes(writeDocxFromBody(m_dir.path(), QStringLiteral("deep.docx"), body)), StageContext{});
    QVERIFY(result.ok());
    QCOMPARE(result.value().pages.first().text, QStringLiteral("deep\n"));
}

void tst_DocxParser::badDocxGivesSpecificCode_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("code");
    const QString d = m_dir.path();
    QTest::newRow("empty") << writeEmptyFile(d, QStringLiteral("e.docx")) << "empty_file";
    QTest::newRow("truncated zip") << writeCorruptDocx(d, QStringLiteral("c.docx")) << "corrupt_docx";
    QTest::newRow("bad xml") << writeDocxFromBody(d, QStringLiteral("x.docx"), QStringLiteral("<w:p><w:r>"))
                             << "corrupt_docx";
    QTest::newRow("zip bomb, honest header") << writeZipBombDocx(d, QStringLiteral("b1.docx")) << "docx_too_large";
    // minizip never inflates past the declared size, so a lying header ends in a CRC mismatch.
    QTest::newRow("zip bomb, lying header")
        << writeZipBombDocx(d, QStringLiteral("b2.docx"), 300LL << 20, false) << "corrupt_docx";
}

void tst_DocxParser::badDocxGivesSpecificCode()
{
    QFETCH(QString, path);
    QFETCH(QString, code);
    QVERIFY(!path.isEmpty());
    const QByteArray bytes = readFileBytes(path);
    QVERIFY(bytes.size() < 1024 * 1024);
    const auto result = parseDocx(bytes, StageContext{});
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, code);
    QVERIFY(!result.error().isTransient());
    QVERIFY(!result.error().message.isEmpty());
}

QTEST_GUILESS_MAIN(tst_DocxParser)
#include "tst_docxparser.moc"
