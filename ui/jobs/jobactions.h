// The actions on jobs (details, retry, retry all failed, re-run from start, cancel, copy, pause /
// resume, refresh) with their shortcuts and icons, enabled by what is selected. The window puts
// them in the menu bar, the toolbar and the rows' context menu, and connects what they do.
#pragma once

#include "jobtablemodel.h"

#include <QList>
#include <QObject>

class QAction;

namespace Docpipe::Ui {

class JobActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobActions)

public:
    explicit JobActions(QObject *parent = nullptr);

    QAction *const details;
    QAction *const retry;
    QAction *const retryAllFailed;
    QAction *const rerun;
    QAction *const cancel;
    QAction *const copy;
    QAction *const pause; // checkable: checked while the engine-wide pause is set
    QAction *const refresh;

    void updateForSelection(const QList<JobRow> &selected);
    void setPaused(bool paused);
    QList<QAction *> rowActions() const; // for the context menu
};

} // namespace Docpipe::Ui
