#include "jobsview.h"

#include "jobdelegates.h"
#include "jobformat.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace Docpipe::Ui {

namespace {

constexpr int kNoStage = -1;

struct ColumnWidth
{
    int column;
    int width;
};

constexpr ColumnWidth kDefaultWidths[] = {
    {JobTableModel::IdColumn, 56},       {JobTableModel::NameColumn, 260},   {JobTableModel::TypeColumn, 80},
    {JobTableModel::PagesColumn, 56},    {JobTableModel::StageColumn, 112},  {JobTableModel::ProgressColumn, 110},
    {JobTableModel::AttemptsColumn, 70}, {JobTableModel::ElapsedColumn, 90},
};

// Wide enough for the longest badge in this language ("Fehlgeschlagen", "Embedding", ...).
int widestBadge(QFont font)
{
    font.setBold(true);
    const QFontMetrics metrics(font);
    int widest = 0;
    for (const Stage stage : allStages())
        widest = std::max(widest, metrics.horizontalAdvance(stageLabel(stage)));
    for (const JobStatus status : {JobStatus::Failed, JobStatus::Cancelled})
        widest = std::max(widest, metrics.horizontalAdvance(statusLabel(status)));
    return widest + 32; // the badge's padding and the cell's margins
}

// Keeps the empty-table hint centred in the viewport.
class HintPlacer final : public QObject
{
public:
    HintPlacer(QLabel *hint, QWidget *viewport)
        : QObject(hint)
        , m_hint(hint)
    {
        viewport->installEventFilter(this);
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Resize)
            m_hint->setGeometry(static_cast<QWidget *>(watched)->rect());
        return false;
    }

private:
    QLabel *m_hint;
};

} // namespace

JobsView::JobsView(QWidget *parent)
    : QWidget(parent)
    , m_model(new JobTableModel(this))
    , m_proxy(new JobFilterProxy(this))
    , m_table(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_stage(new QComboBox(this))
    , m_outcome(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_emptyHint(new QLabel(m_table->viewport()))
{
    m_proxy->setSourceModel(m_model);

    m_search->setObjectName(QStringLiteral("jobSearch"));
    m_search->setPlaceholderText(tr("Search documents…"));
    m_search->setClearButtonEnabled(true);
    m_search->setAcceptDrops(false); // a dropped file is a document to add, not text to search
    m_stage->setObjectName(QStringLiteral("stageFilter"));
    m_stage->addItem(tr("All stages"), kNoStage);
    for (const Stage stage : allStages())
        m_stage->addItem(stageLabel(stage), int(stage));
    m_outcome->setObjectName(QStringLiteral("outcomeFilter"));
    m_outcome->addItem(tr("All outcomes"), int(Outcome::Any));
    m_outcome->addItem(tr("In progress"), int(Outcome::InProgress));
    m_outcome->addItem(tr("Done"), int(Outcome::Done));
    m_outcome->addItem(tr("Failed"), int(Outcome::Failed));
    m_outcome->addItem(tr("Cancelled"), int(Outcome::Cancelled));
    m_summary->setObjectName(QStringLiteral("jobSummary"));

    auto *searchDelay = new QTimer(this);
    searchDelay->setSingleShot(true);
    searchDelay->setInterval(150);
    connect(m_search, &QLineEdit::textChanged, searchDelay, qOverload<>(&QTimer::start));
    connect(searchDelay, &QTimer::timeout, this, [this] { m_proxy->setSearchText(m_search->text()); });
    connect(m_stage, &QComboBox::currentIndexChanged, this, [this] {
        const int stage = m_stage->currentData().toInt();
        m_proxy->setStageFilter(stage == kNoStage ? std::nullopt : std::optional<Stage>(Stage(stage)));
    });
    connect(m_outcome, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setOutcomeFilter(Outcome(m_outcome->currentData().toInt())); });

    m_table->setObjectName(QStringLiteral("jobsTable"));
    m_table->setModel(m_proxy);
    m_table->setItemDelegateForColumn(JobTableModel::StageColumn, new StageBadgeDelegate(m_table));
    m_table->setItemDelegateForColumn(JobTableModel::ProgressColumn, new ProgressDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(JobTableModel::IdColumn, Qt::AscendingOrder);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Fixed row heights: the view never measures 50,000 rows.
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionsMovable(true);
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    for (const ColumnWidth &w : kDefaultWidths)
        header->resizeSection(w.column, w.width);
    header->resizeSection(JobTableModel::StageColumn,
                          std::max(header->sectionSize(JobTableModel::StageColumn), widestBadge(font())));
    m_defaultColumns = header->saveState();

    connect(m_table, &QTableView::customContextMenuRequested, this,
            [this](const QPoint &pos) { Q_EMIT contextMenuRequested(m_table->viewport()->mapToGlobal(pos)); });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT jobActivated(index.data(JobTableModel::JobIdRole).toLongLong());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &JobsView::selectionChanged);
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, [this] { updateSummary(); });
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, [this] { updateSummary(); });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] { updateSummary(); });

    m_emptyHint->setObjectName(QStringLiteral("emptyHint"));
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_emptyHint->setStyleSheet(QStringLiteral("QLabel { color: palette(mid); font-size: 13pt; }"));
    new HintPlacer(m_emptyHint, m_table->viewport());

    auto *filters = new QHBoxLayout;
    filters->setContentsMargins(6, 6, 6, 2);
    filters->addWidget(m_search, 3);
    filters->addWidget(m_stage, 1);
    filters->addWidget(m_outcome, 1);
    filters->addStretch(0);
    filters->addWidget(m_summary);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    updateSummary();
}

QList<qint64> JobsView::selectedJobIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        ids.append(index.data(JobTableModel::JobIdRole).toLongLong());
    std::sort(ids.begin(), ids.end());
    return ids;
}

QList<JobRow> JobsView::selectedJobs() const
{
    QList<JobRow> jobs;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        jobs.append(m_model->jobAt(m_proxy->mapToSource(index).row()));
    return jobs;
}

qint64 JobsView::currentJobId() const
{
    const QModelIndex current = m_table->currentIndex();
    if (current.isValid() && m_table->selectionModel()->isRowSelected(current.row(), {}))
        return current.data(JobTableModel::JobIdRole).toLongLong();
    const QList<qint64> ids = selectedJobIds();
    return ids.isEmpty() ? 0 : ids.first();
}

QString JobsView::selectedRowsAsText() const
{
    QStringList lines;
    const QHeaderView *header = m_table->horizontalHeader();
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &row : std::as_const(rows)) {
        QStringList cells;
        for (int visual = 0; visual < header->count(); ++visual) {
            const int column = header->logicalIndex(visual);
            if (!header->isSectionHidden(column) && column != JobTableModel::ProgressColumn)
                cells << m_proxy->index(row.row(), column).data().toString();
        }
        lines << cells.join(u'\t');
    }
    return lines.join(u'\n');
}

bool JobsView::selectJob(qint64 jobId)
{
    const int sourceRow = m_model->rowOfJob(jobId);
    if (sourceRow < 0)
        return false;
    QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, JobTableModel::NameColumn));
    if (!index.isValid()) {
        m_search->clear();
        m_proxy->setSearchText({});
        m_stage->setCurrentIndex(0);
        m_outcome->setCurrentIndex(0);
        index = m_proxy->mapFromSource(m_model->index(sourceRow, JobTableModel::NameColumn));
    }
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

QList<int> JobsView::visibleSourceRows() const
{
    QList<int> rows;
    const int first = m_table->rowAt(0);
    if (first < 0)
        return rows;
    int last = m_table->rowAt(m_table->viewport()->height() - 1);
    if (last < 0)
        last = m_proxy->rowCount() - 1;
    for (int row = first; row <= last; ++row)
        rows.append(m_proxy->mapToSource(m_proxy->index(row, 0)).row());
    return rows;
}

QByteArray JobsView::saveColumns() const
{
    return m_table->horizontalHeader()->saveState();
}

void JobsView::restoreColumns(const QByteArray &state)
{
    if (!state.isEmpty())
        m_table->horizontalHeader()->restoreState(state);
}

void JobsView::resetColumns()
{
    m_table->horizontalHeader()->restoreState(m_defaultColumns);
}

void JobsView::updateSummary()
{
    const int shown = m_proxy->rowCount();
    const int total = m_model->rowCount();
    const QLocale locale;
    m_summary->setText(shown == total ? tr("%Ln job(s)", nullptr, total)
                                      : tr("%1 of %Ln job(s)", nullptr, total).arg(locale.toString(shown)));
    updateEmptyHint();
}

void JobsView::updateEmptyHint()
{
    const bool empty = m_proxy->rowCount() == 0;
    if (empty) {
        m_emptyHint->setText(m_model->rowCount() == 0 ? tr(
                                 "Drop documents or folders here\n(PDF, DOCX, HTML, Markdown, text, images)\nor use Add files.")
                                                      : tr("No jobs match the filters."));
        m_emptyHint->setGeometry(m_table->viewport()->rect());
    }
    m_emptyHint->setVisible(empty);
}

} // namespace Docpipe::Ui
