#include "errorlogdock.h"

#include "delimitedtext.h"
#include "errorlogfilter.h"
#include "errorlogmodel.h"
#include "jobformat.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSaveFile>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace Docpipe::Ui {

namespace {

// Rebuilds a filter combo's choices after "any", keeping the chosen value even if it is gone.
void setChoices(QComboBox *combo, const QStringList &values, const std::function<QString(const QString &)> &label)
{
    const QString chosen = combo->currentData().toString();
    QStringList all = values;
    if (!chosen.isEmpty() && !all.contains(chosen))
        all.prepend(chosen);
    const QSignalBlocker block(combo);
    while (combo->count() > 1)
        combo->removeItem(1);
    for (const QString &value : std::as_const(all))
        combo->addItem(label(value), value);
    combo->setCurrentIndex(std::max(0, combo->findData(chosen)));
}

} // namespace

ErrorLogDock::ErrorLogDock(QWidget *parent)
    : QDockWidget(tr("Errors"), parent)
    , m_model(new ErrorLogModel(5000, this))
    , m_filter(new ErrorLogFilter(this))
    , m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("errorLogDock"));
    m_filter->setSourceModel(m_model);
    // Before the view's selection model connects: it moves the current row while rows go away
    // (filtered, trimmed), and that must not read as the person choosing another job.
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this] { m_rowsMoving = true; });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, [this] { m_rowsMoving = false; });
    connect(m_filter, &QAbstractItemModel::layoutAboutToBeChanged, this, [this] { m_rowsMoving = true; });
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, [this] { m_rowsMoving = false; });

    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ErrorLogModel::TimeColumn, Qt::DescendingOrder);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setAlternatingRowColors(true);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);
    const int digit = m_view->fontMetrics().horizontalAdvance(u'0');
    for (auto [column, chars] : {std::pair{ErrorLogModel::TimeColumn, 20},
                                 {ErrorLogModel::JobColumn, 7},
                                 {ErrorLogModel::DocumentColumn, 24},
                                 {ErrorLogModel::StageColumn, 11},
                                 {ErrorLogModel::OutcomeColumn, 13},
                                 {ErrorLogModel::CodeColumn, 18}})
        m_view->setColumnWidth(column, chars * digit);

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(makeFilterBar());
    layout->addWidget(m_view, 1);
    setWidget(content);
    makeActions();

    connect(m_model, &ErrorLogModel::filterValuesChanged, this, &ErrorLogDock::refreshFilterChoices);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_filter, signal, this, &ErrorLogDock::updateCountLabel);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &ErrorLogDock::updateCountLabel);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &ErrorLogDock::updateCountLabel);
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeInserted, this, &ErrorLogDock::keepReadingPosition);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &ErrorLogDock::restoreReadingPosition);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current); });
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT jobActivated(index.data(ErrorLogModel::JobIdRole).toLongLong());
    });
    updateCountLabel();
}

QWidget *ErrorLogDock::makeFilterBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_stageCombo = new QComboBox(bar);
    m_stageCombo->setObjectName(QStringLiteral("stageFilter"));
    m_stageCombo->addItem(tr("All stages"), QString());
    m_stageCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_codeCombo = new QComboBox(bar);
    m_codeCombo->setObjectName(QStringLiteral("codeFilter"));
    m_codeCombo->addItem(tr("All codes"), QString());
    m_codeCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setPlaceholderText(tr("Search documents, codes, messages…"));
    m_search->setClearButtonEnabled(true);
    m_countLabel = new QLabel(bar);
    m_countLabel->setForegroundRole(QPalette::PlaceholderText);
    row->addWidget(m_stageCombo);
    row->addWidget(m_codeCombo);
    row->addWidget(m_search, 1);
    row->addWidget(m_countLabel);

    connect(m_stageCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setStage(m_stageCombo->currentData().toString());
        updateCountLabel();
    });
    connect(m_codeCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setCode(m_codeCombo->currentData().toString());
        updateCountLabel();
    });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setSearchText(text);
        updateCountLabel();
    });
    return bar;
}

void ErrorLogDock::makeActions()
{
    auto *copy = new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("&Copy"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, this, &ErrorLogDock::copySelection);
    auto *exportCsvAction = new QAction(QIcon::fromTheme(QStringLiteral("document-save-as")), tr("&Export CSV…"), this);
    connect(exportCsvAction, &QAction::triggered, this, &ErrorLogDock::askAndExport);
    auto *showJob = new QAction(tr("Show &job"), this);
    connect(showJob, &QAction::triggered, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid())
            Q_EMIT jobActivated(current.data(ErrorLogModel::JobIdRole).toLongLong());
    });
    m_view->addActions({showJob, copy, exportCsvAction});
    addAction(copy);

    auto *bar = m_countLabel->parentWidget()->layout();
    for (QAction *action : {copy, exportCsvAction}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        bar->addWidget(button);
    }
}

void ErrorLogDock::appendEvents(const QList<Store::JobEvent> &events)
{
    m_model->appendEvents(events);
}

void ErrorLogDock::refreshFilterChoices()
{
    setChoices(m_stageCombo, m_model->stages(), [](const QString &name) {
        const auto stage = stageFromName(name);
        return stage ? stageLabel(*stage) : name;
    });
    setChoices(m_codeCombo, m_model->codes(), [](const QString &code) { return code; });
}

void ErrorLogDock::updateCountLabel()
{
    const int shown = m_filter->rowCount();
    const int total = m_model->rowCount();
    m_countLabel->setText(shown == total ? tr("Errors: %L1").arg(total)
                                         : tr("%L1 of %L2 errors").arg(shown).arg(total));
}

void ErrorLogDock::onCurrentRowChanged(const QModelIndex &current)
{
    if (m_rowsMoving || !current.isValid())
        return;
    Q_EMIT jobActivated(current.data(ErrorLogModel::JobIdRole).toLongLong());
}

// New errors arrive at the top (newest first). A reader at the top sees them; one who has
// scrolled down keeps the rows they were reading where they were.
void ErrorLogDock::keepReadingPosition()
{
    if (m_view->verticalScrollBar()->value() > 0 && !m_topRow.isValid())
        m_topRow = m_view->indexAt(QPoint(0, 0));
}

void ErrorLogDock::restoreReadingPosition()
{
    if (!m_topRow.isValid())
        return;
    m_view->scrollTo(m_topRow, QAbstractItemView::PositionAtTop);
    m_topRow = QPersistentModelIndex();
}

QList<QStringList> ErrorLogDock::rowsShown(bool selectedOnly) const
{
    QList<int> proxyRows;
    if (selectedOnly) {
        for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
            proxyRows << index.row();
        std::sort(proxyRows.begin(), proxyRows.end());
    } else {
        for (int row = 0; row < m_filter->rowCount(); ++row)
            proxyRows << row;
    }
    QList<QStringList> rows{m_model->headerText()};
    for (const int row : std::as_const(proxyRows))
        rows << m_model->rowText(m_filter->mapToSource(m_filter->index(row, 0)).row());
    return rows;
}

QString ErrorLogDock::selectedText() const
{
    const QList<QStringList> rows = rowsShown(true);
    return rows.size() > 1 ? delimitedText(rows, u'\t') : QString();
}

void ErrorLogDock::copySelection() const
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

bool ErrorLogDock::exportCsv(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(delimitedText(rowsShown(false)).toUtf8());
        if (file.commit())
            return true;
    }
    if (error)
        *error = file.errorString();
    return false;
}

void ErrorLogDock::askAndExport()
{
    const QString suggested = QStringLiteral("docpipe-errors-%1.csv")
                                  .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export errors"), suggested, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export errors"), tr("Could not write %1: %2").arg(path, error));
}

} // namespace Docpipe::Ui
