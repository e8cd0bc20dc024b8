#include "pathrefusal.h"

#include <QDir>

#include <sys/stat.h>

namespace Docpipe {

namespace {

// stat() follows links, so a link to a named pipe is judged as the pipe it leads to; it never
// opens the file.
QString specialKind(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    if (S_ISFIFO(st.st_mode))
        return QStringLiteral("a named pipe (FIFO)");
    if (S_ISSOCK(st.st_mode))
        return QStringLiteral("a socket");
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        return QStringLiteral("a device file");
    return {};
}

bool isInside(const QString &path, const QString &root)
{
    return path == root || path.startsWith(root.endsWith(u'/') ? root : root + u'/');
}

} // namespace

QString refusalReason(const QFileInfo &entry, const QString &canonicalRoot, bool followSymlinks)
{
    if (entry.isSymLink() && !canonicalRoot.isEmpty() && !followSymlinks) {
        const QString target = entry.canonicalFilePath(); // empty for a broken link: judged by the caller
        if (!target.isEmpty() && !isInside(target, canonicalRoot))
            return QStringLiteral("a symbolic link to %1, outside the folder (not followed unless "
                                  "--follow-symlinks or the setting ingest/follow_symlinks allows it)")
                .arg(QDir::toNativeSeparators(target));
    }
    const QString kind = specialKind(entry.filePath());
    if (!kind.isEmpty())
        return kind + QStringLiteral(", not a document (never opened)");
    return {};
}

} // namespace Docpipe
