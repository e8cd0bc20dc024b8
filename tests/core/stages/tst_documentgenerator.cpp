// The generator itself: deterministic prose, real files of each type, a compact zip bomb.
#include "documentgenerator.h"
#include "prosegenerator.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe::Test;

class tst_DocumentGenerator final : public QObject
{
    Q_OBJECT
private slots:
    void proseIsDeterministicAndVaried();
    void writesEachType();
    void zipBombIsSmallOnDisk();
    void mixedCorpusShape();
};

void tst_DocumentGenerator::proseIsDeterministicAndVaried()
{
    ProseGenerator a(5), b(5), c(6);
    const QString pa = a.paragraph(20);
    QCOMPARE(pa, b.paragraph(20));
    QVERIFY(pa != c.paragraph(20));
    const QStringList sentences = pa.split(QStringLiteral(". "));
    QVERIFY(QSet<QString>(sentences.begin(), sentences.end()).size() >= 18);
    QVERIFY(!pa.contains(QStringLiteral("lorem"), Qt::CaseInsensitive));
    QVERIFY(pa.at(0).isUpper());
    QVERIFY(pa.endsWith(u'.'));
}

void tst_DocumentGenerator::writesEachType()
{
    QTemporaryDir dir;
    const auto head = [](const QString &path) {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.read(8) : QByteArray();
    };
    const GeneratedDocument pdf = writePdf(dir.path(), QStringLiteral("a.pdf"), 3, 1);
    QCOMPARE(pdf.pageTexts.size(), 3);
    QVERIFY(head(pdf.path).startsWith("%PDF-"));
    QVERIFY(head(writeDocx(dir.path(), QStringLiteral("a.docx"), 2, 1).path).startsWith("PK\x03\x04"));
    QVERIFY(head(writeHtml(dir.path(), QStringLiteral("a.html"), 1).path).startsWith("<!DOCTY"));
    QVERIFY(head(writeMarkdown(dir.path(), QStringLiteral("a.md"), 1).path).startsWith("# "));
    QVERIFY(head(writeText(dir.path(), QStringLiteral("a.txt"), 1, TextEncoding::Utf16LE).path).startsWith("\xff\xfe"));
    QVERIFY(head(writePngNamedPdf(dir.path(), QStringLiteral("p.pdf"))).startsWith("\x89PNG"));
    QVERIFY(head(writeEncryptedPdf(dir.path(), QStringLiteral("e.pdf"))).startsWith("%PDF-"));
    QCOMPARE(QFileInfo(writeEmptyFile(dir.path(), QStringLiteral("z.txt"))).size(), 0);
}

void tst_DocumentGenerator::zipBombIsSmallOnDisk()
{
    QTemporaryDir dir;
    const QString path = writeZipBombDocx(dir.path(), QStringLiteral("bomb.docx"));
    QVERIFY(!path.isEmpty());
    QVERIFY(QFileInfo(path).size() < 512 * 1024); // 300 MiB of XML inside
}

void tst_DocumentGenerator::mixedCorpusShape()
{
    QTemporaryDir dir;
    const QList<GeneratedDocument> docs = generateMixedCorpus(dir.path(), 12, 9);
    QCOMPARE(docs.size(), 12);
    QCOMPARE(docs.first().type, QStringLiteral("pdf"));
    QCOMPARE(docs.first().pageTexts.size(), 60);
    QSet<QString> types;
    for (const GeneratedDocument &doc : docs) {
        QVERIFY(QFileInfo::exists(doc.path));
        types.insert(doc.type);
    }
    QCOMPARE(types.size(), 5);
    QCOMPARE(generateMixedCorpus(dir.path(), 12, 9).at(3).pageTexts, docs.at(3).pageTexts);
}

QTEST_MAIN(tst_DocumentGenerator)
#include "tst_documentgenerator.moc"
