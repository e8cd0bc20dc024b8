// The error log: retries, failures and expired leases from the job event log, oldest first,
// at most `capacity` of them (the newest). Appends and trims rows without resetting, so the
// view keeps its selection and scroll position; an event delivered twice is shown once.
#pragma once

#include "store/records.h"

#include <QAbstractTableModel>
#include <QList>
#include <QMap>
#include <QSet>

namespace Docpipe::Ui {

class ErrorLogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ErrorLogModel)

public:
    enum Column {
        TimeColumn,
        JobColumn,
        DocumentColumn,
        StageColumn,
        OutcomeColumn,
        CodeColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role {
        JobIdRole = Qt::UserRole + 1, // qint64
        StageRole, // the stage's name, e.g. "parsing"
        CodeRole, // the error code
        SortRole, // a value that sorts the column (time by event id)
    };

    explicit ErrorLogModel(int capacity = 5000, QObject *parent = nullptr);

    void appendEvents(const QList<Store::JobEvent> &events);
    int capacity() const { return m_capacity; }
    const Store::JobEvent &eventAt(int row) const { return m_events.at(row); }
    // What the row shows, column by column (for copy and export).
    QStringList rowText(int row) const;
    QStringList headerText() const;
    // The distinct stages (in pipeline order) and codes (sorted) of the rows held.
    QStringList stages() const;
    QStringList codes() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // The stages or codes held changed (for the filter choices).
    void filterValuesChanged();

private:
    QString text(const Store::JobEvent &event, int column) const;
    void insertOlder(const Store::JobEvent &event);
    void appendNewer(const QList<Store::JobEvent> &events);
    void trimToCapacity();
    void count(const Store::JobEvent &event, int delta);

    QList<Store::JobEvent> m_events; // ascending id
    QSet<qint64> m_ids;
    QMap<QString, int> m_stageCounts;
    QMap<QString, int> m_codeCounts;
    int m_capacity;
};

} // namespace Docpipe::Ui
