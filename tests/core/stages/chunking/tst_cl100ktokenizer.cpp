// The exact cl100k_base tokenizer: the shipped table is OpenAI's, counts equal tiktoken's on the
// reference texts, and the hand-written pre-tokenizer splits exactly where cl100k's own pattern
// (run by QRegularExpression) does.
#include "cl100kreference.h"
#include "stages/chunking/cl100ktokenizer.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

using Docpipe::Stages::cl100kPieceEnds;
using Docpipe::Stages::countCl100kTokens;
using Docpipe::Stages::encodeCl100k;
using Docpipe::Test::readCl100kReference;

namespace {

// tiktoken_ext/openai_public.py, cl100k_base.
const QString kPattern = QStringLiteral(
    R"('(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s)");

QList<QByteArray> tableTokens()
{
    QFile file(QStringLiteral(":/docpipe/chunking/cl100k_base.ranks"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray blob = file.readAll();
    QList<QByteArray> tokens;
    for (qsizetype at = 0; at < blob.size();) {
        const int length = static_cast<unsigned char>(blob.at(at));
        tokens.append(blob.mid(at + 1, length));
        at += 1 + length;
    }
    return tokens;
}

QByteArray decode(const std::vector<std::uint32_t> &ids, const QList<QByteArray> &table)
{
    QByteArray bytes;
    for (std::uint32_t id : ids)
        bytes += table.value(qsizetype(id));
    return bytes;
}

// Deterministic text from an alphabet (MINSTD generator, as the JS that made the counts below).
class Picker final
{
public:
    QString pick(const QString &alphabet, int n)
    {
        QString s;
        for (int i = 0; i < n; ++i) {
            m_seed = (m_seed * 48271) % 2147483647;
            s += alphabet.at(qsizetype(m_seed % alphabet.size()));
        }
        return s;
    }

private:
    qint64 m_seed = 7;
};

} // namespace

class TestCl100kTokenizer final : public QObject
{
    Q_OBJECT

private slots:
    void tableIsOpenAisCl100kBase();
    void countsEqualTiktoken_data();
    void countsEqualTiktoken();
    void longAndOddPieces_data();
    void longAndOddPieces();
    void encodingDecodesToTheText();
    void piecesFollowThePattern_data();
    void piecesFollowThePattern();
};

void TestCl100kTokenizer::tableIsOpenAisCl100kBase()
{
    const QList<QByteArray> tokens = tableTokens();
    QCOMPARE(tokens.size(), 100256);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (qsizetype rank = 0; rank < tokens.size(); ++rank)
        hash.addData(QByteArray(tokens[rank].toBase64() + ' ' + QByteArray::number(rank) + '\n'));
    // The SHA-256 of cl100k_base.tiktoken that tiktoken checks its download against.
    QCOMPARE(hash.result().toHex(), QByteArray("223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"));
}

void TestCl100kTokenizer::countsEqualTiktoken_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("trueTokens");
    const auto rows = readCl100kReference();
    QVERIFY2(rows.size() > 300, "the reference table is missing or short");
    int index = 0;
    for (const auto &row : rows)
        QTest::addRow("%s-%d", qPrintable(row.category), index++) << row.text << row.tokens;
}

void TestCl100kTokenizer::countsEqualTiktoken()
{
    QFETCH(QString, text);
    QFETCH(int, trueTokens);
    QCOMPARE(countCl100kTokens(text), trueTokens);
    QCOMPARE(int(encodeCl100k(text).size()), trueTokens);
}

// Counts from js-tiktoken 1.0.21 (encode(text, [], []), special tokens as text). The long ones
// take the heap merge (pieces of 128 bytes and more), the short ones tiktoken's scan.
void TestCl100kTokenizer::longAndOddPieces_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("trueTokens");
    Picker picker;
    const QString soup = picker.pick(QStringLiteral("abcdefghijklmnopqrstuvwxyz"), 400);
    const QString symbols = picker.pick(QStringLiteral("!@#$%^&*()[]{}<>?/|~+=-_;:,."), 400);
    QTest::newRow("400 random letters") << soup << 208;
    QTest::newRow("400 random symbols") << symbols << 261;
    QTest::newRow("1000 dashes") << QString(1000, u'-') << 16;
    QTest::newRow("300 spaces and a letter") << QString(300, u' ') + u'x' << 4;
    QTest::newRow("special tokens are text") << QStringLiteral("<|endoftext|> and <|fim_prefix|>") << 14;
    QTest::newRow("a long word four times")
        << QStringLiteral("Pneumonoultramicroscopicsilicovolcanoconiosis").repeated(4) << 68;
    QTest::newRow("contractions, CR LF, tabs")
        << QStringLiteral("Stra\u00dfe \u00c5\u00c4\u00d6 na\u00efve 123456789 'S 'LL don'T\r\n\r\n  \tx\n") << 21;
    QTest::newRow("empty") << QString() << 0;
}

void TestCl100kTokenizer::longAndOddPieces()
{
    QFETCH(QString, text);
    QFETCH(int, trueTokens);
    QCOMPARE(countCl100kTokens(text), trueTokens);
}

void TestCl100kTokenizer::encodingDecodesToTheText()
{
    const QList<QByteArray> table = tableTokens();
    Picker picker;
    QStringList texts{picker.pick(QStringLiteral("ab cd\u00e9\u6771\n"), 3000)};
    for (const auto &row : readCl100kReference())
        texts << row.text;
    for (const QString &text : std::as_const(texts))
        QCOMPARE(decode(encodeCl100k(text), table), text.toUtf8());
    // A lone surrogate (not valid UTF-16) is counted as U+FFFD, the replacement character.
    const QString lone = QStringLiteral("lone ") + QChar(0xd800) + QStringLiteral(" here");
    QCOMPARE(decode(encodeCl100k(lone), table), QByteArray("lone \xef\xbf\xbd here"));
}

void TestCl100kTokenizer::piecesFollowThePattern_data()
{
    QTest::addColumn<QString>("text");
    for (const auto &row : readCl100kReference())
        QTest::addRow("%s-%d", qPrintable(row.category), int(row.text.size())) << row.text;
    // Mixed alphabets that exercise every alternative and their order.
    const QString alphabet = QStringLiteral("aZ\u00e9\u03a9\u6771 09\u0663\u00bd\t\n\r'sStLlVe\u017f.,!-#\u3000\u00a0")
        + QChar(0xd83d) + QChar(0xde00);
    Picker picker;
    for (int i = 0; i < 200; ++i) {
        QString text = picker.pick(alphabet, 40);
        // Keep surrogate pairs whole: a lone half is not something a parser produces.
        for (qsizetype k = 0; k < text.size(); ++k) {
            if (text[k].isHighSurrogate() && (k + 1 == text.size() || !text[k + 1].isLowSurrogate()))
                text[k] = u'?';
            else if (text[k].isLowSurrogate() && (k == 0 || !text[k - 1].isHighSurrogate()))
                text[k] = u'?';
        }
        QTest::addRow("generated-%d", i) << text;
    }
}

void TestCl100kTokenizer::piecesFollowThePattern()
{
    QFETCH(QString, text);
    static const QRegularExpression pattern(kPattern, QRegularExpression::UseUnicodePropertiesOption);
    QVERIFY2(pattern.isValid(), qPrintable(pattern.errorString()));
    std::vector<qsizetype> expected;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        expected.push_back(it.next().capturedEnd());
    const std::vector<qsizetype> ends = cl100kPieceEnds(text);
    if (ends != expected) {
        QStringList got;
        QStringList want;
        qsizetype start = 0;
        for (qsizetype end : ends)
            got << text.mid(std::exchange(start, end), end - start);
        start = 0;
        for (qsizetype end : expected)
            want << text.mid(std::exchange(start, end), end - start);
        QFAIL(qPrintable(QStringLiteral("pieces differ:\n got  %1\n want %2")
                             .arg(got.join(u'|').toHtmlEscaped(), want.join(u'|').toHtmlEscaped())));
    }
}

QTEST_GUILESS_MAIN(TestCl100kTokenizer)
#include "tst_cl100ktokenizer.moc"
