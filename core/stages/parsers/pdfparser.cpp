// PDF parsing through poppler-qt6. Poppler objects never cross threads here: each call loads its
// own Document from the bytes and drops it before returning.
#include "pdfparser.h"

#include "logging.h"
#include "ocrreport.h"
#include "pdfpageocr.h"
#include "pdfpagetext.h"
#include "pdftextcleaner.h"

#include <poppler-qt6.h>

#include <QImage>
#include <QRectF>

#include <mutex>

namespace Docpipe::Stages {

namespace {

// Poppler reports syntax problems through one process-wide callback, on the thread doing the
// work; a thread-local counter therefore tells this call how damaged its own file was.
thread_local int t_popplerErrors = 0;

void popplerMessage(const QString &message, const QVariant &)
{
    ++t_popplerErrors;
    qCDebug(lcStages) << "poppler:" << message;
}

// A one-page PDF with one word, used to warm poppler up once.
constexpr char kTinyPdf[]
    = "%PDF-1.4\n"
      "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
      "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
      "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>endobj\n"
      "4 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
      "5 0 obj<</Length 35>>stream\nBT /F1 12 Tf 20 100 Td (warm) Tj ET\nendstream endobj\n"
      "trailer<</Root 1 0 R>>\n%%EOF\n";

// Poppler builds some process-wide state lazily (global params, font and colour-management
// statics created on first use without a lock). Doing one extraction (and one render) under
// call_once, before any parallel use, makes later concurrent calls with separate Documents safe.
void initPopplerOnce()
{
    static std::once_flag once;
    std::call_once(once, [] {
        Poppler::setDebugErrorFunction(popplerMessage, QVariant());
        const auto doc = Poppler::Document::loadFromData(QByteArray(kTinyPdf));
        if (doc && doc->numPages() > 0) {
            if (const auto page = doc->page(0)) {
                (void)page->text(QRectF());
                (void)page->renderToImage(18, 18); // the renderer's statics too: OCR renders pages
            }
        }
    });
}

// Poppler keeps what it built for each page it read (page objects, fonts, annotations) as long as
// the document lives, so a long manual's parse grows with every page. Reading the pages in runs
// with a fresh document for each run bounds that, but a fresh document walks its page tree again
// up to the run's first page. Measured on R's 2,415-page reference manual (words of every page,
// mimalloc): never reloaded 86 MB peak, every 1,024 pages 71 MB, every 256 pages 67 MB but 5-8 %
// more CPU time.
constexpr int kPagesPerDocumentLoad = 1024;

StageError error(const char *code, const QString &message)
{
    return StageError::permanent(QString::fromLatin1(code), message);
}

bool isBlank(const QString &text)
{
    for (const QChar c : text) {
        if (!c.isSpace())
            return false;
    }
    return true;
}

} // namespace

Result<ParsedDocument> parsePdf(const QByteArray &bytes, const StageContext &context, const ParserLimits &limits,
                                const OcrConfig &ocr)
{
    initPopplerOnce();
    if (bytes.isEmpty())
        return error("empty_file", QStringLiteral("the file is empty (0 bytes)"));

    t_popplerErrors = 0;
    auto doc = Poppler::Document::loadFromData(bytes);
    if (!doc)
        return error("corrupt_pdf", QStringLiteral("the PDF is damaged and cannot be opened"));
    if (doc->isLocked())
        return error("encrypted_pdf", QStringLiteral("the PDF is encrypted and needs a password"));
    const int total = doc->numPages();
    if (total <= 0)
        return error("corrupt_pdf", QStringLiteral("the PDF is damaged: no pages could be found"));
    if (total > limits.maxPages) {
        return error("too_many_pages",
                     QStringLiteral("the PDF has %1 pages, more than the limit of %2").arg(total).arg(limits.maxPages));
    }

    ParsedDocument result;
    result.type = QStringLiteral("pdf");
    result.pages.reserve(total);
    QList<int> blankPages;
    for (int i = 0; i < total; ++i) {
        if (context.cancelled())
            return StageError::permanent(QStringLiteral("cancelled"), QStringLiteral("parsing was cancelled"));
        if (i > 0 && i % kPagesPerDocumentLoad == 0) {
            doc.reset(); // first drop the old document's caches, then load a fresh one
            doc = Poppler::Document::loadFromData(bytes);
            if (!doc || doc->numPages() != total)
                return error("corrupt_pdf", QStringLiteral("the PDF could not be opened again at page %1").arg(i + 1));
        }
        ParsedPage page;
        page.number = i + 1;
        if (const auto popplerPage = doc->page(i)) {
            const QList<PdfWord> words = pageWords(*popplerPage);
            page.text = layoutPageText(words);
            if (auto read = ocrPdfPageIfNeeded(*popplerPage, words, page, ocr, context); !read)
                return read.error();
        }
        if (isBlank(page.text))
            blankPages << page.number;
        result.pages << std::move(page);
        context.progress(i + 1, total);
    }

    cleanPdfPages(result.pages); // running heads, page numbers, hyphenated words: needs every page

    if (blankPages.size() == total) {
        if (t_popplerErrors > 0)
            return error("corrupt_pdf", QStringLiteral("the PDF is damaged: no text could be read from any page"));
        return error(
            "no_text_layer",
            QStringLiteral("the PDF has no text layer (scanned or image-only pages); %1").arg(whyOcrFoundNoText(ocr)));
    }
    if (const QString low = lowConfidenceWarning(result.pages, ocr); !low.isEmpty())
        result.warnings << low;
    // Poppler also reports harmless syntax warnings, so damage is only mentioned when it may
    // explain pages without text.
    if (!blankPages.isEmpty()) {
        result.warnings << pagesWithoutTextWarning(blankPages, total)
                + (t_popplerErrors > 0 ? QStringLiteral("; the PDF is damaged in places") : QString());
    }
    return result;
}

} // namespace Docpipe::Stages
