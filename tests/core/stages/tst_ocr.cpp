// OCR of pages without text, on generated scans: words recovered above a stated rate (clean at the
// default 300 dpi, askew by 2 degrees, specked); a mixed PDF OCRs only its image pages and leaves
// text pages as their text layer says; PNG, JPEG and TIFF images are one-page documents, and each
// frame of a multi-page TIFF its own page (read by the same rules as a PDF's pages); an image
// or a scanned PDF that holds no text ends `no_text_layer`, as does any scan when OCR is off; a
// missing language names itself; a page read with low confidence gives a warning; huge or
// damaged images fail with their own code; a cancelled job stops OCR; several threads OCR at once
// (one Tesseract each).
#include "documentgenerator.h"
#include "prosegenerator.h"
#include "scangenerator.h"

#include "stages/parsers/localparser.h"
#include "stages/parsers/ocrengine.h"
#include "stages/parsers/pdfparser.h"

#include <QBuffer>
#include <QtConcurrent/QtConcurrentMap>
#include <QTemporaryDir>
#include <QThread>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Stages;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

// What OCR is held to: share of the generated words (with repeats) found again. Tesseract's CLI
// reads clean 200-dpi renders of ordinary pages at ~99% (TOOLCHAIN notes).
constexpr double kMinRecallClean = 0.97;
constexpr double kMinRecallDamaged = 0.92;

QString prose(quint32 seed, int paragraphs)
{
    ProseGenerator generator(seed);
    QStringList text;
    for (int i = 0; i < paragraphs; ++i)
        text << generator.paragraph(4);
    return text.join(u"\n\n"_s);
}

QByteArray encoded(const QImage &image, const char *format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

// The tests' scans are 200 dpi; reading them at 200 is faster than the 300-dpi default.
OcrConfig fastOcr()
{
    OcrConfig ocr;
    ocr.dpi = 200;
    return ocr;
}

QString errorOf(const Result<ParsedDocument> &parsed)
{
    return parsed ? QString() : parsed.error().code + u": "_s + parsed.error().message;
}

} // namespace

class tst_Ocr final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void scannedPdfIsRead_data();
    void scannedPdfIsRead();
    void mixedPdfOcrsOnlyImagePages();
    void shortPagesWithNothingMoreToReadAreNotOcred();
    void imagesAreOnePageDocuments_data();
    void imagesAreOnePageDocuments();
    void multipageTiffFramesAreTheirOwnPages();
    void multipageTiffWithABlankFrame();
    void noTextEndsNoTextLayer_data();
    void noTextEndsNoTextLayer();
    void missingLanguageIsNamed();
    void lowConfidenceWarns();
    void hostileImages_data();
    void hostileImages();
    void cancelStopsOcr();
    void parallelThreadsEachHaveTheirOwn();
    void threadsTakingTurnsShareOneTesseract();

private:
    QTemporaryDir m_dir;
};

void tst_Ocr::scannedPdfIsRead_data()
{
    QTest::addColumn<int>("dpi");
    QTest::addColumn<double>("rotation");
    QTest::addColumn<double>("specks");
    QTest::addColumn<double>("minRecall");
    QTest::newRow("clean, default 300 dpi") << OcrConfig{}.dpi << 0.0 << 0.0 << kMinRecallClean;
    QTest::newRow("askew 2 degrees") << 200 << 2.0 << 0.0 << kMinRecallDamaged;
    QTest::newRow("specked") << 200 << 0.0 << 0.002 << kMinRecallDamaged;
}

void tst_Ocr::scannedPdfIsRead()
{
    QFETCH(int, dpi);
    QFETCH(double, rotation);
    QFETCH(double, specks);
    QFETCH(double, minRecall);
    const QString text = prose(7, 3);
    const QString path = m_dir.filePath(u"scan-%1-%2-%3.pdf"_s.arg(dpi).arg(rotation).arg(specks));
    QVERIFY(writeMixedPdf(path, {u"SCAN:"_s + text}, {200, rotation, specks, 3}));
    OcrConfig ocr;
    ocr.dpi = dpi;
    const auto parsed = LocalParser({}, ocr).parse({readFileBytes(path), u"scan.pdf"_s}, {});
    QVERIFY2(parsed, qPrintable(errorOf(parsed)));
    QCOMPARE(parsed.value().type, u"pdf"_s);
    QCOMPARE(parsed.value().pages.size(), 1);
    const ParsedPage &page = parsed.value().pages.first();
    QVERIFY(page.ocr);
    QVERIFY(page.ocrConfidence > 0 && page.ocrConfidence <= 100);
    const double recall = wordRecall(text, page.text);
    qInfo("%s: %.1f%% of %lld words recovered, mean confidence %d", QTest::currentDataTag(), recall * 100,
          qlonglong(wordsOf(text).size()), page.ocrConfidence);
    QVERIFY2(recall >= minRecall, qPrintable(u"recall %1; read: %2"_s.arg(recall).arg(page.text.left(300))));
}

void tst_Ocr::mixedPdfOcrsOnlyImagePages()
{
    QStringList texts;
    for (quint32 seed = 1; seed <= 6; ++seed)
        texts << prose(seed, 2);
    QStringList entries = texts;
    entries[1] = u"SCAN:"_s + texts[1];
    entries[4] = u"SCAN:"_s + texts[4];
    const QString path = m_dir.filePath(u"mixed.pdf"_s);
    QVERIFY(writeMixedPdf(path, entries));
    const auto parsed = parsePdf(readFileBytes(path), {}, {}, fastOcr());
    QVERIFY2(parsed, qPrintable(errorOf(parsed)));
    const QList<ParsedPage> &pages = parsed.value().pages;
    QCOMPARE(pages.size(), 6);
    for (int i = 0; i < pages.size(); ++i) {
        const bool scanned = i == 1 || i == 4;
        QCOMPARE(pages.at(i).ocr, scanned);
        QCOMPARE(pages.at(i).ocrConfidence >= 0, scanned);
        const double recall = wordRecall(texts.at(i), pages.at(i).text);
        QVERIFY2(recall >= (scanned ? kMinRecallClean : 1.0),
                 qPrintable(u"page %1: recall %2; %3"_s.arg(i + 1).arg(recall).arg(pages.at(i).text.left(200))));
    }
    QVERIFY2(parsed.value().warnings.isEmpty(), qPrintable(parsed.value().warnings.join(u'\n')));
}

void tst_Ocr::imagesAreOnePageDocuments_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QString>("fileName");
    QTest::newRow("png") << QByteArray("PNG") << u"photo.png"_s;
    QTest::newRow("jpeg") << QByteArray("JPEG") << u"photo.jpg"_s;
    QTest::newRow("tiff, named .bin") << QByteArray("TIFF") << u"scan.bin"_s;
}

void tst_Ocr::imagesAreOnePageDocuments()
{
    QFETCH(QByteArray, format);
    QFETCH(QString, fileName);
    QByteArray bytes;
    const QString text = prose(9, 2);
    if (format == "TIFF") {
        // Qt's TIFF writer is a plugin that may be missing; Leptonica writes one.
        bytes = tiffOf(renderScan(text));
        QVERIFY(!bytes.isEmpty());
    } else {
        bytes = encoded(renderScan(text), format.constData());
    }
    const auto parsed = LocalParser({}, fastOcr()).parse({bytes, fileName}, {});
    QVERIFY2(parsed, qPrintable(errorOf(parsed)));
    QCOMPARE(parsed.value().type, u"image"_s);
    QCOMPARE(parsed.value().pages.size(), 1);
    QVERIFY(parsed.value().pages.first().ocr);
    const double recall = wordRecall(text, parsed.value().pages.first().text);
    QVERIFY2(recall >= kMinRecallClean, qPrintable(u"recall %1"_s.arg(recall)));
}

// A scanner's document feeder writes one TIFF of many frames: each frame's words come back on its
// own page, with progress page by page.
void tst_Ocr::multipageTiffFramesAreTheirOwnPages()
{
    const QStringList texts{prose(61, 1), prose(62, 1), prose(63, 1)};
    QList<QImage> scans;
    for (const QString &text : texts)
        scans << renderScan(text);
    const QByteArray tiff = multipageTiffOf(scans);
    QVERIFY(!tiff.isEmpty());
    QList<QPair<qint64, qint64>> progress;
    StageContext context;
    context.reportProgress = [&](qint64 done, qint64 total) { progress.append({done, total}); };
    const auto parsed = LocalParser({}, fastOcr()).parse({tiff, u"feeder.tif"_s}, context);
    QVERIFY2(parsed, qPrintable(errorOf(parsed)));
    QCOMPARE(parsed.value().type, u"image"_s);
    const QList<ParsedPage> &pages = parsed.value().pages;
    QCOMPARE(pages.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(pages.at(i).number, i + 1);
        QVERIFY(pages.at(i).ocr);
        const double recall = wordRecall(texts.at(i), pages.at(i).text);
        QVERIFY2(recall >= kMinRecallClean, qPrintable(u"page %1: recall %2"_s.arg(i + 1).arg(recall)));
        for (int other = 0; other < 3; ++other) {
            if (other != i) // another page's text would share common words only
                QVERIFY(wordRecall(texts.at(other), pages.at(i).text) < 0.6);
        }
    }
    QCOMPARE(progress, (QList<QPair<qint64, qint64>>{{1, 3}, {2, 3}, {3, 3}}));
    QVERIFY2(parsed.value().warnings.isEmpty(), qPrintable(parsed.value().warnings.join(u'\n')));
    QCOMPARE(
        LocalParser({}, fastOcr()).parse({multipageTiffOf(scans.mid(0, 1)), u"one.tif"_s}, {}).value().pages.size(), 1);
    ParserLimits twoPages;
    twoPages.maxPages = 2;
    const auto tooMany = LocalParser(twoPages, fastOcr()).parse({tiff, u"feeder.tif"_s}, {});
    QVERIFY(!tooMany);
    QCOMPARE(tooMany.error().code, u"too_many_pages"_s);
}

// A blank frame (the back of a sheet) is a page without text, named in a warning as a PDF's is;
// the document is no_text_layer only when no frame has text.
void tst_Ocr::multipageTiffWithABlankFrame()
{
    QImage blank(1654, 2339, QImage::Format_Grayscale8);
    blank.fill(Qt::white);
    const QString text = prose(64, 1);
    OcrConfig ocr = fastOcr();
    ocr.minConfidence = 100; // no real page reaches it
    const auto parsed = LocalParser({}, ocr).parse({multipageTiffOf({blank, renderScan(text)}), u"sheet.tif"_s}, {});
    QVERIFY2(parsed, qPrintable(errorOf(parsed)));
    const QList<ParsedPage> &pages = parsed.value().pages;
    QCOMPARE(pages.size(), 2);
    QVERIFY(!pages.at(0).ocr);
    QVERIFY(pages.at(0).text.isEmpty());
    QVERIFY(pages.at(1).ocr);
    QVERIFY(wordRecall(text, pages.at(1).text) >= kMinRecallClean);
    QCOMPARE(parsed.value().warnings,
             (QStringList{u"page 2 (%1%) was read by OCR with a mean confidence below ocr/min_confidence (100%)"_s.arg(
                              pages.at(1).ocrConfidence),
                          u"1 of 2 pages have no extractable text (pages 1)"_s}));
}

// A blank page, a page number alone and a heading alone have too little text for the layer to be
// trusted, but nothing beside it that Tesseract could read: they are not rendered for OCR (each
// render would hold its memory and cost Tesseract's time), while the scan among them is.
void tst_Ocr::shortPagesWithNothingMoreToReadAreNotOcred()
{
    const QString scanText = prose(40, 1);
    const QString path = m_dir.filePath(u"short-pages.pdf"_s);
    QVERIFY(writeMixedPdf(path, {prose(41, 2), QString(), u"17"_s, u"Chapter 4"_s, u"SCAN:"_s + scanText}));
    int renders = 0;
    StageContext context;
    context.reserveMemory = [&renders](qint64) -> std::optional<MemoryHold> {
        ++renders;
        return MemoryHold();
    };
    const auto parsed = parsePdf(readFileBytes(path), context, {}, fastOcr());
    QVERIFY2(parsed, qPrintable(errorOf(parsed)));
    const QList<ParsedPage> &pages = parsed.value().pages;
    QCOMPARE(pages.size(), 5);
    QCOMPARE(renders, 1);
    for (int i = 0; i < 4; ++i)
        QVERIFY2(!pages.at(i).ocr, qPrintable(u"page %1"_s.arg(i + 1)));
    QCOMPARE(pages.at(2).furniture, QStringList{u"17"_s}); // a page number: kept aside by the cleaner
    QCOMPARE(pages.at(3).text, u"Chapter 4"_s);
    QVERIFY(pages.at(4).ocr);
    QVERIFY(wordRecall(scanText, pages.at(4).text) >= kMinRecallClean);
}

void tst_Ocr::noTextEndsNoTextLayer_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("ocrOn");
    QTest::addColumn<QString>("says");
    QImage blank(1654, 2339, QImage::Format_Grayscale8);
    blank.fill(Qt::white);
    const QString scan = m_dir.filePath(u"blank-scan.pdf"_s);
    QVERIFY(writeMixedPdf(scan, {u"SCAN:"_s, u"SCAN:"_s}));
    const QString words = m_dir.filePath(u"words-scan.pdf"_s);
    QVERIFY(writeMixedPdf(words, {u"SCAN:"_s + prose(11, 1)}));
    QTest::newRow("blank image") << encoded(blank, "PNG") << true
                                 << u"the image holds no text layer; OCR found no text"_s;
    QTest::newRow("blank multi-page TIFF")
        << multipageTiffOf({blank, blank}) << true << u"the image holds no text layer; OCR found no text"_s;
    QTest::newRow("blank scanned PDF") << readFileBytes(scan) << true << u"OCR found no text either"_s;
    QTest::newRow("OCR off: scanned PDF") << readFileBytes(words) << false << u"OCR is turned off (ocr/enabled)"_s;
    QTest::newRow("OCR off: image") << encoded(renderScan(prose(12, 1)), "PNG") << false
                                    << u"OCR is turned off (ocr/enabled)"_s;
}

void tst_Ocr::noTextEndsNoTextLayer()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, ocrOn);
    QFETCH(QString, says);
    OcrConfig ocr = fastOcr();
    ocr.enabled = ocrOn;
    const auto parsed = LocalParser({}, ocr).parse({bytes, u"x"_s}, {});
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, u"no_text_layer"_s);
    QVERIFY(!parsed.error().isTransient());
    QVERIFY2(parsed.error().message.contains(says), qPrintable(parsed.error().message));
    QVERIFY(!parsed.error().message.contains(u"not supported"_s));
}

void tst_Ocr::missingLanguageIsNamed()
{
    OcrConfig ocr = fastOcr();
    ocr.languages = u"eng+zzz"_s; // no tesseract-ocr-zzz anywhere
    const auto parsed = LocalParser({}, ocr).parse({encoded(renderScan(prose(13, 1)), "PNG"), u"a.png"_s}, {});
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, u"ocr_language"_s);
    QVERIFY(!parsed.error().isTransient());
    const QString message = parsed.error().message;
    QVERIFY2(message.contains(u"no language data for zzz "_s) && message.contains(u"tesseract-ocr-zzz"_s),
             qPrintable(message));
}

void tst_Ocr::lowConfidenceWarns()
{
    const QString path = m_dir.filePath(u"lowconf.pdf"_s);
    QVERIFY(writeMixedPdf(path, {prose(20, 1), u"SCAN:"_s + prose(21, 2)}));
    OcrConfig ocr = fastOcr();
    ocr.minConfidence = 100; // no real page reaches it
    const auto parsed = parsePdf(readFileBytes(path), {}, {}, ocr);
    QVERIFY2(parsed, qPrintable(errorOf(parsed)));
    QVERIFY(!parsed.value().pages.at(0).ocr);
    QVERIFY(parsed.value().pages.at(1).ocr);
    const QString expected
        = u"page 2 (%1%) was read by OCR with a mean confidence below ocr/min_confidence (100%)"_s.arg(
            parsed.value().pages.at(1).ocrConfidence);
    QCOMPARE(parsed.value().warnings, QStringList{expected});
}

void tst_Ocr::hostileImages_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("code");
    QImage huge(12000, 10100, QImage::Format_Mono); // 121 million pixels, a small file
    huge.fill(1);
    const QByteArray png = encoded(renderScan(prose(14, 1)), "PNG");
    QTest::newRow("121 megapixels") << encoded(huge, "PNG") << u"image_too_large"_s;
    QTest::newRow("cut short") << png.left(png.size() / 3) << u"corrupt_image"_s;
    QTest::newRow("header only") << png.left(40) << u"corrupt_image"_s;
    const QByteArray frames = multipageTiffOf({renderScan(prose(16, 1)), renderScan(prose(17, 1))});
    // Cut in its first frame. (Cut in a later one, libtiff reads a shorter file: it cannot tell a
    // broken chain of frames from its end.)
    QTest::newRow("multi-page TIFF cut short") << frames.left(frames.size() / 4) << u"corrupt_image"_s;
}

// Read through the header first: a huge image is refused before it is decoded, a damaged one
// fails with its own code.
void tst_Ocr::hostileImages()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, code);
    const auto parsed = LocalParser({}, fastOcr()).parse({bytes, u"hostile.png"_s}, {});
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, code);
    QVERIFY(!parsed.error().isTransient());
}

void tst_Ocr::cancelStopsOcr()
{
    StageContext cancelled;
    cancelled.isCancelled = [] { return true; };
    const auto parsed
        = LocalParser({}, fastOcr()).parse({encoded(renderScan(prose(15, 3)), "PNG"), u"a.png"_s}, cancelled);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, u"cancelled"_s);
}

void tst_Ocr::parallelThreadsEachHaveTheirOwn()
{
    const QString path = m_dir.filePath(u"parallel.pdf"_s);
    QVERIFY(writeMixedPdf(path, {u"SCAN:"_s + prose(30, 1)}));
    const QByteArray bytes = readFileBytes(path);
    QThreadPool pool;
    pool.setMaxThreadCount(2);
    const QList<int> runs{0, 1, 2, 3};
    const QList<QString> texts = QtConcurrent::blockingMapped(&pool, runs, [&](int) {
        const auto parsed = parsePdf(bytes, {}, {}, fastOcr());
        return parsed ? parsed.value().pages.at(0).text : QString();
    });
    for (const QString &text : texts) {
        QVERIFY(!text.isEmpty());
        QCOMPARE(text, texts.first()); // the same bytes read the same on every thread
    }
}

// A Tesseract holds about 20 MB: pages read one after another on different threads (the engine's
// parse tasks land on any of its pool's threads) borrow the idle instance instead of making one each.
void tst_Ocr::threadsTakingTurnsShareOneTesseract()
{
    const QString path = m_dir.filePath(u"turns.pdf"_s);
    QVERIFY(writeMixedPdf(path, {u"SCAN:"_s + prose(12, 4)}));
    const QByteArray bytes = readFileBytes(path);
    QVERIFY(parsePdf(bytes, {}, {}, fastOcr())); // an idle instance exists from here on
    const int before = ocrEnginesMade();
    for (int turn = 0; turn < 4; ++turn) {
        bool read = false;
        std::unique_ptr<QThread> thread(QThread::create([&] {
            const auto parsed = parsePdf(bytes, {}, {}, fastOcr());
            read = parsed && parsed.value().pages.at(0).ocr;
        }));
        thread->start();
        QVERIFY(thread->wait(120000));
        QVERIFY(read);
    }
    QCOMPARE(ocrEnginesMade(), before);
}

QTEST_MAIN(tst_Ocr) // painting the scans needs fonts, so a QGuiApplication
#include "tst_ocr.moc"
