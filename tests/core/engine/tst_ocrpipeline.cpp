// OCR through the real engine and store, on SQLite and PostgreSQL: a PDF of ten text pages and two
// scanned ones OCRs only those two, and its page records say so with their confidence; a photo of
// a page (PNG) is a one-page document; pages read below ocr/min_confidence leave a warning event;
// a blank image fails `no_text_layer` without claiming OCR is missing.
#include "pipelinerun.h"
#include "prosegenerator.h"
#include "scangenerator.h"
#include "testdatabase.h"

#include "store/jobqueries.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int kPages = 12;
const QList<int> kScannedPages{4, 11}; // 1-based

QString prose(quint32 seed)
{
    ProseGenerator generator(seed);
    return generator.paragraph(4) + u"\n\n"_s + generator.paragraph(4);
}

bool writePng(const QString &path, const QImage &image)
{
    return image.save(path, "PNG");
}

Store::JobRecord jobNamed(const Store::Database &db, const QString &name)
{
    const auto jobs = Store::listJobs(db);
    for (const Store::JobRecord &job : jobs.value()) {
        if (job.name == name)
            return job;
    }
    return {};
}

QStringList warningsOf(const Store::Database &db, qint64 jobId)
{
    QStringList warnings;
    for (const Store::JobEvent &event : Store::listEvents(db, {.jobId = jobId}).value()) {
        if (event.kind == QLatin1String(Store::EventKind::Warning))
            warnings << event.message;
    }
    return warnings;
}

} // namespace

class tst_OcrPipeline final : public QObject
{
    Q_OBJECT
private slots:
    void scansAreReadAndRecorded_data() { addBackendRows(); }
    void scansAreReadAndRecorded();
};

void tst_OcrPipeline::scansAreReadAndRecorded()
{
    DOCPIPE_TEST_DATABASE(testDb);
    const QString dir = testDb.tempPath() + u"/in"_s;
    QVERIFY(QDir().mkpath(dir));
    QStringList entries;
    for (int page = 1; page <= kPages; ++page)
        entries << (kScannedPages.contains(page) ? u"SCAN:"_s : QString()) + prose(quint32(page));
    QVERIFY(writeMixedPdf(dir + u"/mixed.pdf"_s, entries));
    QVERIFY(writeMixedPdf(dir + u"/text.pdf"_s, {prose(40), prose(41)}));
    QVERIFY(writePng(dir + u"/photo.png"_s, renderScan(prose(50))));
    QImage blank(1654, 2339, QImage::Format_Grayscale8);
    blank.fill(Qt::white);
    QVERIFY(writePng(dir + u"/blank.png"_s, blank));

    Config config = fastTestConfig(testDb.url());
    config.ocr.dpi = 200; // the scans' own resolution: faster than the default 300
    config.ocr.minConfidence = 100; // no real page reaches it: every OCRed page warns
    const QString failure = runPipelineToEnd(config, {dir}, 240000);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    const Store::Database db = testDb.database();

    const Store::JobRecord mixed = jobNamed(db, u"mixed.pdf"_s);
    QCOMPARE(mixed.stage, Stage::Embedded);
    const auto pages = Store::parsedPages(db, mixed.id);
    QVERIFY(pages);
    QCOMPARE(pages.value().size(), kPages);
    QStringList low;
    for (const ParsedPage &page : pages.value()) {
        const bool scanned = kScannedPages.contains(page.number);
        QCOMPARE(page.ocr, scanned);
        if (scanned) {
            QVERIFY2(page.ocrConfidence > 50 && page.ocrConfidence < 100,
                     qPrintable(QString::number(page.ocrConfidence)));
            QVERIFY2(wordRecall(prose(quint32(page.number)), page.text) >= 0.95, qPrintable(page.text));
            low << u"%1 (%2%)"_s.arg(page.number).arg(page.ocrConfidence);
        } else {
            QCOMPARE(page.ocrConfidence, -1);
        }
    }
    QCOMPARE(warningsOf(db, mixed.id),
             QStringList{u"pages %1 were read by OCR with a mean confidence below ocr/min_confidence (100%)"_s.arg(
                 low.join(u", "_s))});

    const Store::JobRecord text = jobNamed(db, u"text.pdf"_s);
    QCOMPARE(text.stage, Stage::Embedded);
    QVERIFY(warningsOf(db, text.id).isEmpty());
    for (const ParsedPage &page : Store::parsedPages(db, text.id).value())
        QVERIFY(!page.ocr);

    const Store::JobRecord photo = jobNamed(db, u"photo.png"_s);
    QCOMPARE(photo.stage, Stage::Embedded);
    QCOMPARE(photo.docType, u"image"_s);
    const auto photoPages = Store::parsedPages(db, photo.id).value();
    QCOMPARE(photoPages.size(), 1);
    QVERIFY(photoPages.first().ocr);
    QVERIFY(wordRecall(prose(50), photoPages.first().text) >= 0.95);
    QCOMPARE(warningsOf(db, photo.id).size(), 1);

    const Store::JobRecord blankJob = jobNamed(db, u"blank.png"_s);
    QCOMPARE(blankJob.status, JobStatus::Failed);
    QCOMPARE(blankJob.errorCode, u"no_text_layer"_s);
    QVERIFY2(blankJob.errorMessage.contains(u"OCR found no text"_s)
                 && !blankJob.errorMessage.contains(u"not supported"_s),
             qPrintable(blankJob.errorMessage));
}

QTEST_MAIN(tst_OcrPipeline) // painting the scans needs fonts, so a QGuiApplication
#include "tst_ocrpipeline.moc"
