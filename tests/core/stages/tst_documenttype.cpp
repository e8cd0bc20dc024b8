// Type detection from content, the unsupported-type message, and the folder-walk name filter.
#include "documentgenerator.h"

#include "stages/parsers/documenttype.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Stages;
using namespace Docpipe::Test;

class tst_DocumentType final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void detectsFromContent_data();
    void detectsFromContent();
    void unsupportedMessageNamesWhatItIs();
    void fileNameFilter_data();
    void fileNameFilter();

private:
    QTemporaryDir m_dir;
};

void tst_DocumentType::detectsFromContent_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<DocumentType>("type");
    QTest::addColumn<QString>("mime");
    const QString d = m_dir.path();
    const QByteArray pdf = readFileBytes(writePdf(d, QStringLiteral("a.pdf"), 1, 1).path);
    const QByteArray docx = readFileBytes(writeDocx(d, QStringLiteral("a.docx"), 1, 1).path);
    const QByteArray png = readFileBytes(writePngNamedPdf(d, QStringLiteral("png.pdf")));
    const QByteArray gif = readFileBytes(writeGifNamedPdf(d, QStringLiteral("gif.pdf")));
    const QByteArray jpeg = QByteArray("\xff\xd8\xff\xe0\x00\x10JFIF\x00", 11) + QByteArray(64, '\0');
    const QByteArray tiff = QByteArray("II*\x00\x08\x00\x00\x00", 8) + QByteArray(64, '\0');
    QTest::newRow("pdf") << pdf << "a.pdf" << DocumentType::Pdf << "application/pdf";
    QTest::newRow("pdf without extension") << pdf << "report" << DocumentType::Pdf << "application/pdf";
    QTest::newRow("pdf named .txt") << pdf << "a.txt" << DocumentType::Pdf << "application/pdf";
    QTest::newRow("docx") << docx << "a.docx" << DocumentType::Docx
                          << "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    QTest::newRow("docx named .zip") << docx << "a.zip" << DocumentType::Docx
                                     << "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    QTest::newRow("html") << QByteArray("<!DOCTYPE html><html><body>x</body></html>") << "a.html" << DocumentType::Html
                          << "text/html";
    QTest::newRow("html named .txt") << QByteArray("<html><p>x</p></html>") << "a.txt" << DocumentType::Html
                                     << "text/html";
    QTest::newRow("markdown") << QByteArray("# Title\n\ntext\n") << "a.md" << DocumentType::Markdown << "text/markdown";
    QTest::newRow("markdown long suffix")
        << QByteArray("# Title\n") << "a.MARKDOWN" << DocumentType::Markdown << "text/markdown";
    QTest::newRow("markdown with leading html comment")
        << QByteArray("<!-- badges -->\n# Title\n") << "README.md" << DocumentType::Markdown << "text/markdown";
    QTest::newRow("html fragment") << QByteArray("Hello <b>world</b>") << "frag.htm" << DocumentType::Html
                                   << "text/html";
    QTest::newRow("svg") << QByteArray("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")
                         << "a.pdf" << DocumentType::Unsupported << "image/svg+xml";
    QTest::newRow("xml named .txt") << QByteArray("<?xml version=\"1.0\"?><a/>") << "a.txt" << DocumentType::Text
                                    << "text/plain";
    QTest::newRow("text") << QByteArray("hello\n") << "a.txt" << DocumentType::Text << "text/plain";
    QTest::newRow("text named .pdf") << QByteArray("hello\n") << "a.pdf" << DocumentType::Text << "text/plain";
    QTest::newRow("windows-1252 text") << QByteArray("caf\xe9 \x93q\x94\n") << "a.txt" << DocumentType::Text
                                       << "text/plain";
    QTest::newRow("utf-16 text") << QByteArray("\xff\xfeh\0i\0\n\0", 8) << "a.txt" << DocumentType::Text
                                 << "text/plain";
    QTest::newRow("png") << png << "scan.png" << DocumentType::Image << "image/png";
    QTest::newRow("png named .pdf") << png << "a.pdf" << DocumentType::Image << "image/png";
    QTest::newRow("jpeg without extension") << jpeg << "photo" << DocumentType::Image << "image/jpeg";
    QTest::newRow("tiff") << tiff << "fax.tif" << DocumentType::Image << "image/tiff";
    QTest::newRow("gif named .pdf") << gif << "a.pdf" << DocumentType::Unsupported << "image/gif";
    QTest::newRow("plain zip") << QByteArray("PK\x03\x04\x14\0\0\0\0\0", 10) + QByteArray(40, '\0') << "a.docx"
                               << DocumentType::Unsupported << "application/zip";
    QTest::newRow("binary") << QByteArray("\x00\x01\x02\x03\xfe\xff\x00\x00", 8) << "a.txt" << DocumentType::Unsupported
                            << "application/octet-stream";
    QTest::newRow("empty") << QByteArray() << "a.txt" << DocumentType::Unsupported << "application/x-zerosize";
}

void tst_DocumentType::detectsFromContent()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, fileName);
    QFETCH(DocumentType, type);
    QFETCH(QString, mime);
    const DetectedType detected = detectDocumentType(bytes, fileName);
    QCOMPARE(detected.type, type);
    QCOMPARE(detected.mimeName, mime);
    QVERIFY(!detected.description.isEmpty());
    QCOMPARE(detected.isSupported(), type != DocumentType::Unsupported);
}

void tst_DocumentType::unsupportedMessageNamesWhatItIs()
{
    const QByteArray gif = readFileBytes(writeGifNamedPdf(m_dir.path(), QStringLiteral("p.pdf")));
    const StageError error = unsupportedTypeError(detectDocumentType(gif, QStringLiteral("p.pdf")));
    QCOMPARE(error.code, QStringLiteral("unsupported_type"));
    QVERIFY(!error.isTransient());
    QVERIFY2(error.message.startsWith(QStringLiteral("the file is a GIF image, not a supported document (PDF, DOCX, "
                                                     "HTML, Markdown, text, or a PNG, JPEG or TIFF image)")),
             qPrintable(error.message));
    QCOMPARE(documentTypeName(DocumentType::Markdown), QStringLiteral("markdown"));
    QVERIFY(documentTypeName(DocumentType::Unsupported).isEmpty());
}

void tst_DocumentType::fileNameFilter_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("supported");
    QTest::newRow("pdf") << "a.pdf" << true;
    QTest::newRow("upper") << "A.PDF" << true;
    QTest::newRow("docx") << "dir/b.docx" << true;
    QTest::newRow("htm") << "c.htm" << true;
    QTest::newRow("md") << "d.md" << true;
    QTest::newRow("txt") << "e.txt" << true;
    QTest::newRow("png") << "f.png" << true;
    QTest::newRow("jpeg") << "f.JPEG" << true;
    QTest::newRow("tiff") << "f.tif" << true;
    QTest::newRow("gif") << "f.gif" << false;
    QTest::newRow("doc") << "g.doc" << false;
    QTest::newRow("none") << "Makefile" << false;
    QTest::newRow("newline in name") << "line\nbreak.txt" << true;
}

void tst_DocumentType::fileNameFilter()
{
    QFETCH(QString, name);
    QFETCH(bool, supported);
    QCOMPARE(isSupportedFileName(name), supported);
}

QTEST_MAIN(tst_DocumentType)
#include "tst_documenttype.moc"
