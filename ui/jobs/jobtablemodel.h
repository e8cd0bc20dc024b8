// The jobs table: one row per job, fed by LiveFeed's changed rows and the engine's progress
// samples. Updates touch only the rows and columns that changed (dataChanged, rowsInserted), so
// selection, sort and scroll survive them; no per-row widgets, so 50,000 rows stay cheap.
#pragma once

#include "engine/pipelineengine.h"
#include "store/records.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QMap>

namespace Docpipe::Ui {

// What the table keeps of a job (JobRecord without the columns nobody looks at here).
struct JobRow
{
    qint64 id = 0;
    QString name;
    QString nameKey; // name.toCaseFolded(): sorting 50,000 rows compares it, not name folded anew each time
    QString sourcePath;
    QString docType;
    Stage stage = Stage::Uploaded;
    JobStatus status = JobStatus::Queued;
    int pages = 0;
    int chunks = 0;
    int attempts = 0;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    QString errorCode;
    QString errorMessage;
    int version = 1; // of its document (a changed file's new version replaces the current one once embedded)
    bool isCurrent = false;
    bool sourceRemoved = false;

    bool isFinished() const
    {
        return status == JobStatus::Done || status == JobStatus::Failed || status == JobStatus::Cancelled;
    }
    bool operator==(const JobRow &other) const = default;
};

class JobTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobTableModel)

public:
    enum Column {
        IdColumn,
        NameColumn,
        TypeColumn,
        PagesColumn,
        StageColumn,
        ProgressColumn,
        AttemptsColumn,
        ElapsedColumn,
        ErrorColumn,
        ColumnCount
    };
    enum Role {
        JobIdRole = Qt::UserRole + 1,
        StageRole, // int(Stage)
        StatusRole, // int(JobStatus)
        ProgressRole, // running jobs: fraction 0..1, or -1 when this process cannot know; else null
        StalledRole, // bool: running, but nothing has moved for longer than the stalled threshold
    };

    explicit JobTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Rows of known jobs that differ are updated in place; unknown jobs are appended.
    void applyJobs(const QList<Store::JobRecord> &jobs);
    // The engine's in-flight jobs: their progress cells change, the others' clear.
    void setProgress(const QList<JobProgress> &progress);
    // Moves the clock the elapsed column reads, and refreshes those of `rows` still in progress
    // (the view passes the rows on screen: off-screen cells are read when they scroll in).
    void setNow(qint64 nowMs, const QList<int> &rows);

    // A running job whose progress (or stage) has not moved for longer than this reads "stalled"
    // instead of "working…", whatever the cause (a stuck lease, a lost worker); 0: never.
    void setStalledAfterMs(qint64 ms);
    bool isStalled(const JobRow &job) const;
    // How many running jobs are stalled, per stage.
    QMap<Stage, int> stalledByStage() const;

    int rowOfJob(qint64 jobId) const { return m_rowById.value(jobId, -1); }
    const JobRow &jobAt(int row) const { return m_rows.at(row); }
    // -1: not running here or unknown; else done/total of the active stage.
    double progressOf(qint64 jobId) const;
    qint64 elapsedMs(const JobRow &job) const;

private:
    QVariant displayData(const JobRow &job, int column) const;
    QVariant toolTipData(const JobRow &job, int column) const;
    qint64 lastMovedAt(const JobRow &job) const;
    void emitRowRuns(QList<int> rows, int firstColumn, int lastColumn, const QList<int> &roles);

    QList<JobRow> m_rows;
    QHash<qint64, int> m_rowById;
    QHash<qint64, double> m_progress; // running here: fraction, -1 when the total is unknown
    QHash<qint64, qint64> m_movedAt; // running here: when its progress last changed, by this window's clock
    qint64 m_stalledAfterMs = 0;
    qint64 m_now = 0;
};

} // namespace Docpipe::Ui
