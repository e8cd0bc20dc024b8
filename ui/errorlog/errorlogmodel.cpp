#include "errorlogmodel.h"

#include "jobformat.h"

#include <QDateTime>

#include <algorithm>

namespace Docpipe::Ui {

namespace {

bool byId(const Store::JobEvent &a, const Store::JobEvent &b)
{
    return a.id < b.id;
}

int stageOrder(const QString &name)
{
    const auto stage = stageFromName(name);
    return stage ? int(*stage) : int(allStages().size());
}

} // namespace

ErrorLogModel::ErrorLogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(qMax(1, capacity))
{ }

void ErrorLogModel::appendEvents(const QList<Store::JobEvent> &events)
{
    QList<Store::JobEvent> fresh;
    QSet<qint64> batch;
    for (const Store::JobEvent &event : events) {
        if (Store::isErrorKind(event.kind) && !m_ids.contains(event.id) && !batch.contains(event.id)) {
            fresh.append(event);
            batch.insert(event.id);
        }
    }
    if (fresh.isEmpty())
        return;
    std::sort(fresh.begin(), fresh.end(), byId);
    if (fresh.size() > m_capacity)
        fresh = fresh.mid(fresh.size() - m_capacity);

    const QStringList stagesBefore = stages();
    const QStringList codesBefore = codes();
    const qint64 newest = m_events.isEmpty() ? std::numeric_limits<qint64>::min() : m_events.last().id;
    const auto firstNewer
        = std::find_if(fresh.cbegin(), fresh.cend(), [&](const Store::JobEvent &e) { return e.id > newest; });
    for (auto it = fresh.cbegin(); it != firstNewer; ++it)
        insertOlder(*it); // late arrivals (a backlog after the live tail): rare, one row each
    appendNewer(QList<Store::JobEvent>(firstNewer, fresh.cend()));
    trimToCapacity();
    if (stages() != stagesBefore || codes() != codesBefore)
        Q_EMIT filterValuesChanged();
}

void ErrorLogModel::insertOlder(const Store::JobEvent &event)
{
    if (m_events.size() >= m_capacity && event.id < m_events.first().id)
        return; // older than everything kept
    const auto at = std::lower_bound(m_events.begin(), m_events.end(), event, byId);
    const int row = int(at - m_events.begin());
    beginInsertRows({}, row, row);
    m_events.insert(row, event);
    m_ids.insert(event.id);
    count(event, 1);
    endInsertRows();
}

void ErrorLogModel::appendNewer(const QList<Store::JobEvent> &events)
{
    if (events.isEmpty())
        return;
    const int first = int(m_events.size());
    beginInsertRows({}, first, first + int(events.size()) - 1);
    for (const Store::JobEvent &event : events) {
        m_events.append(event);
        m_ids.insert(event.id);
        count(event, 1);
    }
    endInsertRows();
}

void ErrorLogModel::trimToCapacity()
{
    const int excess = int(m_events.size()) - m_capacity;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    for (int i = 0; i < excess; ++i) {
        m_ids.remove(m_events.at(i).id);
        count(m_events.at(i), -1);
    }
    m_events.remove(0, excess);
    endRemoveRows();
}

void ErrorLogModel::count(const Store::JobEvent &event, int delta)
{
    for (auto [counts, key] : {std::pair{&m_stageCounts, event.fromStage}, std::pair{&m_codeCounts, event.code}}) {
        if (key.isEmpty())
            continue;
        int &n = (*counts)[key];
        n += delta;
        if (n <= 0)
            counts->remove(key);
    }
}

QStringList ErrorLogModel::stages() const
{
    QStringList names = m_stageCounts.keys();
    std::stable_sort(names.begin(), names.end(),
                     [](const QString &a, const QString &b) { return stageOrder(a) < stageOrder(b); });
    return names;
}

QStringList ErrorLogModel::codes() const
{
    return m_codeCounts.keys();
}

int ErrorLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int ErrorLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ErrorLogModel::text(const Store::JobEvent &event, int column) const
{
    switch (column) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(event.at).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case JobColumn:
        return QString::number(event.jobId);
    case DocumentColumn:
        return event.jobName;
    case StageColumn: {
        const auto stage = stageFromName(event.fromStage);
        return stage ? stageLabel(*stage) : event.fromStage;
    }
    case OutcomeColumn:
        if (event.kind == QLatin1String(Store::EventKind::Retry))
            return tr("Retrying");
        if (event.kind == QLatin1String(Store::EventKind::Failed))
            return tr("Failed");
        return tr("Lease expired");
    case CodeColumn:
        return event.code;
    case MessageColumn:
        return event.message;
    }
    return {};
}

QVariant ErrorLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Store::JobEvent &event = m_events.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        // One line in the table; the full message is in the tooltip.
        return index.column() == MessageColumn ? QString(event.message).replace(u'\n', u' ')
                                               : text(event, index.column());
    case Qt::ToolTipRole:
        return index.column() == MessageColumn || index.column() == DocumentColumn ? text(event, index.column())
                                                                                   : QVariant();
    case Qt::ForegroundRole:
        return index.column() == OutcomeColumn && event.kind == QLatin1String(Store::EventKind::Failed)
            ? QVariant(QColor(0xdc, 0x26, 0x26))
            : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == JobColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case JobIdRole:
        return event.jobId;
    case StageRole:
        return event.fromStage;
    case CodeRole:
        return event.code;
    case SortRole:
        switch (index.column()) {
        case TimeColumn:
            return event.id;
        case JobColumn:
            return event.jobId;
        case StageColumn:
            return stageOrder(event.fromStage);
        default:
            return text(event, index.column());
        }
    }
    return {};
}

QVariant ErrorLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    return headerText().at(section);
}

QStringList ErrorLogModel::headerText() const
{
    return {tr("Time"), tr("Job"), tr("Document"), tr("Stage"), tr("Outcome"), tr("Code"), tr("Message")};
}

QStringList ErrorLogModel::rowText(int row) const
{
    QStringList texts;
    for (int column = 0; column < ColumnCount; ++column)
        texts << text(m_events.at(row), column);
    return texts;
}

} // namespace Docpipe::Ui
