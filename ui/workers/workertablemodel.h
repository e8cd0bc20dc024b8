// The Workers panel's rows: one per worker on the database (running, draining or lost), with its
// host, process, version, start, last heartbeat, jobs held and stages done in the last 10 minutes.
// Updates in place when the same workers come back, so the selection survives each refresh.
#pragma once

#include "store/fleetworkers.h"

#include <QAbstractTableModel>
#include <QList>

namespace Docpipe::Ui {

class WorkerTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkerTableModel)

public:
    enum Column {
        WorkerColumn,
        HostColumn,
        ProcessColumn,
        VersionColumn,
        StartedColumn,
        HeartbeatColumn,
        HeldColumn,
        DoneColumn,
        StateColumn,
        ColumnCount
    };
    enum Role { WorkerIdRole = Qt::UserRole + 1, StateRole };

    explicit WorkerTableModel(QObject *parent = nullptr);

    void setWorkers(const QList<Store::FleetWorker> &workers);
    const Store::FleetWorker &workerAt(int row) const { return m_workers.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString stateLabel(const QString &state);

private:
    QList<Store::FleetWorker> m_workers;
};

} // namespace Docpipe::Ui
