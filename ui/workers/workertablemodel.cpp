#include "workertablemodel.h"

#include "jobformat.h"

#include <QColor>

namespace Docpipe::Ui {

WorkerTableModel::WorkerTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void WorkerTableModel::setWorkers(const QList<Store::FleetWorker> &workers)
{
    bool sameRows = workers.size() == m_workers.size();
    for (qsizetype i = 0; sameRows && i < workers.size(); ++i)
        sameRows = workers.at(i).worker.id == m_workers.at(i).worker.id;
    if (!sameRows) {
        beginResetModel();
        m_workers = workers;
        endResetModel();
        return;
    }
    m_workers = workers;
    if (!m_workers.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_workers.size()) - 1, ColumnCount - 1),
                           {Qt::DisplayRole, Qt::ForegroundRole, StateRole});
}

int WorkerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_workers.size());
}

int WorkerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString WorkerTableModel::stateLabel(const QString &state)
{
    if (state == QLatin1String("running"))
        return tr("Running");
    if (state == QLatin1String("draining"))
        return tr("Draining");
    if (state == QLatin1String("lost"))
        return tr("Lost");
    return state;
}

QVariant WorkerTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_workers.size())
        return {};
    const Store::FleetWorker &row = m_workers.at(index.row());
    if (role == WorkerIdRole)
        return row.worker.id;
    if (role == StateRole)
        return row.state;
    if (role == Qt::ForegroundRole && index.column() == StateColumn && row.state == QLatin1String("lost"))
        return QColor(Qt::red);
    if (role == Qt::TextAlignmentRole
        && (index.column() == ProcessColumn || index.column() == HeldColumn || index.column() == DoneColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case WorkerColumn:
        return row.worker.id;
    case HostColumn:
        return row.worker.host;
    case ProcessColumn:
        return row.worker.pid;
    case VersionColumn:
        return row.worker.version;
    case StartedColumn:
        return formatTimestamp(row.worker.startedAt);
    case HeartbeatColumn:
        return formatTimestamp(row.worker.heartbeatAt);
    case HeldColumn:
        return row.jobsHeld;
    case DoneColumn:
        return row.doneRecently;
    case StateColumn:
        return stateLabel(row.state);
    default:
        return {};
    }
}

QVariant WorkerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case WorkerColumn:
        return tr("Worker");
    case HostColumn:
        return tr("Host");
    case ProcessColumn:
        return tr("Process");
    case VersionColumn:
        return tr("Version");
    case StartedColumn:
        return tr("Started");
    case HeartbeatColumn:
        return tr("Last heartbeat");
    case HeldColumn:
        return tr("Jobs held");
    case DoneColumn:
        return tr("Done (10 min)");
    case StateColumn:
        return tr("State");
    default:
        return {};
    }
}

} // namespace Docpipe::Ui
