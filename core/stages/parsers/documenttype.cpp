// Content-based type detection; see documenttype.h.
#include "documenttype.h"

#include <QFileInfo>
#include <QMimeDatabase>
#include <QMimeType>

namespace Docpipe::Stages {

namespace {

constexpr qsizetype kSniffBytes = 4096;

bool isMarkdownName(const QString &fileName)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    return suffix == u"md" || suffix == u"markdown" || suffix == u"mdown" || suffix == u"mkd";
}

bool isHtmlSuffix(const QString &suffix)
{
    return suffix == u"html" || suffix == u"htm" || suffix == u"xhtml";
}

bool startsWithPdfMagic(const QByteArray &bytes)
{
    // The PDF spec allows junk before the header; readers look within the first 1 KiB.
    return bytes.left(1024).contains("%PDF-");
}

// A DOCX is a ZIP whose entries include word/document.xml; the name appears in the local header
// of the first entries, and in the central directory at the end.
bool looksLikeDocx(const QByteArray &bytes)
{
    if (!bytes.startsWith("PK\x03\x04"))
        return false;
    return bytes.left(64 * 1024).contains("word/") || bytes.right(64 * 1024).contains("word/document.xml");
}

bool looksLikeHtml(const QByteArray &head)
{
    QByteArray probe = head.left(1024).trimmed().toLower();
    if (probe.startsWith("\xef\xbb\xbf"))
        probe = probe.mid(3).trimmed();
    return probe.startsWith("<!doctype html") || probe.startsWith("<html") || probe.startsWith("<head")
        || probe.startsWith("<body") || probe.contains("<html");
}

QString withArticle(const QString &noun)
{
    const bool vowel = !noun.isEmpty() && QStringLiteral("AEIOUaeiou").contains(noun.front());
    return (vowel ? QStringLiteral("an ") : QStringLiteral("a ")) + noun;
}

// Scans and photos of pages, read by OCR (a multi-page TIFF a page per frame).
bool isOcrImage(const QMimeType &mime)
{
    return mime.name() == u"image/png" || mime.name() == u"image/jpeg" || mime.name() == u"image/tiff";
}

DetectedType make(DocumentType type, const QMimeType &mime)
{
    return {type, mime.name(), mime.comment()};
}

} // namespace

DetectedType detectDocumentType(const QByteArray &bytes, const QString &fileName)
{
    QMimeDatabase db;
    if (bytes.isEmpty())
        return {DocumentType::Unsupported, QStringLiteral("application/x-zerosize"), QStringLiteral("empty file")};
    if (startsWithPdfMagic(bytes))
        return make(DocumentType::Pdf, db.mimeTypeForName(QStringLiteral("application/pdf")));
    if (looksLikeDocx(bytes)) {
        return make(DocumentType::Docx,
                    db.mimeTypeForName(
                        QStringLiteral("application/vnd.openxmlformats-officedocument.wordprocessingml.document")));
    }
    // Content only: with the name, QMimeDatabase believes a ".pdf" glob over PNG magic.
    const QByteArray head = bytes.left(kSniffBytes);
    const QMimeType byContent = db.mimeTypeForData(head);
    if (isOcrImage(byContent))
        return make(DocumentType::Image, byContent);
    if (!byContent.inherits(QStringLiteral("text/plain")))
        return {DocumentType::Unsupported, byContent.name(), byContent.comment()};
    // Text from here on; the name may say which kind (Markdown may embed HTML, an HTML fragment
    // may not start with a tag).
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (isMarkdownName(fileName))
        return make(DocumentType::Markdown, db.mimeTypeForName(QStringLiteral("text/markdown")));
    if (isHtmlSuffix(suffix) || byContent.inherits(QStringLiteral("text/html")) || looksLikeHtml(head))
        return make(DocumentType::Html, db.mimeTypeForName(QStringLiteral("text/html")));
    // Other text-based formats (XML, SVG, RTF, scripts) are read as text only when the name says
    // text; otherwise the user learns what the file really is.
    if (byContent.name() == u"text/plain" || suffix == u"txt" || suffix == u"text")
        return make(DocumentType::Text, db.mimeTypeForName(QStringLiteral("text/plain")));
    return {DocumentType::Unsupported, byContent.name(), byContent.comment()};
}

QString documentTypeName(DocumentType type)
{
    switch (type) {
    case DocumentType::Pdf:
        return QStringLiteral("pdf");
    case DocumentType::Docx:
        return QStringLiteral("docx");
    case DocumentType::Html:
        return QStringLiteral("html");
    case DocumentType::Markdown:
        return QStringLiteral("markdown");
    case DocumentType::Text:
        return QStringLiteral("text");
    case DocumentType::Image:
        return QStringLiteral("image");
    case DocumentType::Unsupported:
        break;
    }
    return {};
}

StageError unsupportedTypeError(const DetectedType &detected)
{
    QString what = detected.description.isEmpty() ? detected.mimeName : detected.description;
    if (detected.mimeName == u"application/octet-stream")
        what = QStringLiteral("binary data of an unknown kind");
    else
        what = withArticle(what);
    return StageError::permanent(
        QStringLiteral("unsupported_type"),
        QStringLiteral("the file is %1, not a supported document (%2)").arg(what, supportedFormatsText()));
}

QStringList supportedExtensions()
{
    return {QStringLiteral("pdf"),   QStringLiteral("docx"), QStringLiteral("html"),     QStringLiteral("htm"),
            QStringLiteral("xhtml"), QStringLiteral("md"),   QStringLiteral("markdown"), QStringLiteral("txt"),
            QStringLiteral("text"),  QStringLiteral("png"),  QStringLiteral("jpg"),      QStringLiteral("jpeg"),
            QStringLiteral("tif"),   QStringLiteral("tiff")};
}

QString supportedFormatsText()
{
    return QStringLiteral("PDF, DOCX, HTML, Markdown, text, or a PNG, JPEG or TIFF image");
}

bool isSupportedFileName(const QString &fileName)
{
    return supportedExtensions().contains(QFileInfo(fileName).suffix().toLower());
}

} // namespace Docpipe::Stages
