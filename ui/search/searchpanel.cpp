#include "searchpanel.h"

#include "searchresultsmodel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace Docpipe::Ui {

SearchPanel::SearchPanel(Search::SearchService *service, QWidget *parent)
    : QDockWidget(tr("Search"), parent)
    , m_service(service)
    , m_model(new SearchResultsModel(this))
    , m_query(new QLineEdit(this))
    , m_count(new QSpinBox(this))
    , m_document(new QLineEdit(this))
    , m_button(new QPushButton(tr("&Search"), this))
    , m_status(new QLabel(this))
    , m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("searchPanel"));
    m_query->setObjectName(QStringLiteral("searchQuery"));
    m_query->setPlaceholderText(tr("Search the embedded chunks…"));
    m_query->setClearButtonEnabled(true);
    m_count->setRange(1, 100);
    m_count->setValue(10);
    m_count->setToolTip(tr("How many chunks to show"));
    m_document->setPlaceholderText(tr("All documents"));
    m_document->setToolTip(tr("Only chunks of the document with this name"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    const int digit = m_view->fontMetrics().horizontalAdvance(u'0');
    m_view->setColumnWidth(SearchResultsModel::ScoreColumn, digit * 8);
    m_view->setColumnWidth(SearchResultsModel::DocumentColumn, digit * 24);
    m_view->setColumnWidth(SearchResultsModel::PagesColumn, digit * 8);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_query, 3);
    bar->addWidget(new QLabel(tr("Results:"), this));
    bar->addWidget(m_count);
    bar->addWidget(new QLabel(tr("Document:"), this));
    bar->addWidget(m_document, 1);
    bar->addWidget(m_button);
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(bar);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);
    setWidget(page);

    connect(m_query, &QLineEdit::returnPressed, this, &SearchPanel::runSearch);
    connect(m_document, &QLineEdit::returnPressed, this, &SearchPanel::runSearch);
    connect(m_button, &QPushButton::clicked, this, &SearchPanel::runSearch);
    connect(m_view, &QAbstractItemView::activated, this, &SearchPanel::activate);
    connect(m_view, &QAbstractItemView::clicked, this, &SearchPanel::activate);
    connect(m_service, &Search::SearchService::answered, this,
            [this](const Search::SearchRequest &, const Search::SearchAnswer &answer) { showAnswer(answer); });
    connect(m_service, &Search::SearchService::failed, this,
            [this](const Search::SearchRequest &, const QString &message) { showFailure(message); });
}

void SearchPanel::runSearch()
{
    if (m_query->text().trimmed().isEmpty()) {
        m_status->setText(tr("Type what to search for."));
        return;
    }
    m_status->setText(tr("Searching…"));
    m_service->search({m_query->text(), m_count->value(), m_document->text().trimmed()});
}

void SearchPanel::showAnswer(const Search::SearchAnswer &answer)
{
    m_model->setHits(answer.hits);
    QStringList notes;
    if (answer.searched == 0 && answer.hits.isEmpty())
        notes << tr("No chunks are embedded yet.");
    else
        notes << tr("%n chunk(s) found", nullptr, int(answer.hits.size()))
              << tr("%1 searched with %2").arg(QLocale().toString(qlonglong(answer.searched)), answer.model);
    if (answer.lexical)
        notes << tr("lexical search: the local embedder matches shared words, not meaning");
    if (answer.otherSpaces > 0)
        notes << tr("%n chunk(s) embedded with another model were not compared", nullptr, int(answer.otherSpaces));
    m_status->setText(notes.join(QStringLiteral("; ")));
}

void SearchPanel::showFailure(const QString &message)
{
    m_model->setHits({});
    m_status->setText(message);
}

void SearchPanel::activate(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    Q_EMIT chunkActivated(index.data(SearchResultsModel::JobIdRole).toLongLong(),
                          index.data(SearchResultsModel::ChunkIndexRole).toInt());
}

} // namespace Docpipe::Ui
