// docpipe-cli watch add | remove | list: the folders every worker on the database watches.
#include "cli.h"

#include "store/watchedfolders.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace Docpipe::Cli {

namespace {

QString policyWords(Store::DeletePolicy policy)
{
    return policy == Store::DeletePolicy::Keep ? QStringLiteral("kept") : QStringLiteral("removed");
}

int add(const Context &context, const QStringList &folders, const QString &policyName)
{
    const auto policy = Store::deletePolicyFromName(policyName);
    if (!policy)
        return fail(QStringLiteral("--on-delete must be remove or keep (is '%1')").arg(policyName), 2);
    for (const QString &folder : folders) {
        if (!QFileInfo(folder).isDir())
            return fail(QStringLiteral("%1 is not a folder").arg(folder), 2);
    }
    for (const QString &folder : folders) {
        auto added = Store::addWatchedFolder(context.db, folder, *policy);
        if (!added)
            return fail(added.error().message);
        out() << "watching " << printable(added.value().path) << " (a deleted file's chunks are "
              << policyWords(added.value().onDelete) << ")\n";
    }
    out() << "running workers pick this up at their next rescan (watch/rescan_seconds, "
          << context.config.watch.rescanSeconds << " s)" << Qt::endl;
    return 0;
}

int remove(const Context &context, const QStringList &folders)
{
    int missing = 0;
    for (const QString &folder : folders) {
        auto removed = Store::removeWatchedFolder(context.db, folder);
        if (!removed)
            return fail(removed.error().message);
        if (removed.value()) {
            out() << "no longer watching " << printable(Store::normalizedFolderPath(folder))
                  << " (its documents keep their chunks)\n";
        } else {
            err() << "docpipe-cli: " << printable(Store::normalizedFolderPath(folder)) << " was not watched\n";
            ++missing;
        }
    }
    out().flush();
    err().flush();
    return missing > 0 ? 1 : 0;
}

int list(const Context &context, bool json)
{
    auto folders = Store::listWatchedFolders(context.db);
    if (!folders)
        return fail(folders.error().message);
    if (json) {
        QJsonArray array;
        for (const Store::WatchedFolder &folder : folders.value())
            array.append(QJsonObject{{QStringLiteral("path"), folder.path},
                                     {QStringLiteral("on_delete"), Store::deletePolicyName(folder.onDelete)},
                                     {QStringLiteral("reachable"), QFileInfo(folder.path).isDir()}});
        printJson(QJsonDocument(array));
        return 0;
    }
    for (const Store::WatchedFolder &folder : folders.value()) {
        out() << printable(folder.path) << "  (on delete: " << Store::deletePolicyName(folder.onDelete) << ')'
              << (QFileInfo(folder.path).isDir() ? QString() : QStringLiteral("  [not reachable from here]")) << '\n';
    }
    out().flush();
    return 0;
}

} // namespace

int runWatch(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Folders every worker on the database watches: new and changed files become jobs (a new "
                       "version of their document), deleted files' chunks are removed or kept."));
    addGlobalOptions(parser);
    parser.addOption({QStringLiteral("on-delete"),
                      QStringLiteral("With add: what happens to a deleted file's chunks (remove or keep)."),
                      QStringLiteral("policy"), QStringLiteral("remove")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("With list: one JSON document on stdout.")});
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("add, remove or list."),
                                 QStringLiteral("add|remove|list"));
    parser.addPositionalArgument(QStringLiteral("folder"), QStringLiteral("Folders."), QStringLiteral("[FOLDER...]"));
    if (const int code = prepare(parser, QStringLiteral("watch"), context))
        return code;
    QStringList args = parser.positionalArguments();
    const QString action = args.isEmpty() ? QString() : args.takeFirst();
    if (action == QLatin1String("list"))
        return list(context, parser.isSet(QStringLiteral("json")));
    if (action != QLatin1String("add") && action != QLatin1String("remove"))
        return fail(QStringLiteral("watch needs add, remove or list"), 2);
    if (args.isEmpty())
        return fail(QStringLiteral("watch %1 needs at least one folder").arg(action), 2);
    if (action == QLatin1String("add"))
        return add(context, args, parser.value(QStringLiteral("on-delete")));
    return remove(context, args);
}

} // namespace Docpipe::Cli
