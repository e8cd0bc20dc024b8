#include "searchresultsmodel.h"

#include <QLocale>

namespace Docpipe::Ui {

SearchResultsModel::SearchResultsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void SearchResultsModel::setHits(const QList<Search::SearchHit> &hits)
{
    beginResetModel();
    m_hits = hits;
    endResetModel();
}

int SearchResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hits.size());
}

int SearchResultsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SearchResultsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Search::SearchHit &hit = m_hits.at(index.row());
    switch (role) {
    case JobIdRole:
        return hit.jobId;
    case ChunkIndexRole:
        return hit.index;
    case Qt::ToolTipRole:
        return index.column() == TextColumn ? QVariant(hit.text)
                                            : QVariant(tr("Job %1, chunk %2").arg(hit.jobId).arg(hit.index));
    case Qt::TextAlignmentRole:
        return index.column() == ScoreColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case ScoreColumn:
        return QLocale().toString(hit.score, 'f', 3);
    case DocumentColumn:
        return hit.document;
    case PagesColumn:
        return hit.pageStart == hit.pageEnd ? QString::number(hit.pageStart)
                                            : QStringLiteral("%1–%2").arg(hit.pageStart).arg(hit.pageEnd);
    case TextColumn:
        return hit.text.simplified();
    default:
        return {};
    }
}

QVariant SearchResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ScoreColumn:
        return tr("Score");
    case DocumentColumn:
        return tr("Document");
    case PagesColumn:
        return tr("Pages");
    case TextColumn:
        return tr("Text");
    default:
        return {};
    }
}

} // namespace Docpipe::Ui
