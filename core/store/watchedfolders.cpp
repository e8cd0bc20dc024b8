#include "watchedfolders.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>
#include <QVariant>

namespace Docpipe::Store {

namespace {

WatchedFolder readFolder(const QSqlQuery &query)
{
    return {query.value(0).toLongLong(), query.value(1).toString(),
            deletePolicyFromName(query.value(2).toString()).value_or(DeletePolicy::Remove),
            query.value(3).toLongLong()};
}

Result<std::optional<WatchedFolder>> findFolder(QSqlDatabase &sql, const QString &path)
{
    QSqlQuery query(sql);
    query.prepare(QStringLiteral("SELECT id, path, on_delete, added_at FROM watched_folders WHERE path = ?"));
    query.addBindValue(path);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading watched folders"));
    if (!query.next())
        return std::optional<WatchedFolder>();
    return std::optional<WatchedFolder>(readFolder(query));
}

} // namespace

QString normalizedFolderPath(const QString &path)
{
    QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    while (clean.size() > 1 && clean.endsWith(u'/'))
        clean.chop(1);
    return clean;
}

Result<WatchedFolder> addWatchedFolder(const Database &db, const QString &path, DeletePolicy onDelete)
{
    const QString folder = normalizedFolderPath(path);
    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QStringLiteral("adding a watched folder"));
    QSqlQuery query(tx.sql());
    query.prepare(QStringLiteral("INSERT INTO watched_folders (path, on_delete, added_at) VALUES (?, ?, %1) "
                                 "ON CONFLICT (path) DO UPDATE SET on_delete = excluded.on_delete")
                      .arg(serverNowSql(tx.sql())));
    query.addBindValue(folder);
    query.addBindValue(deletePolicyName(onDelete));
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("adding a watched folder"));
    auto added = findFolder(tx.sql(), folder);
    if (!added)
        return added.error();
    if (!added.value())
        return StageError::permanent(QStringLiteral("database_error"), QStringLiteral("the folder was not stored"));
    if (!tx.commit())
        return sqlError(tx.commitError(), QStringLiteral("adding a watched folder"));
    return *added.value();
}

Result<bool> removeWatchedFolder(const Database &db, const QString &path)
{
    Transaction tx(db);
    if (!tx.isActive())
        return sqlError(tx.beginError(), QStringLiteral("removing a watched folder"));
    auto folder = findFolder(tx.sql(), normalizedFolderPath(path));
    if (!folder)
        return folder.error();
    if (!folder.value())
        return false;
    QSqlQuery query(tx.sql());
    query.prepare(QStringLiteral("UPDATE sources SET folder_id = NULL WHERE folder_id = ?"));
    query.addBindValue(folder.value()->id);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("releasing the folder's documents"));
    query.prepare(QStringLiteral("DELETE FROM watched_folders WHERE id = ?"));
    query.addBindValue(folder.value()->id);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("removing a watched folder"));
    if (!tx.commit())
        return sqlError(tx.commitError(), QStringLiteral("removing a watched folder"));
    return true;
}

Result<QList<WatchedFolder>> listWatchedFolders(const Database &db)
{
    QSqlQuery query(db.sql());
    if (!query.exec(QStringLiteral("SELECT id, path, on_delete, added_at FROM watched_folders ORDER BY path")))
        return sqlError(query.lastError(), QStringLiteral("reading watched folders"));
    QList<WatchedFolder> folders;
    while (query.next())
        folders.append(readFolder(query));
    return folders;
}

Result<QList<KnownFile>> knownFiles(const Database &db, const WatchedFolder &folder)
{
    const QString prefix = folder.path.endsWith(u'/') ? folder.path : folder.path + u'/';
    QSqlQuery query(db.sql());
    query.setForwardOnly(true);
    // substr rather than LIKE: a path may contain % and _.
    query.prepare(QStringLiteral("SELECT id, source_key, folder_id, file_size, file_mtime, removed_at FROM sources "
                                 "WHERE folder_id = :folder OR substr(source_key, 1, :length) = :prefix"));
    query.bindValue(QStringLiteral(":folder"), folder.id);
    query.bindValue(QStringLiteral(":length"), prefix.toUcs4().size()); // SQL counts characters, not UTF-16 units
    query.bindValue(QStringLiteral(":prefix"), prefix);
    if (!query.exec())
        return sqlError(query.lastError(), QStringLiteral("reading the files of %1").arg(folder.path));
    QList<KnownFile> files;
    while (query.next()) {
        KnownFile file;
        file.sourceId = query.value(0).toLongLong();
        file.path = query.value(1).toString();
        file.folderId = query.value(2).toLongLong();
        file.size = query.value(3).isNull() ? -1 : query.value(3).toLongLong();
        file.mtime = query.value(4).isNull() ? -1 : query.value(4).toLongLong();
        file.removed = !query.value(5).isNull();
        files.append(file);
    }
    return files;
}

} // namespace Docpipe::Store
