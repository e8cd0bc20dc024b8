// HTML to text: dropped elements, entities, blocks, headings, and hostile nesting.
#include "documentgenerator.h"

#include "stages/parsers/htmlparser.h"
#include "stages/parsers/htmltags.h"

#include <QFile>
#include <QStringDecoder>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Stages;
using namespace Docpipe::Test;

class tst_HtmlParser final : public QObject
{
    Q_OBJECT
private slots:
    void everyKnownTagIsFound();
    void toText_data();
    void toText();
    void generatedDocument();
    void nestedMillionDeep();
    void declaredCharsetIsHonoured();
    void declaredCharsetViaIcu();
};

void tst_HtmlParser::everyKnownTagIsFound()
{
    // Also proves the lookup table is sorted: a misplaced name would not be found.
    const QStringList known
        = QStringLiteral(
              "address article aside blockquote body br caption dd details div dl dt fieldset figcaption figure "
              "footer form header hr legend li main nav noscript ol option p pre script section style summary "
              "table tbody td template tfoot th thead title tr ul")
              .split(u' ');
    for (const QString &name : known) {
        QVERIFY2(classifyHtmlTag(name).kind != HtmlTagKind::Inline, qPrintable(name));
        QVERIFY2(classifyHtmlTag(name.toUpper()).kind != HtmlTagKind::Inline, qPrintable(name));
    }
    QCOMPARE(classifyHtmlTag(u"H4").headingLevel, 4);
    QCOMPARE(classifyHtmlTag(u"h7").kind, HtmlTagKind::Inline);
    QCOMPARE(classifyHtmlTag(u"span").kind, HtmlTagKind::Inline);
    QCOMPARE(classifyHtmlTag(u"scïpt").kind, HtmlTagKind::Inline);
}

void tst_HtmlParser::toText_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << "Hello   <b>bold</b>\n world"
                           << "Hello bold world";
    QTest::newRow("script dropped") << "a<script>if (1 < 2) alert('x')</script>b"
                                    << "ab";
    QTest::newRow("script case") << "a<SCRIPT type=x>var s = '</p>';</ScRiPt>b"
                                 << "ab";
    QTest::newRow("style noscript template") << "<style>p{}</style><noscript>n</noscript><template><p>t</p></template>x"
                                             << "x";
    QTest::newRow("unclosed script") << "a<script>never closed <p>b"
                                     << "a";
    QTest::newRow("entities") << "&amp;&lt;&gt;&quot;&#39;&#x20AC;&eacute;&nbsp;x"
                              << "&<>\"'\u20ac\u00e9 x";
    QTest::newRow("bad numeric entity") << "&#0;&#xD800;&#x110000;"
                                        << "\ufffd\ufffd\ufffd";
    QTest::newRow("unknown entity kept") << "AT&T &bogus; & so"
                                         << "AT&T &bogus; & so";
    // The whole HTML5 table, not a hand-picked few: maths, arrows, Greek, two-code-point names.
    QTest::newRow("html5 names") << "5 &minus; 3 &rarr; &alpha;&Omega; &CounterClockwiseContourIntegral; &fjlig;"
                                 << "5 \u2212 3 \u2192 \u03b1\u03a9 \u2233 fj";
    QTest::newRow("two code points") << "&NotEqualTilde;"
                                     << "\u2242\u0338";
    // In text, HTML5 decodes its legacy names without ';', taking the longest that matches.
    QTest::newRow("legacy without semicolon") << "&copy2026 &eacuteclair &amp so"
                                              << "\u00a92026 \u00e9clair & so";
    QTest::newRow("longest legacy prefix") << "&notit; &notin;"
                                           << "\u00acit; \u2209";
    QTest::newRow("names needing semicolon") << "&alpha &minus &rarr x"
                                             << "&alpha &minus &rarr x";
    QTest::newRow("paragraphs") << "<p>one</p><p>two</p>"
                                << "one\n\ntwo";
    QTest::newRow("br and div") << "a<br>b<div>c</div>d"
                                << "a\nb\nc\nd";
    QTest::newRow("headings") << "<h1>Title</h1><p>x</p><h3>Sub  part</h3>y"
                              << "# Title\n\nx\n\n### Sub part\n\ny";
    QTest::newRow("list") << "<ul><li>one</li><li>two</li></ul>"
                          << "- one\n- two";
    QTest::newRow("table") << "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>"
                           << "a\tb\nc\td";
    QTest::newRow("pre keeps spaces") << "<pre>a  b\n  c</pre>d"
                                      << "a  b\n  c\nd";
    QTest::newRow("comment") << "a<!-- <p>hidden</p> -->b"
                             << "ab";
    QTest::newRow("doctype") << "<!DOCTYPE html><html>x</html>"
                             << "x";
    QTest::newRow("attribute with >") << "<a title=\"1 > 0\" href='x'>link</a>"
                                      << "link";
    QTest::newRow("stray apostrophe in tag") << "<a href=x'y>one</a> two <b class='c'>three</b>"
                                             << "one two three";
    QTest::newRow("spaced attribute quote") << "<a title = \"x > y\">z</a>"
                                            << "z";
    QTest::newRow("lone less-than") << "1 < 2 and 3 <= 4"
                                    << "1 < 2 and 3 <= 4";
    QTest::newRow("unterminated tag") << "text <div class=\"x"
                                      << "text";
}

void tst_HtmlParser::toText()
{
    QFETCH(QString, html);
    QFETCH(QString, text);
    QCOMPARE(htmlToText(html), text);
}

void tst_HtmlParser::generatedDocument()
{
    QTemporaryDir dir;
    const GeneratedDocument doc = writeHtml(dir.path(), QStringLiteral("g.html"), 5);
    QFile file(doc.path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto result = parseHtml(file.readAll(), StageContext{});
    QVERIFY(result.ok());
    QCOMPARE(result.value().type, QStringLiteral("html"));
    QCOMPARE(result.value().pages.size(), 1);
    const QString text = result.value().pages.first().text;
    for (const QString &line : doc.pageTexts.first().split(u'\n'))
        QVERIFY2(text.contains(line), qPrintable(line));
    QVERIFY(!text.contains(QStringLiteral("SCRIPT")));
    QVERIFY(!text.contains(QStringLiteral("STYLE")));
    QVERIFY(!text.contains(QStringLiteral("NOSCRIPT")));
}

void tst_HtmlParser::nestedMillionDeep()
{
    QTemporaryDir dir;
    QFile file(writeNestedHtml(dir.path(), QStringLiteral("n.html")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto result = parseHtml(file.readAll(), StageContext{});
    QVERIFY(result.ok());
    QCOMPARE(result.value().pages.first().text, QStringLiteral("Deep inside the nesting."));
}

void tst_HtmlParser::declaredCharsetIsHonoured()
{
    const QByteArray bytes = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
                             "</head><body>caf\xe9</body></html>";
    const auto result = parseHtml(bytes, StageContext{});
    QVERIFY(result.ok());
    QCOMPARE(result.value().pages.first().text, QStringLiteral("caf\u00e9"));

    // Latin-1 labels mean Windows-1252, and mislabelled UTF-8 is still read as UTF-8.
    const auto quotes = parseHtml("<meta charset=latin1><p>\x93q\x94</p>", StageContext{});
    QCOMPARE(quotes.value().pages.first().text, QStringLiteral("\u201cq\u201d"));
    const auto mislabelled = parseHtml("<meta charset=iso-8859-1><p>caf\xc3\xa9</p>", StageContext{});
    QCOMPARE(mislabelled.value().pages.first().text, QStringLiteral("caf\u00e9"));
}

void tst_HtmlParser::declaredCharsetViaIcu()
{
    // "\x82\xa0" is HIRAGANA LETTER A in Shift_JIS.
    const QByteArray bytes = "<html><head><meta charset=\"Shift_JIS\"></head><body>\x82\xa0</body></html>";
    const auto result = parseHtml(bytes, StageContext{});
    QVERIFY(result.ok());
    if (!QStringDecoder("Shift_JIS").isValid())
        QSKIP("this Qt has no ICU converters");
    QCOMPARE(result.value().pages.first().text, QStringLiteral("\u3042"));
    QVERIFY(result.value().warnings.isEmpty());
}

QTEST_GUILESS_MAIN(tst_HtmlParser)
#include "tst_htmlparser.moc"
