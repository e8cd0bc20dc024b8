// The streaming multipart/form-data reader gives the same parts however the body is cut into
// pieces (one byte at a time, across the delimiter, in one piece), and says why a broken form is.
#include "services/multipartreader.h"

#include <QTest>

using namespace Docpipe::Services;
using namespace Qt::Literals::StringLiterals;

namespace {

struct Part
{
    QByteArray name, fileName, body;
};

const QByteArray kBody = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"priority\"\r\n\r\n5\r\n"
                         "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                         "Content-Type: text/plain\r\n\r\nline one\r\n--XyX not the end\r\n--X\r\n-\r\n"
                         "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.bin\"\r\n\r\n\r\n\r\n"
                         "--XyZ--\r\nepilogue";

QList<Part> readInPieces(const QByteArray &body, int pieceSize, QString *error = nullptr)
{
    MultipartReader reader("XyZ");
    QList<Part> parts;
    reader.onPartBegin = [&](const FormPartHead &head) {
        parts.append({head.name, head.fileName, {}});
        return true;
    };
    reader.onPartData = [&](QByteArrayView bytes) {
        parts.last().body.append(bytes);
        return true;
    };
    for (qsizetype at = 0; at < body.size(); at += pieceSize) {
        if (!reader.feed(QByteArrayView(body).sliced(at, qMin<qsizetype>(pieceSize, body.size() - at)))) {
            if (error)
                *error = reader.error();
            return {};
        }
    }
    if (!reader.isFinished() && error)
        *error = u"not finished"_s;
    return parts;
}

} // namespace

class TestMultipartReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pieces_data()
    {
        QTest::addColumn<int>("pieceSize");
        for (const int size : {1, 2, 3, 7, 16, 64, 100000})
            QTest::newRow(qPrintable(QString::number(size))) << size;
    }
    void pieces()
    {
        QFETCH(int, pieceSize);
        QString error;
        const QList<Part> parts = readInPieces(kBody, pieceSize, &error);
        QCOMPARE(error, QString());
        QCOMPARE(parts.size(), 3);
        QCOMPARE(parts.at(0).name, QByteArray("priority"));
        QCOMPARE(parts.at(0).body, QByteArray("5"));
        QCOMPARE(parts.at(1).fileName, QByteArray("a.txt"));
        QCOMPARE(parts.at(1).body, QByteArray("line one\r\n--XyX not the end\r\n--X\r\n-"));
        QCOMPARE(parts.at(2).fileName, QByteArray("b.bin"));
        QCOMPARE(parts.at(2).body, QByteArray("\r\n"));
    }

    void boundaryOfContentType()
    {
        QCOMPARE(MultipartReader::boundaryOf("multipart/form-data; boundary=abc"), QByteArray("abc"));
        QCOMPARE(MultipartReader::boundaryOf("multipart/form-data; boundary=\"a b;c\""), QByteArray("a b;c"));
        QCOMPARE(MultipartReader::boundaryOf("multipart/form-data"), QByteArray());
    }

    void brokenForms()
    {
        QString error;
        readInPieces("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nunterminated", 5, &error);
        QCOMPARE(error, u"not finished"_s);
        readInPieces("--XyZ\r\n" + QByteArray(20000, 'h'), 1000, &error);
        QVERIFY2(error.contains(u"headers are over"_s), qPrintable(error));
        readInPieces("--XyZjunk\r\n", 3, &error);
        QVERIFY2(error.contains(u"unexpected"_s), qPrintable(error));
    }

    void callbackStops()
    {
        MultipartReader reader("XyZ");
        reader.onPartBegin = [&](const FormPartHead &head) {
            if (head.name == "file")
                reader.fail(u"no files here"_s);
            return head.name != "file";
        };
        QVERIFY(!reader.feed(kBody));
        QCOMPARE(reader.error(), u"no files here"_s);
    }
};

QTEST_GUILESS_MAIN(TestMultipartReader)
#include "tst_multipartreader.moc"
