#include "jobdetailsdialog.h"

#include "jobformat.h"
#include "store/storeexecutor.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Docpipe::Ui {

namespace {

QTreeWidget *makeTree(const QStringList &headers, QWidget *parent)
{
    auto *tree = new QTreeWidget(parent);
    tree->setHeaderLabels(headers);
    tree->setRootIsDecorated(false);
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(true);
    tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    tree->header()->setStretchLastSection(true);
    return tree;
}

QPlainTextEdit *makeText(QWidget *parent)
{
    auto *text = new QPlainTextEdit(parent);
    text->setReadOnly(true);
    return text;
}

QWidget *withNote(QWidget *main, QLabel *note, QWidget *parent)
{
    auto *page = new QWidget(parent);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    note->setWordWrap(true);
    layout->addWidget(note);
    layout->addWidget(main, 1);
    return page;
}

// "Read by OCR (mean word confidence): page 2 (93%), page 4 (41%)."; empty when no page was.
QString ocrPagesText(const QList<OcrPage> &pages)
{
    constexpr int kListed = 50;
    if (pages.isEmpty())
        return {};
    QStringList listed;
    for (int i = 0; i < pages.size() && i < kListed; ++i)
        listed << JobDetailsDialog::tr("page %1 (%2%)").arg(pages.at(i).number).arg(pages.at(i).confidence);
    if (pages.size() > kListed)
        listed << JobDetailsDialog::tr("%n more", nullptr, int(pages.size()) - kListed);
    return JobDetailsDialog::tr("Read by OCR (mean word confidence): %1.").arg(listed.join(QStringLiteral(", ")));
}

QString pagesText(int first, int last)
{
    return first == last ? QString::number(first) : QStringLiteral("%1–%2").arg(first).arg(last);
}

} // namespace

JobDetailsDialog::JobDetailsDialog(const Store::Database &db, QWidget *parent)
    : QDialog(parent)
    , m_db(db)
    , m_executor(std::make_unique<Store::StoreExecutor>())
    , m_title(new QLabel(this))
    , m_badge(new QLabel(this))
    , m_facts(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_runs(makeTree({tr("Stage"), tr("Started"), tr("Duration"), tr("Outcome"), tr("Worker")}, this))
    , m_events(
          makeTree({tr("Time"), tr("Event"), tr("From"), tr("To"), tr("Duration"), tr("Code"), tr("Message")}, this))
    , m_error(makeText(this))
    , m_text(makeText(this))
    , m_textNote(new QLabel(this))
    , m_ocrNote(new QLabel(this))
    , m_chunks(new QTableWidget(0, 4, this))
    , m_chunksNote(new QLabel(this))
    , m_model(new QLabel(this))
    , m_dimensions(new QLabel(this))
    , m_vectors(new QLabel(this))
{
    setObjectName(QStringLiteral("jobDetails"));
    setModal(false);
    m_runs->setObjectName(QStringLiteral("stageRuns"));
    m_events->setObjectName(QStringLiteral("eventLog"));
    m_error->setObjectName(QStringLiteral("errorText"));
    m_text->setObjectName(QStringLiteral("parsedText"));
    m_textNote->setObjectName(QStringLiteral("parsedTextNote"));
    m_ocrNote->setObjectName(QStringLiteral("ocrPages"));
    m_ocrNote->setWordWrap(true);
    m_ocrNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_ocrNote->hide();
    m_chunks->setObjectName(QStringLiteral("chunkTable"));
    m_model->setObjectName(QStringLiteral("embeddingModel"));
    m_dimensions->setObjectName(QStringLiteral("embeddingDimensions"));
    m_facts->setObjectName(QStringLiteral("jobFacts"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_facts->setWordWrap(true);
    m_badge->setMargin(4);

    auto *timeline = new QSplitter(Qt::Vertical, this);
    timeline->addWidget(m_runs);
    timeline->addWidget(m_events);
    timeline->setSizes({130, 330});
    m_tabs->addTab(timeline, tr("Timeline"));
    m_tabs->addTab(m_error, tr("Error"));
    auto *textPage = withNote(m_text, m_textNote, this);
    static_cast<QVBoxLayout *>(textPage->layout())->insertWidget(1, m_ocrNote);
    m_tabs->addTab(textPage, tr("Parsed text"));
    m_chunks->setHorizontalHeaderLabels({tr("#"), tr("Pages"), tr("Tokens"), tr("Text")});
    m_chunks->horizontalHeader()->setStretchLastSection(true);
    m_chunks->verticalHeader()->hide();
    m_chunks->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_chunks->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_chunks->setWordWrap(false);
    m_tabs->addTab(withNote(m_chunks, m_chunksNote, this), tr("Chunks"));
    auto *embedding = new QWidget(this);
    auto *form = new QFormLayout(embedding);
    form->addRow(tr("Model:"), m_model);
    form->addRow(tr("Dimensions:"), m_dimensions);
    form->addRow(tr("Vectors stored:"), m_vectors);
    m_tabs->addTab(embedding, tr("Embedding"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *refresh = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ActionRole);
    connect(refresh, &QPushButton::clicked, this, &JobDetailsDialog::reload);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_badge);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_facts);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);
    resize(860, 600);
}

JobDetailsDialog::~JobDetailsDialog() = default;

void JobDetailsDialog::showJob(qint64 jobId)
{
    showChunk(jobId, -1);
}

void JobDetailsDialog::showChunk(qint64 jobId, int index)
{
    m_jobId = jobId;
    m_focusChunk = index;
    reload();
    show();
    raise();
    activateWindow();
}

void JobDetailsDialog::reload()
{
    const quint64 request = ++m_request;
    m_loading = true;
    setWindowTitle(tr("Job %1 — loading…").arg(m_jobId));
    m_executor->run([db = m_db, id = m_jobId] { return loadJobDetails(db, id); })
        .then(this, [this, request](const JobDetails &details) {
            if (request != m_request)
                return; // a newer request is on its way
            m_loading = false;
            present(details);
            Q_EMIT loaded(details.jobId);
        });
}

void JobDetailsDialog::present(const JobDetails &details)
{
    presentHeader(details);
    presentTimeline(details);
    presentError(details);
    m_text->setPlainText(details.textPreview);
    const QString size = details.pages == 0 ? tr("Not parsed yet.")
        : details.textPreview.size() < details.textChars
        ? tr("%n page(s); showing the first %1 of %2 characters.", nullptr, details.pages)
              .arg(QLocale().toString(qlonglong(details.textPreview.size())), QLocale().toString(details.textChars))
        : tr("%n page(s), %1 characters.", nullptr, details.pages).arg(QLocale().toString(details.textChars));
    m_textNote->setText(details.furniture.isEmpty() ? size
                                                    : size + QLatin1Char('\n') + furnitureNote(details.furniture));
    m_ocrNote->setText(ocrPagesText(details.ocrPages));
    m_ocrNote->setVisible(!details.ocrPages.isEmpty());
    presentChunks(details);
    presentEmbedding(details);
    focusChunk(details);
}

// The running headers and footers the PDF cleaner took out of the text: what an operator checks
// when a line seems missing from the chunks.
QString JobDetailsDialog::furnitureNote(const QList<FurnitureLine> &furniture)
{
    constexpr int kShown = 5;
    QStringList parts;
    for (const FurnitureLine &line : furniture.mid(0, kShown)) {
        const QString what
            = line.text.isEmpty() ? tr("page numbers") : QStringLiteral("\u201c%1\u201d").arg(line.text.left(60));
        parts << tr("%1 (%n page(s))", nullptr, line.pages).arg(what);
    }
    if (furniture.size() > kShown)
        parts << tr("%n more", nullptr, int(furniture.size() - kShown));
    return tr("Dropped as running headers and footers: %1").arg(parts.join(QStringLiteral(", ")));
}

void JobDetailsDialog::focusChunk(const JobDetails &details)
{
    if (m_focusChunk < 0)
        return;
    m_tabs->setCurrentIndex(ChunksTab);
    for (int row = 0; row < details.chunks.size(); ++row) {
        if (details.chunks.at(row).index == m_focusChunk) {
            m_chunks->selectRow(row);
            m_chunks->scrollToItem(m_chunks->item(row, 0), QAbstractItemView::PositionAtCenter);
            return;
        }
    }
}

void JobDetailsDialog::presentHeader(const JobDetails &details)
{
    if (!details.error.isEmpty() || !details.job) {
        const QString why = details.error.isEmpty() ? tr("There is no job %1.").arg(details.jobId) : details.error;
        setWindowTitle(tr("Job %1").arg(details.jobId));
        m_title->setText(tr("Job %1").arg(details.jobId));
        m_facts->setText(why);
        m_badge->clear();
        m_badge->setStyleSheet({});
        return;
    }
    const Store::JobRecord &job = *details.job;
    setWindowTitle(tr("Job %1 — %2").arg(job.id).arg(job.name));
    m_title->setText(job.name);
    m_badge->setText(badgeLabel(job.stage, job.status));
    m_badge->setStyleSheet(
        QStringLiteral("QLabel { color: white; background: %1; border-radius: 4px; font-weight: bold; }")
            .arg(badgeColor(job.stage, job.status).name()));
    QStringList facts{tr("Job %1").arg(job.id)};
    if (!job.docType.isEmpty())
        facts << documentTypeLabel(job.docType);
    facts << QLocale().formattedDataSize(job.sizeBytes);
    if (job.pages > 0)
        facts << tr("%n page(s)", nullptr, job.pages);
    facts << tr("%n chunk(s)", nullptr, job.chunks);
    if (job.attempts > 0)
        facts << tr("%n failed attempt(s)", nullptr, job.attempts);
    facts << tr("added %1").arg(formatTimestamp(job.createdAt));
    m_facts->setText(facts.join(QStringLiteral(" · ")) + QStringLiteral("\n") + job.sourcePath);
}

void JobDetailsDialog::presentTimeline(const JobDetails &details)
{
    m_runs->clear();
    for (const StageRun &run : stageRuns(details.events)) {
        const QString outcome = run.outcome == QLatin1String(Store::EventKind::Transition) ? tr("Completed")
            : run.outcome.isEmpty()                                                        ? QString()
                                    : eventKindLabel(run.outcome);
        auto *item = new QTreeWidgetItem(m_runs,
                                         {stageLabel(run.stage), formatTimestamp(run.startedAt),
                                          run.durationMs < 0 ? tr("running") : formatDuration(run.durationMs), outcome,
                                          run.worker});
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
        if (!run.message.isEmpty())
            item->setToolTip(3, run.code + QStringLiteral(": ") + run.message);
    }
    m_events->clear();
    for (const Store::JobEvent &event : details.events) {
        const auto from = stageFromName(event.fromStage);
        const auto to = stageFromName(event.toStage);
        auto *item = new QTreeWidgetItem(m_events,
                                         {formatTimestamp(event.at), eventKindLabel(event.kind),
                                          from ? stageLabel(*from) : QString(), to ? stageLabel(*to) : QString(),
                                          formatDuration(event.durationMs), event.code, event.message});
        item->setToolTip(6, event.message);
    }
    for (QTreeWidget *tree : {m_runs, m_events}) {
        for (int column = 0; column < tree->columnCount() - 1; ++column)
            tree->resizeColumnToContents(column);
    }
}

void JobDetailsDialog::presentError(const JobDetails &details)
{
    QStringList lines;
    if (details.job && !details.job->errorCode.isEmpty())
        lines << details.job->errorCode << details.job->errorMessage << QString();
    QStringList history;
    for (const Store::JobEvent &event : details.events) {
        if (Store::isErrorKind(event.kind))
            history << QStringLiteral("%1  %2  %3  %4")
                           .arg(formatTimestamp(event.at), eventKindLabel(event.kind), event.code, event.message);
    }
    if (!history.isEmpty())
        lines << tr("Errors in the event log:") << history;
    m_error->setPlainText(lines.isEmpty() ? tr("No errors.") : lines.join(u'\n'));
    m_tabs->setTabText(ErrorTab, history.isEmpty() ? tr("Error") : tr("Errors (%1)").arg(history.size()));
}

void JobDetailsDialog::presentChunks(const JobDetails &details)
{
    m_chunks->setRowCount(int(details.chunks.size()));
    for (int row = 0; row < details.chunks.size(); ++row) {
        const ChunkSummary &chunk = details.chunks.at(row);
        const QString oneLine = QString(chunk.text).replace(u'\n', u' ');
        const QStringList cells{QString::number(chunk.index), pagesText(chunk.pageStart, chunk.pageEnd),
                                QString::number(chunk.tokens), oneLine};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            if (column == 3)
                item->setToolTip(chunk.text);
            m_chunks->setItem(row, column, item);
        }
    }
    m_chunks->resizeColumnsToContents();
    m_chunks->horizontalHeader()->setStretchLastSection(true);
    m_chunksNote->setText(
        details.chunkCount == 0 ? tr("No chunks stored yet (they are stored when the job is embedded).")
            : details.chunks.size() < details.chunkCount
            ? tr("Showing the first %1 of %n chunk(s).", nullptr, details.chunkCount).arg(details.chunks.size())
            : tr("%n chunk(s).", nullptr, details.chunkCount));
}

void JobDetailsDialog::presentEmbedding(const JobDetails &details)
{
    const bool stored = details.chunkCount > 0;
    m_model->setText(stored ? details.embeddingModel : tr("not embedded yet"));
    m_dimensions->setText(stored ? QString::number(details.embeddingDimensions) : QStringLiteral("—"));
    m_vectors->setText(QLocale().toString(details.chunkCount));
}

} // namespace Docpipe::Ui
