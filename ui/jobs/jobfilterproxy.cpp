#include "jobfilterproxy.h"

#include "jobtablemodel.h"

namespace Docpipe::Ui {

namespace {

bool matchesOutcome(JobStatus status, Outcome outcome)
{
    switch (outcome) {
    case Outcome::Any:
        return true;
    case Outcome::InProgress:
        return status == JobStatus::Queued || status == JobStatus::Running;
    case Outcome::Done:
        return status == JobStatus::Done;
    case Outcome::Failed:
        return status == JobStatus::Failed;
    case Outcome::Cancelled:
        return status == JobStatus::Cancelled;
    }
    return true;
}

// Pipeline order, then the outcome: a failed parse sorts after a running one.
int stageRank(const JobRow &job)
{
    return int(job.stage) * 8 + int(job.status);
}

template <typename T>
int compare(const T &a, const T &b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

} // namespace

JobFilterProxy::JobFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void JobFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_jobs = qobject_cast<const JobTableModel *>(model);
    Q_ASSERT_X(m_jobs || !model, "JobFilterProxy", "sorts and filters a JobTableModel only");
    QSortFilterProxyModel::setSourceModel(model);
}

void JobFilterProxy::setStageFilter(std::optional<Stage> stage)
{
    if (m_stage == stage)
        return;
    m_stage = stage;
    refilter();
}

void JobFilterProxy::setOutcomeFilter(Outcome outcome)
{
    if (m_outcome == outcome)
        return;
    m_outcome = outcome;
    refilter();
}

void JobFilterProxy::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (m_search == trimmed)
        return;
    m_search = trimmed;
    refilter();
}

void JobFilterProxy::refilter()
{
    // Qt 6.4 has no begin/endFilterChange; invalidateFilter() re-runs filterAcceptsRow.
    invalidateFilter();
}

bool JobFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_jobs || sourceParent.isValid())
        return false;
    const JobRow &job = m_jobs->jobAt(sourceRow);
    if (m_stage && job.stage != *m_stage)
        return false;
    if (!matchesOutcome(job.status, m_outcome))
        return false;
    return m_search.isEmpty() || job.name.contains(m_search, Qt::CaseInsensitive);
}

bool JobFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const JobRow &a = m_jobs->jobAt(left.row());
    const JobRow &b = m_jobs->jobAt(right.row());
    int order = 0;
    switch (left.column()) {
    case JobTableModel::NameColumn:
        order = a.nameKey.compare(b.nameKey);
        if (order == 0)
            order = compare(a.version, b.version); // a document's versions in order
        break;
    case JobTableModel::TypeColumn:
        order = a.docType.compare(b.docType);
        break;
    case JobTableModel::PagesColumn:
        order = compare(a.pages, b.pages);
        break;
    case JobTableModel::StageColumn:
        order = compare(stageRank(a), stageRank(b));
        break;
    case JobTableModel::ProgressColumn:
        order = compare(m_jobs->progressOf(a.id), m_jobs->progressOf(b.id));
        break;
    case JobTableModel::AttemptsColumn:
        order = compare(a.attempts, b.attempts);
        break;
    case JobTableModel::ElapsedColumn:
        order = compare(m_jobs->elapsedMs(a), m_jobs->elapsedMs(b));
        break;
    case JobTableModel::ErrorColumn:
        order = a.errorCode.compare(b.errorCode);
        break;
    default:
        break;
    }
    // Ties (and the id column) fall back to the id, so equal keys keep a stable, readable order.
    return order != 0 ? order < 0 : a.id < b.id;
}

} // namespace Docpipe::Ui
