// DOCX parsing: unzip word/document.xml (capped), then one streaming pass over its elements.
#include "docxparser.h"

#include "stages/parsers/zipreader.h"

#include <QXmlStreamReader>

namespace Docpipe::Stages {

namespace {

constexpr QLatin1StringView kWordNs("http://schemas.openxmlformats.org/wordprocessingml/2006/main");

StageError error(const char *code, const QString &message)
{
    return StageError::permanent(QString::fromLatin1(code), message);
}

// Collects the text of the body as the reader walks it; only the WordprocessingML elements
// that carry text or structure matter, everything else is skipped by name.
class DocxTextBuilder final
{
public:
    explicit DocxTextBuilder(int maxPages)
        : m_maxPages(maxPages)
    {
        m_pages.append(ParsedPage{1, {}});
    }

    bool tooManyPages() const { return m_pages.size() > m_maxPages; }
    QList<ParsedPage> takePages() { return std::move(m_pages); }

    void start(QStringView name, const QXmlStreamAttributes &attributes)
    {
        if (name == u"tc")
            startCell();
        else if (name == u"tab")
            text() += u'\t';
        else if (name == u"br" || name == u"cr")
            lineBreak(attributes.value(kWordNs, QLatin1StringView("type")));
        else if (name == u"pStyle")
            headingPrefix(attributes.value(kWordNs, QLatin1StringView("val")));
        else if (name == u"t")
            m_inText = true;
        else if (name == u"noBreakHyphen")
            text() += u'-';
        else if (name == u"tbl")
            ++m_tableDepth;
        else if (name == u"tr")
            m_cellsInRow = 0;
    }

    void end(QStringView name)
    {
        if (name == u"t")
            m_inText = false;
        else if (name == u"p" && m_tableDepth > 0)
            m_cellParagraphEnded = true;
        else if (name == u"p")
            text() += u'\n';
        else if (name == u"tr")
            endRow();
        else if (name == u"tbl")
            --m_tableDepth;
    }

    void characters(QStringView chars)
    {
        if (!m_inText)
            return;
        if (m_cellParagraphEnded)
            text() += u' ';
        m_cellParagraphEnded = false;
        text() += chars;
    }

private:
    QString &text() { return m_pages.last().text; }

    void lineBreak(QStringView type)
    {
        if (type == u"page") {
            m_pages.append(ParsedPage{int(m_pages.size()) + 1, {}});
        } else if (type != u"column") {
            text() += u'\n';
        }
    }

    void headingPrefix(QStringView style)
    {
        int level = 0;
        if (style == u"Title")
            level = 1;
        else if (style.startsWith(u"Heading") && style.size() == 8 && style[7].isDigit())
            level = style[7].digitValue();
        if (level > 0 && m_tableDepth == 0)
            text() += QString(level, u'#') + u' ';
    }

    // Paragraphs inside a cell are joined by spaces, so each table row stays one line.
    void startCell()
    {
        if (m_cellsInRow++ > 0)
            text() += u'\t';
        m_cellParagraphEnded = false;
    }

    void endRow()
    {
        text() += u'\n';
        m_cellsInRow = 0;
        m_cellParagraphEnded = false;
    }

    QList<ParsedPage> m_pages;
    int m_maxPages;
    int m_tableDepth = 0;
    int m_cellsInRow = 0;
    bool m_inText = false;
    bool m_cellParagraphEnded = false;
};

} // namespace

Result<ParsedDocument> parseDocx(const QByteArray &bytes, const StageContext &context, const ParserLimits &limits)
{
    if (bytes.isEmpty())
        return error("empty_file", QStringLiteral("the file is empty (0 bytes)"));
    const ZipEntryRead entry = readZipEntry(bytes, "word/document.xml", limits.maxDocxXmlBytes);
    switch (entry.status) {
    case ZipEntryRead::Status::Ok:
        break;
    case ZipEntryRead::Status::NotAZip:
        return error("corrupt_docx", QStringLiteral("the DOCX file is damaged: it is not a readable ZIP archive"));
    case ZipEntryRead::Status::MissingEntry:
        return error("corrupt_docx", QStringLiteral("the DOCX file is damaged: word/document.xml is missing"));
    case ZipEntryRead::Status::Corrupt:
        return error("corrupt_docx", QStringLiteral("the DOCX file is damaged: word/document.xml cannot be unpacked"));
    case ZipEntryRead::Status::TooLarge:
        return error("docx_too_large",
                     QStringLiteral("the DOCX text unpacks to more than %1 MiB (a possible zip bomb)")
                         .arg(limits.maxDocxXmlBytes / (1024 * 1024)));
    }

    QXmlStreamReader xml(entry.data);
    DocxTextBuilder builder(limits.maxPages);
    qint64 tokens = 0;
    while (!xml.atEnd()) {
        switch (xml.readNext()) {
        case QXmlStreamReader::StartElement:
            builder.start(xml.name(), xml.attributes());
            break;
        case QXmlStreamReader::EndElement:
            builder.end(xml.name());
            break;
        case QXmlStreamReader::Characters:
            builder.characters(xml.text());
            break;
        default:
            break;
        }
        if ((++tokens & 0xFFFF) == 0) {
            if (context.cancelled())
                return StageError::permanent(QStringLiteral("cancelled"), QStringLiteral("parsing was cancelled"));
            context.progress(xml.characterOffset(), entry.data.size());
            if (builder.tooManyPages())
                break;
        }
    }
    if (builder.tooManyPages()) {
        return error("too_many_pages", QStringLiteral("the DOCX has more than %1 page breaks").arg(limits.maxPages));
    }
    if (xml.hasError()) {
        return error(
            "corrupt_docx",
            QStringLiteral("the DOCX file is damaged: word/document.xml is not valid XML (%1)").arg(xml.errorString()));
    }
    ParsedDocument result;
    result.type = QStringLiteral("docx");
    result.pages = builder.takePages();
    context.progress(entry.data.size(), entry.data.size());
    return result;
}

} // namespace Docpipe::Stages
