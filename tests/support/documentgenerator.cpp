// Good documents and the mixed corpus.
#include "documentgenerator.h"

#include "pdfgenerator.h"
#include "prosegenerator.h"
#include "zipwriter.h"

#include <QDir>
#include <QFile>
#include <QStringEncoder>

namespace Docpipe::Test {

namespace {

// Title plus a few paragraphs per page.
QList<QStringList> prosePages(int pages, quint32 seed)
{
    ProseGenerator prose(seed);
    QList<QStringList> result;
    for (int p = 0; p < pages; ++p) {
        QStringList page{prose.title() + QStringLiteral(" (page %1)").arg(p + 1)};
        const int paragraphs = 3 + (p % 2);
        for (int i = 0; i < paragraphs; ++i)
            page << prose.paragraph(4 + (i + p) % 3);
        result << page;
    }
    return result;
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QString joinPath(const QString &dir, const QString &fileName)
{
    return QDir(dir).filePath(fileName);
}

QString wordParagraph(const QString &text, const QString &style = {})
{
    const QString props = style.isEmpty() ? QString() : u"<w:pPr><w:pStyle w:val=\"" + style + u"\"/></w:pPr>";
    return u"<w:p>" + props + u"<w:r><w:t xml:space=\"preserve\">" + text.toHtmlEscaped() + u"</w:t></w:r></w:p>";
}

QString wordTable(ProseGenerator &prose, QStringList &lines)
{
    QString xml = QStringLiteral("<w:tbl>");
    for (int row = 0; row < 3; ++row) {
        xml += u"<w:tr>";
        QStringList cells;
        for (int col = 0; col < 3; ++col) {
            cells << prose.word() + QString::number(row * 3 + col);
            xml += u"<w:tc>" + wordParagraph(cells.last()) + u"</w:tc>";
        }
        xml += u"</w:tr>";
        lines << cells.join(u'\t');
    }
    return xml + u"</w:tbl>";
}

} // namespace

QString accentedLine()
{
    return QStringLiteral("Caf\u00e9 d\u00e9j\u00e0 vu: na\u00efve fa\u00e7ade at 25 \u00b0C, \u00bd price.");
}

GeneratedDocument writePdf(const QString &dir, const QString &fileName, int pages, quint32 seed)
{
    GeneratedDocument doc{joinPath(dir, fileName), QStringLiteral("pdf"), {}};
    const QList<QStringList> content = prosePages(pages, seed);
    if (paintTextPdf(doc.path, content)) {
        for (const QStringList &page : content)
            doc.pageTexts << page.join(u'\n');
    }
    return doc;
}

QString writeDocxFromBody(const QString &dir, const QString &fileName, const QString &bodyXml)
{
    const QString path = joinPath(dir, fileName);
    const QByteArray document
        = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
          "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
        + bodyXml.toUtf8() + "</w:body></w:document>";
    const ZipEntries entries{
        {"[Content_Types].xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
         "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
         "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
         "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"},
        {"_rels/.rels",
         "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
         "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>"},
        {"word/document.xml", document},
    };
    return writeZip(path, entries) ? path : QString();
}

GeneratedDocument writeDocx(const QString &dir, const QString &fileName, int pages, quint32 seed)
{
    GeneratedDocument doc{{}, QStringLiteral("docx"), {}};
    ProseGenerator prose(seed ^ 0x5eedU);
    QString body;
    const QList<QStringList> content = prosePages(pages, seed);
    for (qsizetype p = 0; p < content.size(); ++p) {
        if (p > 0)
            body += QStringLiteral("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
        QStringList lines{u"# " + content[p].first()};
        body += wordParagraph(content[p].first(), QStringLiteral("Heading1"));
        for (qsizetype i = 1; i < content[p].size(); ++i) {
            body += wordParagraph(content[p][i]);
            lines << content[p][i];
        }
        if (p == 0)
            body += wordTable(prose, lines);
        doc.pageTexts << lines.join(u'\n');
    }
    doc.path = writeDocxFromBody(dir, fileName, body);
    return doc;
}

GeneratedDocument writeHtml(const QString &dir, const QString &fileName, quint32 seed)
{
    const QStringList page = prosePages(1, seed).first();
    QString html = u"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + page.first().toHtmlEscaped()
        + u"</title>\n<style>body { font-family: serif; } p::before { content: 'STYLE'; }</style>\n"
          u"<script>document.write('SCRIPT must not appear'); var x = 1 < 2 && 3 > 2;</script>\n"
          u"</head>\n<body>\n<h1>"
        + page.first().toHtmlEscaped() + u"</h1>\n";
    for (qsizetype i = 1; i < page.size(); ++i)
        html += u"<p>" + page[i].toHtmlEscaped() + u"</p>\n";
    html += u"<p>Caf&eacute; d&#233;j&#xE0; vu: na&iuml;ve fa&ccedil;ade at 25&nbsp;&deg;C, &frac12; price.</p>\n"
            u"<noscript>NOSCRIPT must not appear</noscript>\n</body></html>\n";
    GeneratedDocument doc{joinPath(dir, fileName), QStringLiteral("html"), {}};
    QStringList lines{u"# " + page.first()};
    lines << page.mid(1) << accentedLine();
    doc.pageTexts << lines.join(u'\n');
    if (!writeBytes(doc.path, html.toUtf8()))
        doc.path.clear();
    return doc;
}

GeneratedDocument writeMarkdown(const QString &dir, const QString &fileName, quint32 seed)
{
    const QStringList page = prosePages(1, seed).first();
    QStringList blocks{u"# " + page.first()};
    for (qsizetype i = 1; i < page.size(); ++i) {
        if (i == 2)
            blocks << QStringLiteral("## Details");
        blocks << page[i];
    }
    blocks << accentedLine();
    GeneratedDocument doc{
        joinPath(dir, fileName), QStringLiteral("markdown"), {blocks.join(QStringLiteral("\n\n")) + u'\n'}};
    if (!writeBytes(doc.path, doc.pageTexts.first().toUtf8()))
        doc.path.clear();
    return doc;
}

GeneratedDocument writeText(const QString &dir, const QString &fileName, quint32 seed, TextEncoding encoding)
{
    QStringList lines = prosePages(1, seed).first();
    lines << accentedLine();
    const QString text = lines.join(u'\n') + u'\n';
    QByteArray bytes;
    switch (encoding) {
    case TextEncoding::Utf8:
        bytes = text.toUtf8();
        break;
    case TextEncoding::Utf8Bom:
        bytes = "\xEF\xBB\xBF" + text.toUtf8();
        break;
    case TextEncoding::Latin1:
        bytes = text.toLatin1();
        break;
    case TextEncoding::Utf16LE:
        bytes = QStringEncoder(QStringEncoder::Utf16LE, QStringEncoder::Flag::WriteBom).encode(text);
        break;
    case TextEncoding::Utf16BE:
        bytes = QStringEncoder(QStringEncoder::Utf16BE, QStringEncoder::Flag::WriteBom).encode(text);
        break;
    }
    GeneratedDocument doc{joinPath(dir, fileName), QStringLiteral("text"), {text}};
    if (!writeBytes(doc.path, bytes))
        doc.path.clear();
    return doc;
}

QList<GeneratedDocument> generateMixedCorpus(const QString &dir, int count, quint32 seed, int longPdfPages)
{
    QList<GeneratedDocument> docs;
    if (!QDir().mkpath(dir))
        return docs;
    for (int i = 0; i < count; ++i) {
        const quint32 docSeed = seed * 7919U + quint32(i);
        const QString base = QStringLiteral("doc-%1").arg(i + 1, 4, 10, QLatin1Char('0'));
        if (i == 0) {
            docs << writePdf(dir, base + u".pdf", longPdfPages, docSeed);
            continue;
        }
        switch (i % 5) {
        case 0:
            docs << writePdf(dir, base + u".pdf", 1 + i % 4, docSeed);
            break;
        case 1:
            docs << writeDocx(dir, base + u".docx", 1 + i % 3, docSeed);
            break;
        case 2:
            docs << writeHtml(dir, base + u".html", docSeed);
            break;
        case 3:
            docs << writeMarkdown(dir, base + u".md", docSeed);
            break;
        default:
            docs << writeText(dir, base + u".txt", docSeed);
            break;
        }
    }
    return docs;
}

QByteArray readFileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace Docpipe::Test
