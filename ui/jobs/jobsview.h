// The jobs panel: a filter bar (search by name, stage, outcome) over the jobs table. Owns the
// model, its proxy and the painted cells; answers "which jobs are selected" for the actions.
#pragma once

#include "jobfilterproxy.h"
#include "jobtablemodel.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace Docpipe::Ui {

class JobsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsView)

public:
    explicit JobsView(QWidget *parent = nullptr);

    JobTableModel *model() const { return m_model; }
    JobFilterProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QLineEdit *searchField() const { return m_search; }
    QComboBox *stageFilter() const { return m_stage; }
    QComboBox *outcomeFilter() const { return m_outcome; }

    QList<qint64> selectedJobIds() const;
    QList<JobRow> selectedJobs() const;
    qint64 currentJobId() const; // 0: none
    // The selected rows as the table shows them, tab-separated, one line per row (for copying).
    QString selectedRowsAsText() const;
    // Selects the job's row and scrolls to it; clears filters that hide it.
    bool selectJob(qint64 jobId);
    // Source rows on screen now (for the ticking elapsed cells).
    QList<int> visibleSourceRows() const;

    QByteArray saveColumns() const;
    void restoreColumns(const QByteArray &state);
    void resetColumns();

Q_SIGNALS:
    void selectionChanged();
    void jobActivated(qint64 jobId);
    void contextMenuRequested(const QPoint &globalPos);

private:
    void updateSummary();
    void updateEmptyHint();

    JobTableModel *m_model;
    JobFilterProxy *m_proxy;
    QTableView *m_table;
    QLineEdit *m_search;
    QComboBox *m_stage;
    QComboBox *m_outcome;
    QLabel *m_summary;
    QLabel *m_emptyHint;
    QByteArray m_defaultColumns;
};

} // namespace Docpipe::Ui
