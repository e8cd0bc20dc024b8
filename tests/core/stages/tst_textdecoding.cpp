// Encoding detection for text-like documents and the text/Markdown parsers built on it.
#include "documentgenerator.h"

#include "stages/parsers/plaintextparser.h"
#include "stages/parsers/textdecoding.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Stages;
using namespace Docpipe::Test;

class tst_TextDecoding final : public QObject
{
    Q_OBJECT
private slots:
    void decode_data();
    void decode();
    void lineEndings_data();
    void lineEndings();
    void generatedTextFiles_data();
    void generatedTextFiles();
    void markdownKeepsSource();
    void invalidUtf8FileWarns();
    void emptyFile();
};

void tst_TextDecoding::decode_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<bool>("warns");
    QTest::newRow("ascii") << QByteArray("plain") << "plain"
                           << "UTF-8" << false;
    QTest::newRow("utf-8") << QByteArray("caf\xc3\xa9 \xe2\x82\xac") << "caf\u00e9 \u20ac"
                           << "UTF-8" << false;
    QTest::newRow("utf-8 bom stripped") << QByteArray("\xef\xbb\xbfhi") << "hi"
                                        << "UTF-8" << false;
    QTest::newRow("utf-16le bom") << QByteArray("\xff\xfeh\0i\0", 6) << "hi"
                                  << "UTF-16LE" << false;
    QTest::newRow("utf-16be bom") << QByteArray("\xfe\xff\0h\0i", 6) << "hi"
                                  << "UTF-16BE" << false;
    QTest::newRow("windows-1252") << QByteArray("\x93quoted\x94 caf\xe9 \x80") << "\u201cquoted\u201d caf\u00e9 \u20ac"
                                  << "Windows-1252" << true;
    QTest::newRow("mostly utf-8, one bad byte") << QByteArray("\xc3\xa9t\xc3\xa9 \xff ok") << "\u00e9t\u00e9 \ufffd ok"
                                                << "UTF-8" << true;
    QTest::newRow("overlong is invalid") << QByteArray("\xc0\xaf") << "\u00c0\u00af"
                                         << "Windows-1252" << true;
    QTest::newRow("surrogate is invalid") << QByteArray("\xed\xa0\x80") << "\u00ed\u00a0\u20ac"
                                          << "Windows-1252" << true;
}

void tst_TextDecoding::decode()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, text);
    QFETCH(QString, encoding);
    QFETCH(bool, warns);
    const DecodedText decoded = decodeText(bytes);
    QCOMPARE(decoded.text, text);
    QCOMPARE(decoded.encoding, encoding);
    QCOMPARE(!decoded.warnings.isEmpty(), warns);
}

void tst_TextDecoding::lineEndings_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("none") << "a\nb"
                          << "a\nb";
    QTest::newRow("crlf") << "a\r\nb\r\n"
                          << "a\nb\n";
    QTest::newRow("lone cr") << "a\rb\r"
                             << "a\nb\n";
    QTest::newRow("mixed") << "a\r\n\rb\n\r\n"
                           << "a\n\nb\n\n";
}

void tst_TextDecoding::lineEndings()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    normalizeLineEndings(in);
    QCOMPARE(in, out);
}

void tst_TextDecoding::generatedTextFiles_data()
{
    QTest::addColumn<TextEncoding>("encoding");
    QTest::addColumn<bool>("warns");
    QTest::newRow("utf-8") << TextEncoding::Utf8 << false;
    QTest::newRow("utf-8 bom") << TextEncoding::Utf8Bom << false;
    QTest::newRow("latin-1") << TextEncoding::Latin1 << true;
    QTest::newRow("utf-16le") << TextEncoding::Utf16LE << false;
    QTest::newRow("utf-16be") << TextEncoding::Utf16BE << false;
}

void tst_TextDecoding::generatedTextFiles()
{
    QFETCH(TextEncoding, encoding);
    QFETCH(bool, warns);
    QTemporaryDir dir;
    const GeneratedDocument doc = writeText(dir.path(), QStringLiteral("t.txt"), 3, encoding);
    QFile file(doc.path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto result = parseText(file.readAll(), StageContext{});
    QVERIFY(result.ok());
    QCOMPARE(result.value().type, QStringLiteral("text"));
    QCOMPARE(result.value().pages.size(), 1);
    QCOMPARE(result.value().pages.first().text, doc.pageTexts.first());
    QVERIFY(doc.pageTexts.first().contains(accentedLine()));
    QCOMPARE(!result.value().warnings.isEmpty(), warns);
    if (warns)
        QVERIFY(result.value().warnings.first().contains(QStringLiteral("Windows-1252")));
}

void tst_TextDecoding::markdownKeepsSource()
{
    QTemporaryDir dir;
    const GeneratedDocument doc = writeMarkdown(dir.path(), QStringLiteral("m.md"), 4);
    QFile file(doc.path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray bytes = file.readAll();
    bytes.replace("\n", "\r\n");
    const auto result = parseMarkdown(bytes, StageContext{});
    QVERIFY(result.ok());
    QCOMPARE(result.value().type, QStringLiteral("markdown"));
    QCOMPARE(result.value().pages.first().text, doc.pageTexts.first());
    QVERIFY(result.value().pages.first().text.startsWith(u"# "));
    QVERIFY(result.value().pages.first().text.contains(u"\n## Details\n"));
}

void tst_TextDecoding::invalidUtf8FileWarns()
{
    QTemporaryDir dir;
    QFile file(writeInvalidUtf8Text(dir.path(), QStringLiteral("bad.txt")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto result = parseText(file.readAll(), StageContext{});
    QVERIFY(result.ok());
    const QString text = result.value().pages.first().text;
    QVERIFY(text.contains(accentedLine())); // the valid UTF-8 around the damage survives
    QCOMPARE(text.count(QChar(0xFFFD)), 4); // C3, FF, and E2 82 as two
    QCOMPARE(result.value().warnings.size(), 1);
    QVERIFY(result.value().warnings.first().contains(QStringLiteral("4 invalid UTF-8")));
}

void tst_TextDecoding::emptyFile()
{
    const auto result = parseText({}, StageContext{});
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("empty_file"));
}

QTEST_GUILESS_MAIN(tst_TextDecoding)
#include "tst_textdecoding.moc"
