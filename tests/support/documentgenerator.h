// Writes real documents (and deliberately broken ones) into a folder for tests and benchmarks.
// PDF functions paint with QPdfWriter, so the process needs a QGuiApplication (QTEST_MAIN).
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Docpipe::Test {

struct GeneratedDocument
{
    QString path;
    QString type; // "pdf", "docx", "html", "markdown", "text" (what the parser should say)
    QStringList pageTexts; // the prose on each page, one paragraph per line (whitespace may differ)
};

struct BadDocument
{
    QString path;
    QString expectedCode; // the StageError code the local parser must give; empty: it parses,
                          // with a warning (invalid UTF-8) or despite hostile structure (nesting)
};

enum class TextEncoding { Utf8, Utf8Bom, Latin1, Utf16LE, Utf16BE };

// Good documents; `seed` makes the prose, the same seed gives the same bytes' text.
GeneratedDocument writePdf(const QString &dir, const QString &fileName, int pages, quint32 seed);
GeneratedDocument writeDocx(const QString &dir, const QString &fileName, int pages, quint32 seed);
GeneratedDocument writeHtml(const QString &dir, const QString &fileName, quint32 seed);
GeneratedDocument writeMarkdown(const QString &dir, const QString &fileName, quint32 seed);
GeneratedDocument writeText(const QString &dir, const QString &fileName, quint32 seed,
                            TextEncoding encoding = TextEncoding::Utf8);
// A DOCX around a given word/document.xml body (the part inside <w:body>), for exact cases.
QString writeDocxFromBody(const QString &dir, const QString &fileName, const QString &bodyXml);
// The bytes of a file, empty if it cannot be read.
QByteArray readFileBytes(const QString &path);
// The line every generated text file carries, with characters outside ASCII (all in Latin-1).
QString accentedLine();

// Broken documents, one function per case.
QString writeEmptyFile(const QString &dir, const QString &fileName);
QString writeTruncatedPdf(const QString &dir, const QString &fileName, quint32 seed);
QString writeBitFlippedPdf(const QString &dir, const QString &fileName, quint32 seed);
QString writeEncryptedPdf(const QString &dir, const QString &fileName); // copy of tests/data/encrypted.pdf
QString writeImageOnlyPdf(const QString &dir, const QString &fileName, int pages);
QString writePngNamedPdf(const QString &dir, const QString &fileName); // a 32x32 picture without text
QString writeGifNamedPdf(const QString &dir, const QString &fileName); // GIF is not read (not even by OCR)
// word/document.xml of `uncompressedBytes` (default 300 MiB) compressing to well under 1 MiB.
// With honestSize false the ZIP header understates the size, as a malicious archive would.
QString writeZipBombDocx(const QString &dir, const QString &fileName, qint64 uncompressedBytes = 300LL << 20,
                         bool honestSize = true);
QString writeCorruptDocx(const QString &dir, const QString &fileName);
QString writeInvalidUtf8Text(const QString &dir, const QString &fileName); // UTF-8 with stray bytes
QString writeNestedHtml(const QString &dir, const QString &fileName, int depth = 1000000);

// Good text files whose names contain a newline, quotes, $(...), backticks, ';', '&', a leading
// dash and non-ASCII letters.
QStringList writeAwkwardlyNamedFiles(const QString &dir, quint32 seed);

// `count` good documents of mixed types, named doc-0001.pdf, ...; the first is a long PDF of
// `longPdfPages` pages, the others cycle through short PDF, DOCX, HTML, Markdown and text.
// Both corpus functions create `dir` if needed. A failed write leaves that entry's path empty.
QList<GeneratedDocument> generateMixedCorpus(const QString &dir, int count, quint32 seed, int longPdfPages = 60);
// One of each broken case above, with the code the local parser must give.
QList<BadDocument> generateBadCorpus(const QString &dir);

} // namespace Docpipe::Test
