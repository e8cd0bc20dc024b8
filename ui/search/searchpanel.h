// The Search panel (retrieval test): a query, how many results and an optional document; the
// nearest chunks with score, document, pages and text. Choosing one opens the job's details at
// that chunk. The query goes through core's SearchService; the panel never reads the database.
#pragma once

#include "search/searchservice.h"

#include <QDockWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class SearchResultsModel;

class SearchPanel final : public QDockWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SearchPanel)

public:
    explicit SearchPanel(Search::SearchService *service, QWidget *parent = nullptr);

    void runSearch();

    QLineEdit *queryField() const { return m_query; }
    QSpinBox *countField() const { return m_count; }
    QLineEdit *documentField() const { return m_document; }
    QLabel *statusLabel() const { return m_status; }
    QTableView *view() const { return m_view; }
    SearchResultsModel *model() const { return m_model; }

Q_SIGNALS:
    // A result was chosen: show its job's details at this chunk.
    void chunkActivated(qint64 jobId, int chunkIndex);

private:
    void showAnswer(const Search::SearchAnswer &answer);
    void showFailure(const QString &message);
    void activate(const QModelIndex &index);

    Search::SearchService *m_service;
    SearchResultsModel *m_model;
    QLineEdit *m_query;
    QSpinBox *m_count;
    QLineEdit *m_document;
    QPushButton *m_button;
    QLabel *m_status;
    QTableView *m_view;
};

} // namespace Docpipe::Ui
