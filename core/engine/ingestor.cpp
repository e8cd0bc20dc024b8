#include "ingestor.h"

#include "pathrefusal.h"
#include "stages/parsers/documenttype.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSet>

namespace Docpipe {

namespace {

class FolderWalk
{
public:
    FolderWalk(CollectedFiles &out, const CollectOptions &options)
        : m_out(out)
        , m_options(options)
    { }

    void walk(const QString &folder)
    {
        m_root = QFileInfo(folder).canonicalFilePath();
        visit(folder);
    }

private:
    void visit(const QString &folder)
    {
        const QString canonical = QFileInfo(folder).canonicalFilePath();
        if (canonical.isEmpty() || m_visited.contains(canonical)) {
            m_out.notes << QStringLiteral("skipped %1: folder already visited (symbolic link loop)").arg(folder);
            return;
        }
        m_visited.insert(canonical);
        // QDir::System lists named pipes, sockets and devices too, so they are named, not silently left out.
        const QFileInfoList entries
            = QDir(folder).entryInfoList(QDir::Files | QDir::Dirs | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
        for (const QFileInfo &entry : entries) {
            if (entry.isHidden() || entry.fileName().startsWith(u'.'))
                continue;
            if (entry.isSymLink() && !entry.exists()) {
                m_out.notes << QStringLiteral("skipped %1: broken symbolic link").arg(entry.filePath());
            } else if (const QString refused = refusalReason(entry, m_root, m_options.followSymlinks);
                       !refused.isEmpty()) {
                m_out.notes << QStringLiteral("skipped %1: %2").arg(entry.filePath(), refused);
            } else if (entry.isDir()) {
                visit(entry.filePath());
            } else if (Stages::isSupportedFileName(entry.fileName())) {
                m_out.files << entry.filePath();
            } else {
                m_out.notes << QStringLiteral("skipped %1: not a supported document type").arg(entry.filePath());
            }
        }
    }

    CollectedFiles &m_out;
    const CollectOptions &m_options;
    QString m_root;
    QSet<QString> m_visited; // across the dropped folders, so one reached twice is walked once
};

} // namespace

CollectedFiles collectDocuments(const QStringList &paths, const CollectOptions &options)
{
    CollectedFiles out;
    FolderWalk walk(out, options);
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists())
            out.notes << QStringLiteral("skipped %1: no such file or folder").arg(path);
        else if (info.isDir())
            walk.walk(path);
        else if (const QString refused = refusalReason(info, {}, options.followSymlinks); !refused.isEmpty())
            out.notes << QStringLiteral("skipped %1: %2").arg(path, refused);
        else
            out.files << path; // named explicitly: always ingested, its type is judged from content
    }
    return out;
}

QList<qint64> IngestReport::jobIds() const
{
    QList<qint64> ids;
    for (const auto &r : created)
        ids << r.jobId;
    for (const auto &r : duplicates)
        ids << r.jobId;
    return ids;
}

IngestReport ingestPaths(const Store::Database &db, const QStringList &paths, const Store::IngestOptions &options,
                         const CollectOptions &collect, const std::function<void(int, int)> &progress)
{
    const CollectedFiles collected = collectDocuments(paths, collect);
    IngestReport report;
    report.notes = collected.notes;
    const int total = int(collected.files.size());
    for (int i = 0; i < total; ++i) {
        const QString &file = collected.files.at(i);
        auto result = Store::ingestFile(db, file, options);
        if (!result) {
            if (result.error().code == QLatin1String("unreadable_file"))
                report.notes << result.error().message;
            else
                report.errors << QStringLiteral("%1: %2").arg(file, result.error().message);
        } else if (result.value().duplicate) {
            report.duplicates << result.value();
        } else {
            report.created << result.value();
        }
        if (progress)
            progress(i + 1, total);
    }
    return report;
}

} // namespace Docpipe
