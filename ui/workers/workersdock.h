// The Workers panel: every worker on the database and what it does, and "Drain" for the one
// selected (it finishes what it holds, takes nothing new, then stops: a rolling upgrade's step).
#pragma once

#include "store/fleetworkers.h"

#include <QDockWidget>

QT_BEGIN_NAMESPACE
class QAction;
class QTableView;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class WorkerTableModel;

class WorkersDock final : public QDockWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkersDock)

public:
    explicit WorkersDock(QWidget *parent = nullptr);

    void setWorkers(const QList<Store::FleetWorker> &workers);
    WorkerTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QAction *drainAction() const { return m_drain; }

Q_SIGNALS:
    void drainRequested(const QString &workerId);

private:
    QString selectedWorker() const;
    void updateActions();

    WorkerTableModel *m_model;
    QTableView *m_view;
    QAction *m_drain;
};

} // namespace Docpipe::Ui
