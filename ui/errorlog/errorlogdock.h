// The error log dock: every retry, failure and expired lease (newest first), filtered by stage
// and code, searchable; rows can be copied or exported as CSV; selecting one selects its job.
#pragma once

#include "store/records.h"

#include <QDockWidget>
#include <QList>
#include <QPersistentModelIndex>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class ErrorLogFilter;
class ErrorLogModel;

class ErrorLogDock final : public QDockWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ErrorLogDock)

public:
    explicit ErrorLogDock(QWidget *parent = nullptr);

    // Keeps the error kinds (Store::isErrorKind), each event once, the newest 5,000.
    void appendEvents(const QList<Store::JobEvent> &events);

    // The selected rows as tab-separated text with a header line, in view order.
    QString selectedText() const;
    void copySelection() const;
    // Writes the rows shown (filtered, in view order) as CSV; false with `error` set on failure.
    bool exportCsv(const QString &path, QString *error = nullptr) const;

    ErrorLogModel *model() const { return m_model; }
    ErrorLogFilter *filter() const { return m_filter; }
    QTableView *view() const { return m_view; }
    QComboBox *stageFilter() const { return m_stageCombo; }
    QComboBox *codeFilter() const { return m_codeCombo; }
    QLineEdit *searchField() const { return m_search; }

Q_SIGNALS:
    // A row was selected or activated: select that job.
    void jobActivated(qint64 jobId);

private:
    QWidget *makeFilterBar();
    void makeActions();
    void refreshFilterChoices();
    void updateCountLabel();
    void askAndExport();
    void onCurrentRowChanged(const QModelIndex &current);
    void keepReadingPosition();
    void restoreReadingPosition();
    QList<QStringList> rowsShown(bool selectedOnly) const;

    ErrorLogModel *m_model;
    ErrorLogFilter *m_filter;
    QTableView *m_view;
    QComboBox *m_stageCombo = nullptr;
    QComboBox *m_codeCombo = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_countLabel = nullptr;
    bool m_rowsMoving = false; // current-row changes caused by inserts/trims are not the user's
    QPersistentModelIndex m_topRow; // the row a scrolled-down reader sees first, kept in view
};

} // namespace Docpipe::Ui
