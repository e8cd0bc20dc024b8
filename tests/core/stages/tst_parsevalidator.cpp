// The parse validator: empty, garbage and page-count cases, and the thresholds' edges.
#include "stages/validation/parsevalidator.h"

#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Stages;

namespace {

ParsedDocument document(const QStringList &pages)
{
    ParsedDocument doc;
    doc.type = QStringLiteral("text");
    for (const QString &text : pages)
        doc.pages.append(ParsedPage{int(doc.pages.size()) + 1, text});
    return doc;
}

} // namespace

class tst_ParseValidator final : public QObject
{
    Q_OBJECT
private slots:
    void validate_data();
    void validate();
    void pageLimit();
    void measure_data();
    void measure();
};

void tst_ParseValidator::validate_data()
{
    QTest::addColumn<QStringList>("pages");
    QTest::addColumn<QString>("code"); // empty: valid
    const QString prose = QStringLiteral("The quiet harbour committee reviewed the annual report. ");
    QTest::newRow("prose") << QStringList{prose} << "";
    QTest::newRow("some blank pages") << QStringList{QString(), prose, QStringLiteral("  \n")} << "";
    QTest::newRow("no pages") << QStringList{} << "empty_text";
    QTest::newRow("blank pages") << QStringList{QString(), QStringLiteral(" \n\t "), QString(5, QChar(0xA0))}
                                 << "empty_text";
    QTest::newRow("non-latin script") << QStringList{QStringLiteral(
        "\u65e5\u672c\u8a9e\u306e\u6587\u7ae0\u3067\u3059\u3002\u3053\u308c\u306f\u8aad\u3081\u308b\u30c6\u30ad\u30b9"
        "\u30c8\u3067\u3059\u3002")} << "";
    QTest::newRow("emoji") << QStringList{prose + QStringLiteral("\U0001F600\U0001F680")} << "";
    QTest::newRow("a few replacement chars") << QStringList{prose + QString(5, QChar(0xFFFD))} << "";
    QTest::newRow("binary read as text")
        << QStringList{QString::fromLatin1(QByteArray("\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f ab", 13)).repeated(20)}
        << "garbage_text";
    QTest::newRow("replacement chars") << QStringList{QString(40, QChar(0xFFFD)) + QStringLiteral(" some words here")}
                                       << "garbage_text";
    QTest::newRow("private use") << QStringList{QString(30, QChar(0xE123)) + QStringLiteral(" abcdefghij")}
                                 << "garbage_text";
    QTest::newRow("lone surrogates") << QStringList{QString(30, QChar(0xD800)) + QStringLiteral(" abcdefghij")}
                                     << "garbage_text";
    QTest::newRow("plane 15 private use")
        << QStringList{QStringLiteral("\U000F0000").repeated(30) + QStringLiteral(" abcdefghij")} << "garbage_text";
    QTest::newRow("just under 30%") << QStringList{QString(29, QChar(0xFFFD)) + QString(71, u'a')} << "";
    QTest::newRow("just over 30%") << QStringList{QString(31, QChar(0xFFFD)) + QString(69, u'a')} << "garbage_text";
    QTest::newRow("tiny but readable") << QStringList{QStringLiteral("Hi \ufffd")} << "";
    QTest::newRow("tiny and all garbage") << QStringList{QStringLiteral("\ufffd\u0001")} << "garbage_text";
}

void tst_ParseValidator::validate()
{
    QFETCH(QStringList, pages);
    QFETCH(QString, code);
    const std::optional<StageError> error = validateParsed(document(pages));
    QCOMPARE(error ? error->code : QString(), code);
    if (error) {
        QVERIFY(!error->isTransient());
        QVERIFY(!error->message.isEmpty());
    }
}

void tst_ParseValidator::pageLimit()
{
    ValidationLimits limits;
    limits.maxPages = 2;
    QVERIFY(!validateParsed(document({QStringLiteral("a b c"), QStringLiteral("d")}), limits));
    const auto error
        = validateParsed(document({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}), limits);
    QVERIFY(error);
    QCOMPARE(error->code, QStringLiteral("too_many_pages"));
}

void tst_ParseValidator::measure_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("nonSpace");
    QTest::addColumn<qint64>("garbage");
    QTest::newRow("ascii") << "ab c\td\n" << qint64(4) << qint64(0);
    QTest::newRow("controls") << QStringLiteral("a\u0001\u007f\u0085\u009f") << qint64(4)
                              << qint64(3); // U+0085 is whitespace
    QTest::newRow("pair counts once") << QStringLiteral("\U0001F600") << qint64(1) << qint64(0);
    QTest::newRow("nonchar") << QStringLiteral("\ufffe\ufdd0x") << qint64(3) << qint64(2);
}

void tst_ParseValidator::measure()
{
    QFETCH(QString, text);
    QFETCH(qint64, nonSpace);
    QFETCH(qint64, garbage);
    const TextStats stats = measureText(text);
    QCOMPARE(stats.nonSpace, nonSpace);
    QCOMPARE(stats.garbage, garbage);
}

QTEST_GUILESS_MAIN(tst_ParseValidator)
#include "tst_parsevalidator.moc"
