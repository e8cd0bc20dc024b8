// PDF parsing with poppler: page texts and numbers, each broken variant's code, cancellation,
// progress, and several threads parsing at once.
#include "documentgenerator.h"
#include "pdfgenerator.h"
#include "scangenerator.h"

#include "stages/parsers/pdfparser.h"

#include <QFile>
#include <QtConcurrent/QtConcurrentMap>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Stages;
using namespace Docpipe::Test;

class tst_PdfParser final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void goodPdfKeepsPagesAndText_data();
    void goodPdfKeepsPagesAndText();
    void badPdfGivesSpecificCode_data();
    void badPdfGivesSpecificCode();
    void blankPageIsKeptWithWarning();
    void pageLimit();
    void reportsProgressAndStopsWhenCancelled();
    void parallelParsesAgree();

private:
    QTemporaryDir m_dir;
};

void tst_PdfParser::goodPdfKeepsPagesAndText_data()
{
    QTest::addColumn<int>("pages");
    QTest::newRow("one page") << 1;
    QTest::newRow("five pages") << 5;
    QTest::newRow("sixty pages") << 60;
    // The parser reads a long PDF in runs of 1,024 pages with a fresh document for each run.
    QTest::newRow("1,030 pages, past a reload") << 1030;
}

void tst_PdfParser::goodPdfKeepsPagesAndText()
{
    QFETCH(int, pages);
    const GeneratedDocument doc = writePdf(m_dir.path(), QStringLiteral("good-%1.pdf").arg(pages), pages, 42);
    QVERIFY(!doc.path.isEmpty());
    const auto result = parsePdf(readFileBytes(doc.path), StageContext{});
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const ParsedDocument &parsed = result.value();
    QCOMPARE(parsed.type, QStringLiteral("pdf"));
    QCOMPARE(parsed.pages.size(), pages);
    QVERIFY(parsed.warnings.isEmpty());
    for (int i = 0; i < pages; ++i) {
        QCOMPARE(parsed.pages[i].number, i + 1);
        // Line wrapping differs between the painter and poppler; the words and their order do not.
        QCOMPARE(parsed.pages[i].text.simplified(), doc.pageTexts[i].simplified());
    }
}

void tst_PdfParser::badPdfGivesSpecificCode_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("messagePart");
    const QString d = m_dir.path();
    QTest::newRow("empty") << writeEmptyFile(d, QStringLiteral("empty.pdf")) << "empty_file"
                           << "empty";
    QTest::newRow("truncated") << writeTruncatedPdf(d, QStringLiteral("truncated.pdf"), 3) << "corrupt_pdf"
                               << "damaged";
    QTest::newRow("bit-flipped") << writeBitFlippedPdf(d, QStringLiteral("flipped.pdf"), 4) << "corrupt_pdf"
                                 << "damaged";
    QTest::newRow("encrypted") << writeEncryptedPdf(d, QStringLiteral("encrypted.pdf")) << "encrypted_pdf"
                               << "needs a password";
    const QString blankScan = m_dir.filePath(QStringLiteral("blank-scan.pdf"));
    QVERIFY(writeMixedPdf(blankScan, {QStringLiteral("SCAN:"), QStringLiteral("SCAN:")}));
    QTest::newRow("image only, no words") << blankScan << "no_text_layer"
                                          << "no text layer (scanned or image-only pages); OCR found no text either";
    QTest::newRow("not a pdf") << writePngNamedPdf(d, QStringLiteral("png.pdf")) << "corrupt_pdf"
                               << "cannot be opened";
}

void tst_PdfParser::badPdfGivesSpecificCode()
{
    QFETCH(QString, path);
    QFETCH(QString, code);
    QFETCH(QString, messagePart);
    QVERIFY(!path.isEmpty());
    const auto result = parsePdf(readFileBytes(path), StageContext{});
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, code);
    QVERIFY(!result.error().isTransient());
    QVERIFY2(result.error().message.contains(messagePart), qPrintable(result.error().message));
}

void tst_PdfParser::blankPageIsKeptWithWarning()
{
    const QString path = m_dir.filePath(QStringLiteral("blank-middle.pdf"));
    QVERIFY(paintTextPdf(path, {{QStringLiteral("First page.")}, {}, {QStringLiteral("Third page.")}}));
    const auto result = parsePdf(readFileBytes(path), StageContext{});
    QVERIFY(result.ok());
    QCOMPARE(result.value().pages.size(), 3);
    QCOMPARE(result.value().pages[2].number, 3);
    QCOMPARE(result.value().pages[2].text.trimmed(), QStringLiteral("Third page."));
    QVERIFY(result.value().pages[1].text.trimmed().isEmpty());
    QCOMPARE(result.value().warnings, QStringList{QStringLiteral("1 of 3 pages have no extractable text (pages 2)")});
}

void tst_PdfParser::pageLimit()
{
    const GeneratedDocument doc = writePdf(m_dir.path(), QStringLiteral("limit.pdf"), 4, 9);
    ParserLimits limits;
    limits.maxPages = 3;
    const auto result = parsePdf(readFileBytes(doc.path), StageContext{}, limits);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("too_many_pages"));
    QVERIFY(result.error().message.contains(QStringLiteral("4 pages")));
}

void tst_PdfParser::reportsProgressAndStopsWhenCancelled()
{
    const QByteArray bytes = readFileBytes(writePdf(m_dir.path(), QStringLiteral("progress.pdf"), 6, 5).path);
    QList<qint64> done;
    StageContext context;
    context.reportProgress = [&](qint64 d, qint64 total) {
        QCOMPARE(total, 6);
        done << d;
    };
    QVERIFY(parsePdf(bytes, context).ok());
    QCOMPARE(done, (QList<qint64>{1, 2, 3, 4, 5, 6}));

    done.clear();
    context.isCancelled = [&] { return done.size() >= 2; };
    const auto cancelled = parsePdf(bytes, context);
    QVERIFY(!cancelled.ok());
    QCOMPARE(cancelled.error().code, QStringLiteral("cancelled"));
    QCOMPARE(done.size(), 2);
}

void tst_PdfParser::parallelParsesAgree()
{
    // Each call owns its Poppler::Document; several at once must neither crash nor mix results.
    QList<QByteArray> inputs;
    for (int i = 0; i < 8; ++i)
        inputs << readFileBytes(writePdf(m_dir.path(), QStringLiteral("par-%1.pdf").arg(i), 4, quint32(100 + i)).path);
    const auto parseOne = [](const QByteArray &bytes) {
        const auto result = parsePdf(bytes, StageContext{});
        return result.ok() ? result.value().pages.first().text : QString();
    };
    QStringList sequential;
    for (const QByteArray &bytes : inputs)
        sequential << parseOne(bytes);
    QThreadPool pool;
    pool.setMaxThreadCount(4);
    for (int round = 0; round < 3; ++round) {
        const QStringList parallel = QtConcurrent::blockingMapped<QStringList>(&pool, inputs, parseOne);
        QCOMPARE(parallel, sequential);
    }
}

QTEST_MAIN(tst_PdfParser)
#include "tst_pdfparser.moc"
