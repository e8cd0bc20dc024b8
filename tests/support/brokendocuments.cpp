// Broken and hostile documents for the parsers' failure paths.
#include "documentgenerator.h"

#include "pdfgenerator.h"
#include "prosegenerator.h"
#include "zipwriter.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QRandomGenerator>

namespace Docpipe::Test {

namespace {

QString joinPath(const QString &dir, const QString &fileName)
{
    return QDir(dir).filePath(fileName);
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QString writeOrEmpty(const QString &path, const QByteArray &bytes)
{
    return writeBytes(path, bytes) ? path : QString();
}

QByteArray goodPdfBytes(const QString &dir, quint32 seed)
{
    const QString scratch = joinPath(dir, QStringLiteral(".scratch-%1.pdf").arg(seed));
    writePdf(dir, QStringLiteral(".scratch-%1.pdf").arg(seed), 3, seed);
    const QByteArray bytes = readFileBytes(scratch);
    QFile::remove(scratch);
    return bytes;
}

} // namespace

QString writeEmptyFile(const QString &dir, const QString &fileName)
{
    return writeOrEmpty(joinPath(dir, fileName), {});
}

QString writeTruncatedPdf(const QString &dir, const QString &fileName, quint32 seed)
{
    const QByteArray bytes = goodPdfBytes(dir, seed);
    return writeOrEmpty(joinPath(dir, fileName), bytes.left(bytes.size() / 3));
}

QString writeBitFlippedPdf(const QString &dir, const QString &fileName, quint32 seed)
{
    QByteArray bytes = goodPdfBytes(dir, seed);
    QRandomGenerator random(seed);
    // Keep the "%PDF-" header so the file is still recognised as a PDF, damage everything else.
    for (qsizetype i = 16; i < bytes.size(); i += 23)
        bytes[i] = char(bytes[i] ^ char(1 << random.bounded(8)));
    return writeOrEmpty(joinPath(dir, fileName), bytes);
}

QString writeEncryptedPdf(const QString &dir, const QString &fileName)
{
    const QString path = joinPath(dir, fileName);
    QFile::remove(path);
    return QFile::copy(QStringLiteral(DOCPIPE_TEST_DATA_DIR "/encrypted.pdf"), path) ? path : QString();
}

QString writeImageOnlyPdf(const QString &dir, const QString &fileName, int pages)
{
    const QString path = joinPath(dir, fileName);
    return paintImagePdf(path, pages) ? path : QString();
}

QString writePngNamedPdf(const QString &dir, const QString &fileName)
{
    QImage image(32, 32, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return writeOrEmpty(joinPath(dir, fileName), png);
}

QString writeGifNamedPdf(const QString &dir, const QString &fileName)
{
    // A 1x1 GIF89a: Qt reads GIF but cannot write it.
    static const QByteArray gif = QByteArray::fromHex("4749463839610100010080000000000000ffffff21f90401000000002c"
                                                      "00000000010001000002024401003b");
    return writeOrEmpty(joinPath(dir, fileName), gif);
}

QString writeZipBombDocx(const QString &dir, const QString &fileName, qint64 uncompressedBytes, bool honestSize)
{
    const QByteArray prefix
        = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
          "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
    const QByteArray suffix = "</w:body></w:document>";
    // Long runs of one letter: deflate codes them at its best ratio (about 1000:1).
    const QByteArray paragraph = "<w:p><w:r><w:t>" + QByteArray(64 * 1024, 'z') + "</w:t></w:r></w:p>";
    const QByteArray block = paragraph.repeated(16);
    const qint64 repeats = std::max<qint64>(1, uncompressedBytes / block.size());
    const ZipEntries entries{{"[Content_Types].xml", "<Types/>"}};
    const QString path = joinPath(dir, fileName);
    return writeZipWithBomb(path, entries, "word/document.xml", prefix, block, repeats, suffix, honestSize) ? path
                                                                                                            : QString();
}

QString writeCorruptDocx(const QString &dir, const QString &fileName)
{
    // A real DOCX cut short: the local headers are there, the central directory is not.
    const QString path = writeDocx(dir, fileName, 2, 7).path;
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadWrite))
        return {};
    const qint64 size = file.size();
    file.resize(size / 2);
    return path;
}

QString writeInvalidUtf8Text(const QString &dir, const QString &fileName)
{
    ProseGenerator prose(99);
    QByteArray bytes = prose.paragraph(6).toUtf8() + "\n" + accentedLine().toUtf8() + "\n";
    bytes += "Broken bytes here: \xC3\x28 and \xFF and a cut sequence \xE2\x82.\n";
    bytes += QStringLiteral("More valid UTF-8: \u00e9t\u00e9, \u00fcber, \u20ac5.\n").toUtf8();
    return writeOrEmpty(joinPath(dir, fileName), bytes);
}

QString writeNestedHtml(const QString &dir, const QString &fileName, int depth)
{
    const QString path = joinPath(dir, fileName);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write("<!DOCTYPE html><html><body>");
    const QByteArray open = QByteArray("<div>").repeated(1000);
    const QByteArray close = QByteArray("</div>").repeated(1000);
    for (int i = 0; i < depth / 1000; ++i)
        file.write(open);
    file.write("Deep inside the nesting.");
    for (int i = 0; i < depth / 1000; ++i)
        file.write(close);
    file.write("</body></html>\n");
    return path;
}

QStringList writeAwkwardlyNamedFiles(const QString &dir, quint32 seed)
{
    const QStringList names{
        QStringLiteral("line\nbreak.txt"),
        QStringLiteral("quote's \"double\".txt"),
        QStringLiteral("$(touch pwned) `id`.md"),
        QStringLiteral("semi;colon & ampersand | pipe.txt"),
        QStringLiteral("-leading-dash.txt"),
        QStringLiteral("\u00fcn\u00efc\u00f8d\u00e9 \u0444\u0430\u0439\u043b.md"),
    };
    QStringList paths;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const bool markdown = names[i].endsWith(u".md");
        const GeneratedDocument doc
            = markdown ? writeMarkdown(dir, names[i], seed + quint32(i)) : writeText(dir, names[i], seed + quint32(i));
        paths << doc.path;
    }
    return paths;
}

QList<BadDocument> generateBadCorpus(const QString &dir)
{
    if (!QDir().mkpath(dir))
        return {};
    return {
        {writeEmptyFile(dir, QStringLiteral("empty.txt")), QStringLiteral("empty_file")},
        {writeTruncatedPdf(dir, QStringLiteral("truncated.pdf"), 11), QStringLiteral("corrupt_pdf")},
        {writeBitFlippedPdf(dir, QStringLiteral("bitflipped.pdf"), 12), QStringLiteral("corrupt_pdf")},
        {writeEncryptedPdf(dir, QStringLiteral("encrypted.pdf")), QStringLiteral("encrypted_pdf")},
        // Read by OCR: a scan is no longer bad input, and a picture without words is no_text_layer.
        {writeImageOnlyPdf(dir, QStringLiteral("scanned.pdf"), 2), QString()},
        {writePngNamedPdf(dir, QStringLiteral("picture.pdf")), QStringLiteral("no_text_layer")},
        {writeGifNamedPdf(dir, QStringLiteral("animation.pdf")), QStringLiteral("unsupported_type")},
        {writeZipBombDocx(dir, QStringLiteral("zipbomb.docx")), QStringLiteral("docx_too_large")},
        {writeCorruptDocx(dir, QStringLiteral("corrupt.docx")), QStringLiteral("corrupt_docx")},
        {writeInvalidUtf8Text(dir, QStringLiteral("invalid-utf8.txt")), QString()},
        {writeNestedHtml(dir, QStringLiteral("nested.html")), QString()},
    };
}

} // namespace Docpipe::Test
