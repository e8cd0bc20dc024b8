#include "ingestcontroller.h"

#include "droppedpaths.h"
#include "store/storeexecutor.h"

namespace Docpipe::Ui {

namespace {

void merge(IngestReport &into, const IngestReport &part)
{
    into.created += part.created;
    into.duplicates += part.duplicates;
    into.notes += part.notes;
    into.errors += part.errors;
}

} // namespace

IngestController::IngestController(const Store::Database &db, const Store::IngestOptions &options, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_options(options)
    , m_executor(std::make_unique<Store::StoreExecutor>())
{ }

IngestController::~IngestController()
{
    m_stopping.store(true);
}

void IngestController::ingest(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    ++m_pending;
    // Progress is posted to this object from the ingest thread. That is safe: the destructor
    // waits for the executor (a member) before the QObject goes, and ~QObject drops the posts.
    m_executor
        ->run([db = m_db, options = m_options, collect = m_collect, paths, this] {
            const CollectedFiles collected = collectDroppedDocuments(paths, collect);
            IngestReport report;
            report.notes = collected.notes;
            // The window may be faster than the engine or the feed to a brand-new database.
            if (auto migrated = db.migrate(); !migrated) {
                report.errors << migrated.error().message;
                return report;
            }
            const int total = int(collected.files.size());
            for (int from = 0; from < total && !m_stopping.load(); from += kBatchFiles) {
                merge(report, ingestPaths(db, collected.files.mid(from, kBatchFiles), options));
                const int done = std::min(total, from + kBatchFiles);
                QMetaObject::invokeMethod(
                    this,
                    [this, done, total] {
                        Q_EMIT progressed(done, total);
                        Q_EMIT batchRecorded();
                    },
                    Qt::QueuedConnection);
            }
            return report;
        })
        .then(this, [this](const IngestReport &report) {
            --m_pending;
            Q_EMIT finished(report);
        });
}

} // namespace Docpipe::Ui
