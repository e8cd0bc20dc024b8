// Job details: the stage timeline with durations, the full error, a preview of the parsed text
// (and which pages were read by OCR, with their confidence), the chunks (text, tokens, pages) and
// the embedding model and dimensions. One non-modal dialog that shows whichever job was asked for
// last; loading runs off the GUI thread.
#pragma once

#include "jobdetails.h"
#include "store/database.h"

#include <QDialog>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTableWidget;
class QTreeWidget;

namespace Docpipe::Store {
class StoreExecutor;
}

namespace Docpipe::Ui {

class JobDetailsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobDetailsDialog)

public:
    explicit JobDetailsDialog(const Store::Database &db, QWidget *parent = nullptr);
    ~JobDetailsDialog() override;

    void showJob(qint64 jobId);
    // The job with its Chunks tab open at chunk `index` (a search result chosen).
    void showChunk(qint64 jobId, int index);
    int focusedChunk() const { return m_focusChunk; }
    qint64 jobId() const { return m_jobId; }
    bool isLoading() const { return m_loading; }

    enum Tab { TimelineTab, ErrorTab, TextTab, ChunksTab, EmbeddingTab };
    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    void loaded(qint64 jobId);

private:
    void reload();
    void present(const JobDetails &details);
    void presentHeader(const JobDetails &details);
    void presentTimeline(const JobDetails &details);
    void presentError(const JobDetails &details);
    static QString furnitureNote(const QList<FurnitureLine> &furniture);
    void presentChunks(const JobDetails &details);
    void presentEmbedding(const JobDetails &details);
    void focusChunk(const JobDetails &details);

    Store::Database m_db;
    std::unique_ptr<Store::StoreExecutor> m_executor;
    qint64 m_jobId = 0;
    int m_focusChunk = -1;
    quint64 m_request = 0;
    bool m_loading = false;

    QLabel *m_title;
    QLabel *m_badge;
    QLabel *m_facts;
    QTabWidget *m_tabs;
    QTreeWidget *m_runs;
    QTreeWidget *m_events;
    QPlainTextEdit *m_error;
    QPlainTextEdit *m_text;
    QLabel *m_textNote;
    QLabel *m_ocrNote; // which pages were read by OCR, and how confidently
    QTableWidget *m_chunks;
    QLabel *m_chunksNote;
    QLabel *m_model;
    QLabel *m_dimensions;
    QLabel *m_vectors;
};

} // namespace Docpipe::Ui
