// Turns dropped, pasted or chosen paths into jobs off the GUI thread: walks folders, skips what
// is not a document (with a note), ingests the files in small batches (so new rows show while a
// big drop is still being read) and reports created jobs, duplicates and notes.
#pragma once

#include "engine/ingestor.h"
#include "store/database.h"
#include "store/documentstore.h"

#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

namespace Docpipe::Store {
class StoreExecutor;
}

namespace Docpipe::Ui {

class IngestController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestController)

public:
    static constexpr int kBatchFiles = 25;

    IngestController(const Store::Database &db, const Store::IngestOptions &options, QObject *parent = nullptr);
    ~IngestController() override; // stops after the batch in hand

    // Queued behind any ingest still running; reports through the signals below.
    void ingest(const QStringList &paths);
    bool isBusy() const { return m_pending > 0; }
    // For the drops that follow (ingest/follow_symlinks may change in the settings).
    void setCollectOptions(const CollectOptions &options) { m_collect = options; }

Q_SIGNALS:
    void progressed(int done, int total); // files recorded so far in the current drop
    void batchRecorded(); // some jobs were just created: refresh the views
    void finished(const Docpipe::IngestReport &report);

private:
    Store::Database m_db;
    Store::IngestOptions m_options;
    CollectOptions m_collect;
    std::atomic<bool> m_stopping{false};
    std::unique_ptr<Store::StoreExecutor> m_executor;
    int m_pending = 0;
};

} // namespace Docpipe::Ui
