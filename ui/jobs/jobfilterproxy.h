// Sorting, filtering (by stage, by outcome) and name search over the jobs table. Reads the
// model's rows directly: with 50,000 jobs, comparing typed fields beats comparing QVariants.
#pragma once

#include "model/stage.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace Docpipe::Ui {

class JobTableModel;

enum class Outcome { Any, InProgress, Done, Failed, Cancelled };

class JobFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobFilterProxy)

public:
    explicit JobFilterProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    void setStageFilter(std::optional<Stage> stage);
    std::optional<Stage> stageFilter() const { return m_stage; }
    void setOutcomeFilter(Outcome outcome);
    Outcome outcomeFilter() const { return m_outcome; }
    // Case-insensitive substring of the document name; empty shows all.
    void setSearchText(const QString &text);
    QString searchText() const { return m_search; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();

    const JobTableModel *m_jobs = nullptr;
    std::optional<Stage> m_stage;
    Outcome m_outcome = Outcome::Any;
    QString m_search;
};

} // namespace Docpipe::Ui
