#include "errorlogfilter.h"

#include "errorlogmodel.h"

namespace Docpipe::Ui {

ErrorLogFilter::ErrorLogFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ErrorLogModel::SortRole);
    setDynamicSortFilter(true);
}

void ErrorLogFilter::setStage(const QString &stage)
{
    if (stage == m_stage)
        return;
    m_stage = stage;
    invalidateRowsFilter();
}

void ErrorLogFilter::setCode(const QString &code)
{
    if (code == m_code)
        return;
    m_code = code;
    invalidateRowsFilter();
}

void ErrorLogFilter::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search)
        return;
    m_search = trimmed;
    invalidateRowsFilter();
}

bool ErrorLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex row = model->index(sourceRow, 0, sourceParent);
    if (!m_stage.isEmpty() && row.data(ErrorLogModel::StageRole).toString() != m_stage)
        return false;
    if (!m_code.isEmpty() && row.data(ErrorLogModel::CodeRole).toString() != m_code)
        return false;
    if (m_search.isEmpty())
        return true;
    for (const int column : {ErrorLogModel::JobColumn, ErrorLogModel::DocumentColumn, ErrorLogModel::CodeColumn,
                             ErrorLogModel::MessageColumn}) {
        if (model->index(sourceRow, column, sourceParent).data().toString().contains(m_search, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace Docpipe::Ui
