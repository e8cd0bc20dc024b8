#include "workersdock.h"

#include "workertablemodel.h"

#include <QAction>
#include <QHeaderView>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace Docpipe::Ui {

WorkersDock::WorkersDock(QWidget *parent)
    : QDockWidget(tr("Workers"), parent)
    , m_model(new WorkerTableModel(this))
    , m_view(new QTableView(this))
    , m_drain(new QAction(tr("Drain"), this))
{
    setObjectName(QStringLiteral("workersDock"));
    m_drain->setObjectName(QStringLiteral("drainWorkerAction"));
    m_drain->setToolTip(tr("Let the selected worker finish the jobs it holds, take nothing new, and stop."));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    auto *bar = new QToolBar(this);
    bar->addAction(m_drain);
    auto *body = new QWidget(this);
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(bar);
    layout->addWidget(m_view);
    setWidget(body);

    connect(m_drain, &QAction::triggered, this, [this] {
        if (const QString id = selectedWorker(); !id.isEmpty())
            Q_EMIT drainRequested(id);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &WorkersDock::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &WorkersDock::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &WorkersDock::updateActions);
    updateActions();
}

void WorkersDock::setWorkers(const QList<Store::FleetWorker> &workers)
{
    m_model->setWorkers(workers);
}

QString WorkersDock::selectedWorker() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(WorkerTableModel::WorkerIdRole).toString();
}

void WorkersDock::updateActions()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    m_drain->setEnabled(!rows.isEmpty()
                        && rows.first().data(WorkerTableModel::StateRole).toString() == QLatin1String("running"));
}

} // namespace Docpipe::Ui
