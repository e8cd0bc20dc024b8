// LocalParser end to end over generated files: every good type, every broken case with its code,
// awkward file names, and the validator's verdict on what the parser produced.
#include "documentgenerator.h"

#include "stages/parsers/localparser.h"
#include "stages/validation/parsevalidator.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Stages;
using namespace Docpipe::Test;

namespace {

ParseRequest requestFor(const QString &path)
{
    QFile file(path);
    return {file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray(), QFileInfo(path).fileName()};
}

} // namespace

class tst_LocalParser final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void name() { QCOMPARE(LocalParser().name(), QStringLiteral("local")); }
    void mixedCorpusParsesAndValidates();
    void badCorpusGivesExpectedCodes();
    void awkwardFileNames();
    void emptyBytes();
    void mutatedFilesNeverCrash();

private:
    QTemporaryDir m_dir;
};

void tst_LocalParser::mixedCorpusParsesAndValidates()
{
    const QList<GeneratedDocument> corpus = generateMixedCorpus(m_dir.filePath(QStringLiteral("mixed")), 10, 3);
    QCOMPARE(corpus.size(), 10);
    const LocalParser parser;
    for (const GeneratedDocument &doc : corpus) {
        QVERIFY(!doc.path.isEmpty());
        const auto result = parser.parse(requestFor(doc.path), StageContext{});
        QVERIFY2(result.ok(), qPrintable(doc.path + u": " + (result.ok() ? QString() : result.error().message)));
        QCOMPARE(result.value().type, doc.type);
        QCOMPARE(result.value().pages.size(), doc.pageTexts.size());
        QVERIFY(!validateParsed(result.value()).has_value());
    }
    QCOMPARE(corpus.first().pageTexts.size(), 60);
}

void tst_LocalParser::badCorpusGivesExpectedCodes()
{
    const QString dir = m_dir.filePath(QStringLiteral("bad")); // created by the generator
    const LocalParser parser;
    for (const BadDocument &bad : generateBadCorpus(dir)) {
        QVERIFY(!bad.path.isEmpty());
        const auto result = parser.parse(requestFor(bad.path), StageContext{});
        const QString context = QFileInfo(bad.path).fileName();
        if (bad.expectedCode.isEmpty()) {
            QVERIFY2(result.ok(), qPrintable(context));
            QVERIFY2(!validateParsed(result.value()).has_value(), qPrintable(context));
            continue;
        }
        QVERIFY2(!result.ok(), qPrintable(context));
        QCOMPARE(result.error().code, bad.expectedCode);
        QVERIFY(!result.error().isTransient());
        QVERIFY2(result.error().message.size() > 10 && !result.error().message.contains(u'\n'), qPrintable(context));
    }
}

void tst_LocalParser::awkwardFileNames()
{
    const QString dir = m_dir.filePath(QStringLiteral("names"));
    QVERIFY(QDir().mkpath(dir));
    const QStringList paths = writeAwkwardlyNamedFiles(dir, 8);
    QCOMPARE(paths.size(), 6);
    const LocalParser parser;
    for (const QString &path : paths) {
        QVERIFY2(QFileInfo::exists(path), qPrintable(path));
        const auto result = parser.parse(requestFor(path), StageContext{});
        QVERIFY2(result.ok(), qPrintable(path));
        QCOMPARE(result.value().type, path.endsWith(u".md") ? QStringLiteral("markdown") : QStringLiteral("text"));
    }
}

void tst_LocalParser::emptyBytes()
{
    const auto result = LocalParser().parse(ParseRequest{{}, QStringLiteral("x.pdf")}, StageContext{});
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("empty_file"));
}

void tst_LocalParser::mutatedFilesNeverCrash()
{
    // Damaged variants of every type must end in a result or a permanent error, never a crash.
    const QString dir = m_dir.filePath(QStringLiteral("mutants"));
    const QList<GeneratedDocument> originals = generateMixedCorpus(dir, 6, 21, 2);
    QRandomGenerator random(2024);
    const LocalParser parser;
    int failures = 0;
    for (const GeneratedDocument &doc : originals) {
        const ParseRequest original = requestFor(doc.path);
        for (int round = 0; round < 30; ++round) {
            ParseRequest mutant = original;
            const int flips = 1 + int(random.bounded(20));
            for (int i = 0; i < flips; ++i)
                mutant.bytes[random.bounded(int(mutant.bytes.size()))] = char(random.bounded(256));
            if (round % 3 == 0)
                mutant.bytes.truncate(random.bounded(int(mutant.bytes.size())) + 1);
            const auto result = parser.parse(mutant, StageContext{});
            if (!result.ok()) {
                ++failures;
                QVERIFY(!result.error().isTransient());
                QVERIFY(!result.error().code.isEmpty());
            }
        }
    }
    QVERIFY(failures > 0); // the damage was real
}

QTEST_MAIN(tst_LocalParser)
#include "tst_localparser.moc"
