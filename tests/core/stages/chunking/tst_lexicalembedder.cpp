// LexicalHashEmbedder: deterministic unit vectors whose similarity follows shared words.
#include "stages/embedding/lexicalhashembedder.h"

#include <QtConcurrentMap>
#include <QTest>

#include <cmath>

using Docpipe::Vector;
using Docpipe::Stages::LexicalHashEmbedder;

namespace {

double dot(const Vector &a, const Vector &b)
{
    double sum = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        sum += double(a[i]) * b[i];
    return sum;
}

} // namespace

class TestLexicalEmbedder final : public QObject
{
    Q_OBJECT

private slots:
    void unitLengthAndDimensions_data();
    void unitLengthAndDimensions();
    void isDeterministicAndStable();
    void emptyTextsShareOneFixedVector();
    void similarTextsAreCloser_data();
    void similarTextsAreCloser();
    void caseDoesNotMatter();
    void batchKeepsOrder();
    void honoursCancellation();
    void describesItself();
    void isSafeFromSeveralThreads();
};

void TestLexicalEmbedder::unitLengthAndDimensions_data()
{
    QTest::addColumn<int>("dimensions");
    QTest::addColumn<QString>("text");
    QTest::newRow("prose") << 384 << QStringLiteral("The quick brown fox jumps over the lazy dog.");
    QTest::newRow("small dims") << 8 << QStringLiteral("The quick brown fox jumps over the lazy dog.");
    QTest::newRow("large dims") << 1536 << QStringLiteral("Lorem ipsum dolor sit amet");
    QTest::newRow("cjk") << 384 << QStringLiteral("机器学习是人工智能的一个分支");
    QTest::newRow("punctuation only") << 384 << QStringLiteral("!!! ??? ...");
    QTest::newRow("one word") << 384 << QStringLiteral("word");
    QTest::newRow("empty") << 384 << QString();
    QTest::newRow("whitespace") << 384 << QStringLiteral(" \n\t ");
    QTest::newRow("one dimension") << 1 << QStringLiteral("a b a b");
}

void TestLexicalEmbedder::unitLengthAndDimensions()
{
    QFETCH(int, dimensions);
    QFETCH(QString, text);
    const LexicalHashEmbedder embedder(dimensions);
    QCOMPARE(embedder.dimensions(), dimensions);
    const Vector vector = embedder.embedText(text);
    QCOMPARE(vector.size(), dimensions);
    for (float value : vector)
        QVERIFY(std::isfinite(value));
    QVERIFY(std::abs(std::sqrt(dot(vector, vector)) - 1.0) < 1e-5);
}

void TestLexicalEmbedder::isDeterministicAndStable()
{
    const LexicalHashEmbedder a;
    const LexicalHashEmbedder b;
    const QString text = QStringLiteral("Deterministic embeddings make tests reproducible.");
    QCOMPARE(a.embedText(text), b.embedText(text));
    // Pinned so that a change of hashing (which would invalidate stored vectors) is noticed.
    const Vector vector = a.embedText(QStringLiteral("hello world"));
    int nonZero = 0;
    for (float value : vector)
        nonZero += value != 0.0f;
    QCOMPARE(nonZero, 3);
    QString sparse;
    for (qsizetype i = 0; i < vector.size(); ++i) {
        if (vector[i] != 0.0f)
            sparse += QStringLiteral("%1%2 ").arg(vector[i] > 0 ? u"+" : u"-").arg(i);
    }
    QCOMPARE(sparse, QStringLiteral("+77 -203 -289 "));
    QCOMPARE(a.embedText(QStringLiteral("hello world")), vector);
}

void TestLexicalEmbedder::emptyTextsShareOneFixedVector()
{
    const LexicalHashEmbedder embedder;
    const Vector empty = embedder.embedText(QString());
    QCOMPARE(embedder.embedText(QStringLiteral("   \n")), empty);
    QVERIFY(dot(empty, embedder.embedText(QStringLiteral("some words"))) < 0.5);
}

void TestLexicalEmbedder::similarTextsAreCloser_data()
{
    QTest::addColumn<QString>("anchor");
    QTest::addColumn<QString>("similar");
    QTest::addColumn<QString>("unrelated");
    QTest::newRow("prose") << QStringLiteral("The invoice for March is overdue and must be paid by Friday.")
                           << QStringLiteral("Please pay the overdue March invoice by Friday.")
                           << QStringLiteral("Photosynthesis converts sunlight into chemical energy in plants.");
    QTest::newRow("code") << QStringLiteral("connect the database and run the migration scripts")
                          << QStringLiteral("run migration scripts after you connect to the database")
                          << QStringLiteral("the orchestra rehearsed the symphony twice");
    QTest::newRow("cjk") << QStringLiteral("机器学习是人工智能的一个分支") << QStringLiteral("机器学习属于人工智能")
                         << QStringLiteral("今天天气很好我们去公园");
}

void TestLexicalEmbedder::similarTextsAreCloser()
{
    QFETCH(QString, anchor);
    QFETCH(QString, similar);
    QFETCH(QString, unrelated);
    const LexicalHashEmbedder embedder;
    const Vector a = embedder.embedText(anchor);
    QVERIFY(dot(a, embedder.embedText(similar)) > dot(a, embedder.embedText(unrelated)) + 0.2);
}

void TestLexicalEmbedder::caseDoesNotMatter()
{
    const LexicalHashEmbedder embedder;
    QCOMPARE(embedder.embedText(QStringLiteral("Hello World")), embedder.embedText(QStringLiteral("hello, world!")));
}

void TestLexicalEmbedder::batchKeepsOrder()
{
    const LexicalHashEmbedder embedder(64);
    const QStringList texts
        = {QStringLiteral("first text"), QString(), QStringLiteral("third one"), QStringLiteral("first text")};
    const auto result = embedder.embed(texts, Docpipe::StageContext{});
    QVERIFY(result.ok());
    QCOMPARE(result.value().size(), texts.size());
    for (qsizetype i = 0; i < texts.size(); ++i)
        QCOMPARE(result.value()[i], embedder.embedText(texts[i]));
    QVERIFY(embedder.embed({}, Docpipe::StageContext{}).value().isEmpty());
}

void TestLexicalEmbedder::honoursCancellation()
{
    const LexicalHashEmbedder embedder;
    Docpipe::StageContext context;
    context.isCancelled = [] { return true; };
    const auto result = embedder.embed({QStringLiteral("a")}, context);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("cancelled"));
}

void TestLexicalEmbedder::describesItself()
{
    const LexicalHashEmbedder embedder;
    QCOMPARE(embedder.model(), QStringLiteral("docpipe-lexical-hash-v1"));
    QCOMPARE(embedder.dimensions(), 384);
    QVERIFY(embedder.maxBatchSize() >= 1);
}

void TestLexicalEmbedder::isSafeFromSeveralThreads()
{
    const LexicalHashEmbedder embedder;
    QStringList texts;
    for (int i = 0; i < 400; ++i)
        texts.append(QStringLiteral("text number %1 with some shared words and %2").arg(i).arg(i * 7919));
    const QList<Vector> expected = embedder.embed(texts, Docpipe::StageContext{}).value();
    const QList<Vector> parallel
        = QtConcurrent::blockingMapped(texts, [&](const QString &text) { return embedder.embedText(text); });
    QCOMPARE(parallel, expected);
}

QTEST_GUILESS_MAIN(TestLexicalEmbedder)
#include "tst_lexicalembedder.moc"
