// estimateTokens() against true cl100k_base counts (tests/data/cl100k/reference.tsv, made by
// tests/support/tools/make-cl100k-reference.mjs with js-tiktoken).
#include "cl100kreference.h"
#include "stages/chunking/tokenestimator.h"

#include <QTest>

using Docpipe::Stages::estimateTokens;

using Docpipe::Test::readCl100kReference;

class TestTokenEstimator final : public QObject
{
    Q_OBJECT

private slots:
    void neverBelowReference_data();
    void neverBelowReference();
    void proseOvercountIsBounded();
    void handCases_data();
    void handCases();
};

void TestTokenEstimator::neverBelowReference_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("trueTokens");
    const auto rows = readCl100kReference();
    QVERIFY2(rows.size() > 300, "the reference table is missing or short");
    int index = 0;
    for (const auto &row : rows)
        QTest::addRow("%s-%d", qPrintable(row.category), index++) << row.text << row.tokens;
}

void TestTokenEstimator::neverBelowReference()
{
    QFETCH(QString, text);
    QFETCH(int, trueTokens);
    const int estimate = estimateTokens(text);
    QVERIFY2(estimate >= trueTokens,
             qPrintable(QStringLiteral("estimate %1 < cl100k %2 for: %3").arg(estimate).arg(trueTokens).arg(text)));
}

void TestTokenEstimator::proseOvercountIsBounded()
{
    double maxRatio = 0;
    double sumRatio = 0;
    qint64 estimated = 0;
    qint64 actual = 0;
    int count = 0;
    for (const auto &row : readCl100kReference()) {
        if (row.category != u"prose")
            continue;
        const int estimate = estimateTokens(row.text);
        const double ratio = double(estimate) / row.tokens;
        if (ratio > 1.8)
            qInfo("high ratio %.2f: %s", ratio, qPrintable(row.text));
        maxRatio = std::max(maxRatio, ratio);
        sumRatio += ratio;
        estimated += estimate;
        actual += row.tokens;
        ++count;
    }
    QVERIFY(count > 200);
    qInfo("prose rows %d: overcount max %.3f, mean %.3f, total %.3f", count, maxRatio, sumRatio / count,
          double(estimated) / double(actual));
    QVERIFY2(maxRatio <= 2.0, "the estimate is far too high on English prose");
    QVERIFY2(sumRatio / count <= 1.6, "the estimate is too high on average on English prose");
}

void TestTokenEstimator::handCases_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected");
    QTest::newRow("empty") << QString() << 0;
    QTest::newRow("one common word") << QStringLiteral("hello") << 1;
    QTest::newRow("two common words") << QStringLiteral("hello world") << 2;
    QTest::newRow("digit groups of three") << QStringLiteral("1234567") << 3;
    QTest::newRow("contraction") << QStringLiteral("don't") << 2;
    QTest::newRow("long space run") << QString(16, u' ') << 2;
    QTest::newRow("CJK single-token characters") << QStringLiteral("你好") << 2;
    QTest::newRow("CJK other characters count UTF-8 bytes") << QStringLiteral("\u9F98") << 3;
    QTest::newRow("emoji counts UTF-8 bytes") << QStringLiteral("\U0001F680") << 4;
}

void TestTokenEstimator::handCases()
{
    QFETCH(QString, text);
    QFETCH(int, expected);
    QCOMPARE(estimateTokens(text), expected);
}

QTEST_GUILESS_MAIN(TestTokenEstimator)
#include "tst_tokenestimator.moc"
