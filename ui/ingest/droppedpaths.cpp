#include "droppedpaths.h"

#include "stages/parsers/documenttype.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QMimeData>
#include <QSet>
#include <QUrl>

namespace Docpipe::Ui {

namespace {

constexpr qint64 kSniffBytes = 64 * 1024;

QString localPathFromLine(const QString &line)
{
    const QString text = line.trimmed();
    if (text.isEmpty() || text.startsWith(u'#')) // uri-list comments
        return {};
    if (text.startsWith(QLatin1String("file:"))) {
        const QUrl url(text);
        return url.isLocalFile() ? url.toLocalFile() : QString();
    }
    return QFileInfo(text).isAbsolute() ? text : QString();
}

} // namespace

QStringList pathsFromMimeData(const QMimeData *mime)
{
    QStringList paths;
    if (!mime)
        return paths;
    if (mime->hasUrls()) {
        for (const QUrl &url : mime->urls()) {
            if (url.isLocalFile())
                paths << url.toLocalFile();
        }
    } else if (mime->hasText()) {
        const QStringList lines = mime->text().split(u'\n');
        for (const QString &line : lines) {
            const QString path = localPathFromLine(line);
            if (!path.isEmpty())
                paths << path;
        }
    }
    QSet<QString> seen;
    paths.removeIf([&seen](const QString &path) {
        const QString clean = QFileInfo(path).absoluteFilePath();
        if (seen.contains(clean))
            return true;
        seen.insert(clean);
        return false;
    });
    return paths;
}

bool hasDroppablePaths(const QMimeData *mime)
{
    const QStringList paths = pathsFromMimeData(mime);
    return std::any_of(paths.cbegin(), paths.cend(), [](const QString &path) { return QFileInfo::exists(path); });
}

CollectedFiles collectDroppedDocuments(const QStringList &paths, const CollectOptions &options)
{
    CollectedFiles collected = collectDocuments(paths, options);
    collected.files.removeIf([&collected](const QString &file) {
        if (Stages::isSupportedFileName(file))
            return false;
        QFile probe(file);
        if (!probe.open(QIODevice::ReadOnly))
            return false; // the ingest reports why it cannot be read
        const auto detected = Stages::detectDocumentType(probe.read(kSniffBytes), file);
        if (detected.isSupported())
            return false;
        const QString what = detected.description.isEmpty() ? detected.mimeName : detected.description;
        collected.notes << QCoreApplication::translate(
                               "Docpipe::Ui::DroppedPaths",
                               "skipped %1: %2 is not a supported document (PDF, DOCX, HTML, Markdown, text, or a "
                               "PNG, JPEG or TIFF image)")
                               .arg(file, what);
        return true;
    });
    return collected;
}

} // namespace Docpipe::Ui
