#include "scangenerator.h"

#include <leptonica/allheaders.h>

#include <QBuffer>
#include <QFont>
#include <QHash>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRandomGenerator>
#include <QTransform>

namespace Docpipe::Test {

namespace {

QFont scanFont()
{
    QFont font(QStringLiteral("DejaVu Serif"));
    font.setPointSize(11);
    font.setStyleStrategy(QFont::PreferNoShaping);
    return font;
}

} // namespace

QImage renderScan(const QString &text, const ScanStyle &style)
{
    const QSizeF inches(8.27, 11.69);
    QImage page(int(inches.width() * style.dpi), int(inches.height() * style.dpi), QImage::Format_RGB32);
    page.fill(Qt::white);
    page.setDotsPerMeterX(int(style.dpi / 0.0254));
    page.setDotsPerMeterY(int(style.dpi / 0.0254));
    {
        QPainter painter(&page);
        painter.setRenderHint(QPainter::TextAntialiasing);
        painter.setFont(scanFont()); // points: the image's resolution makes them the right size
        const int margin = style.dpi; // one inch
        if (style.rotationDegrees != 0) {
            painter.translate(page.width() / 2.0, page.height() / 2.0);
            painter.rotate(style.rotationDegrees);
            painter.translate(-page.width() / 2.0, -page.height() / 2.0);
        }
        painter.setPen(Qt::black);
        painter.drawText(QRect(margin, margin, page.width() - 2 * margin, page.height() - 2 * margin), Qt::TextWordWrap,
                         text);
    }
    if (style.speckShare > 0) {
        QRandomGenerator random(style.seed);
        const qint64 specks = qint64(double(page.width()) * page.height() * style.speckShare);
        for (qint64 i = 0; i < specks; ++i)
            page.setPixel(random.bounded(page.width()), random.bounded(page.height()), qRgb(40, 40, 40));
    }
    return page.convertToFormat(QImage::Format_Grayscale8);
}

bool writeMixedPdf(const QString &path, const QStringList &pages, const ScanStyle &style)
{
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(72);
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter;
    if (!painter.begin(&writer))
        return false;
    const QRect pageRect(0, 0, 595, 842);
    for (qsizetype i = 0; i < pages.size(); ++i) {
        if (i > 0)
            writer.newPage();
        const QString &entry = pages.at(i);
        if (entry.startsWith(QLatin1String("SCAN:"))) {
            painter.drawImage(pageRect, renderScan(entry.mid(5), style));
        } else {
            painter.setFont(scanFont());
            painter.drawText(pageRect.adjusted(72, 72, -72, -72), Qt::TextWordWrap, entry);
        }
    }
    return painter.end();
}

namespace {

// `image` as a Leptonica Pix (through PNG, which Leptonica reads without Qt's help); null on failure.
Pix *pixOf(const QImage &image)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return nullptr;
    return pixReadMem(reinterpret_cast<const l_uint8 *>(png.constData()), size_t(png.size()));
}

QByteArray takeLeptonicaBytes(l_uint8 *data, size_t size, bool written)
{
    const QByteArray bytes = written ? QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)) : QByteArray();
    lept_free(data);
    return bytes;
}

} // namespace

QByteArray tiffOf(const QImage &image)
{
    Pix *pix = pixOf(image);
    if (!pix)
        return {};
    l_uint8 *data = nullptr;
    size_t size = 0;
    const bool written = pixWriteMem(&data, &size, pix, IFF_TIFF_ZIP) == 0;
    pixDestroy(&pix);
    return takeLeptonicaBytes(data, size, written);
}

QByteArray multipageTiffOf(const QList<QImage> &pages)
{
    Pixa *pixa = pixaCreate(int(pages.size()));
    bool converted = pixa != nullptr;
    for (const QImage &page : pages) {
        Pix *pix = converted ? pixOf(page) : nullptr;
        converted = pix && pixaAddPix(pixa, pix, L_INSERT) == 0;
    }
    l_uint8 *data = nullptr;
    size_t size = 0;
    const bool written = converted && pixaWriteMemMultipageTiff(&data, &size, pixa) == 0;
    pixaDestroy(&pixa);
    return takeLeptonicaBytes(data, size, written);
}

QStringList wordsOf(const QString &text)
{
    QStringList words;
    QString word;
    for (const QChar c : text) {
        if (c.isLetterOrNumber()) {
            word += c.toLower();
        } else if (!word.isEmpty()) {
            words << word;
            word.clear();
        }
    }
    if (!word.isEmpty())
        words << word;
    return words;
}

double wordRecall(const QString &expected, const QString &found)
{
    QHash<QString, int> available;
    for (const QString &word : wordsOf(found))
        ++available[word];
    const QStringList wanted = wordsOf(expected);
    if (wanted.isEmpty())
        return 1.0;
    int recovered = 0;
    for (const QString &word : wanted) {
        int &left = available[word];
        if (left > 0) {
            --left;
            ++recovered;
        }
    }
    return double(recovered) / double(wanted.size());
}

} // namespace Docpipe::Test
