// What kind of document a file is, decided from its bytes (the name is only a tie-breaker
// between Markdown and plain text), plus the file-name filter the CLI uses when walking folders.
#pragma once

#include "model/stageerror.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace Docpipe::Stages {

enum class DocumentType { Pdf, Docx, Html, Markdown, Text, Image, Unsupported };

struct DetectedType
{
    DocumentType type = DocumentType::Unsupported;
    QString mimeName; // e.g. "application/pdf", "image/png"
    QString description; // e.g. "PDF document", "PNG image"

    bool isSupported() const { return type != DocumentType::Unsupported; }
};

// Looks at the content first (magic bytes, then QMimeDatabase on the data only: PNG, JPEG and TIFF
// are images, read by OCR (a page each, or one per frame of a TIFF), whatever their name); the file name
// is used only once the content is known to be text: .md/.markdown make it Markdown (even with
// inline HTML), .html/.htm/.xhtml make it HTML. Text-based formats that are not documents (XML,
// SVG, RTF, scripts) are Unsupported unless named .txt. Empty bytes give Unsupported with
// mimeName "application/x-zerosize".
DetectedType detectDocumentType(const QByteArray &bytes, const QString &fileName);

// "pdf", "docx", "html", "markdown", "text", "image"; empty for Unsupported. Stored in ParsedDocument::type.
QString documentTypeName(DocumentType type);

// The permanent `unsupported_type` error for a detection that found no supported type, e.g.
// "the file is a GIF image, not a supported document (PDF, DOCX, HTML, Markdown, text, or a PNG,
// JPEG or TIFF image)".
StageError unsupportedTypeError(const DetectedType &detected);

// Cheap pre-filter by extension for folder walks (no I/O): .pdf .docx .html .htm .xhtml .md
// .markdown .txt .text, and the images read by OCR: .png .jpg .jpeg .tif .tiff. The parser still checks the content, so
// a GIF named .pdf fails later with a clear error rather than being skipped silently.
bool isSupportedFileName(const QString &fileName);
QStringList supportedExtensions();
// "PDF, DOCX, HTML, Markdown, text, or a PNG, JPEG or TIFF image": for messages that name them.
QString supportedFormatsText();

} // namespace Docpipe::Stages
