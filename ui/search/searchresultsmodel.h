// The Search panel's rows: one found chunk each (score, document, pages, text), best first.
#pragma once

#include "search/retrieval.h"

#include <QAbstractTableModel>

namespace Docpipe::Ui {

class SearchResultsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SearchResultsModel)

public:
    enum Column { ScoreColumn, DocumentColumn, PagesColumn, TextColumn, ColumnCount };
    enum Role { JobIdRole = Qt::UserRole + 1, ChunkIndexRole };

    explicit SearchResultsModel(QObject *parent = nullptr);

    void setHits(const QList<Search::SearchHit> &hits);
    const QList<Search::SearchHit> &hits() const { return m_hits; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Search::SearchHit> m_hits;
};

} // namespace Docpipe::Ui
