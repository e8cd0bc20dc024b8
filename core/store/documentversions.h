// Documents with an identity and versions. A source is "the document" as a person names it (a
// file's path, or a name given through an API); every job is one version of a source. The
// source's current version is the one whose chunks are in the chunks table: a new version takes
// over only once it is embedded, in the same transaction that stores its chunks, so until then
// the old version's chunks stay searchable and exportable.
#pragma once

#include "database.h"
#include "model/result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace Docpipe::Store {

// What happens to a deleted watched file's chunks (a per-folder setting, so every worker agrees).
enum class DeletePolicy { Remove, Keep };
QString deletePolicyName(DeletePolicy policy);
std::optional<DeletePolicy> deletePolicyFromName(const QString &name);

struct SourceRow
{
    qint64 id = 0;
    QString key;
    qint64 folderId = 0;
    int latestVersion = 0;
    qint64 latestJobId = 0; // 0: no version yet
    QString latestSha256;
    qint64 currentJobId = 0; // 0: no version embedded (or its chunks were removed)
    bool removed = false; // the watched file was deleted
};

// Inside the caller's transaction: the source named `key`, created if new, locked against other
// writers until the transaction ends (PostgreSQL: FOR UPDATE; SQLite's write transaction already
// is exclusive). Every writer of a source's versions locks it first, so they never deadlock.
Result<SourceRow> lockSource(QSqlDatabase &sql, const QString &key);

// Inside the caller's transaction, after lockSource: cancels the source's versions still queued or
// running other than `newJobId` (they would be replaced the moment they were embedded).
Result<QList<qint64>> supersedeOlderVersions(QSqlDatabase &sql, qint64 sourceId, qint64 newJobId, int newVersion);

// Inside completeEmbedding's transaction, before the job's chunks are stored: makes the job its
// source's current version and deletes the chunks of the version it replaces. Returns false when a
// newer version is already current (the job's chunks must not be stored), true otherwise.
struct TakeOver
{
    bool current = true; // false: superseded by a newer embedded version
    int replacedVersion = 0; // 0: nothing replaced
    int replacedChunks = 0;
    int newerVersion = 0; // superseded by this version (0: by the file's deletion)
};
Result<TakeOver> takeOverAsCurrent(QSqlDatabase &sql, qint64 jobId);
// The `embedded` event's message: "12 chunk(s) stored; replaces version 1 (9 chunk(s))", ...
QString takeOverMessage(int chunks, const TakeOver &takeOver);

// A watched file was deleted: its in-flight versions are cancelled and, with DeletePolicy::Remove,
// the current version's chunks are deleted. The source is marked removed (a file that comes back
// is a new version). An event on the source's latest job says what happened.
Result<bool> removeSource(const Database &db, qint64 sourceId, DeletePolicy policy, const QString &actor);

} // namespace Docpipe::Store
