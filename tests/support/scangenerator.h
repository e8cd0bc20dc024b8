// Generated scans for OCR tests and benchmarks: text pages painted onto images (as a scanner would
// deliver them, optionally a few degrees askew and with specks), wrapped in PDFs that draw only
// the image (no text layer), or mixed with real text pages.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>

namespace Docpipe::Test {

struct ScanStyle
{
    int dpi = 200;
    double rotationDegrees = 0;
    double speckShare = 0; // share of pixels turned dark at random
    quint32 seed = 1;
};

// An A4 page at style.dpi: `text` in 11-point serif, word-wrapped, black on white, greyscale.
QImage renderScan(const QString &text, const ScanStyle &style = {});

// One PDF page per entry; an entry that starts with "SCAN:" becomes an image page of the rest
// (no text layer), any other a real text page. False when the file cannot be written.
bool writeMixedPdf(const QString &path, const QStringList &pages, const ScanStyle &style = {});

// `image` as a TIFF file (written by Leptonica: Qt's TIFF writer is an optional plugin).
QByteArray tiffOf(const QImage &image);
// `pages` as one multi-page TIFF file, a frame per page (as a scanner's document feeder writes).
QByteArray multipageTiffOf(const QList<QImage> &pages);

// Lowercased words (letters and digits) of `text`, in order.
QStringList wordsOf(const QString &text);
// The share of `expected` words (counted with repeats) that `found` holds at least as often.
double wordRecall(const QString &expected, const QString &found);

} // namespace Docpipe::Test
