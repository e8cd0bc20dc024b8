#include "jobtablemodel.h"

#include "jobformat.h"

#include <QDateTime>
#include <QLocale>
#include <QMap>

#include <algorithm>

namespace Docpipe::Ui {

namespace {

JobRow toRow(const Store::JobRecord &job)
{
    JobRow row;
    row.id = job.id;
    row.name = job.name;
    row.nameKey = job.name.toCaseFolded();
    row.sourcePath = job.sourcePath;
    row.docType = job.docType;
    row.stage = job.stage;
    row.status = job.status;
    row.pages = job.pages;
    row.chunks = job.chunks;
    row.attempts = job.attempts;
    row.createdAt = job.createdAt;
    row.updatedAt = job.updatedAt;
    row.errorCode = job.errorCode;
    row.errorMessage = job.errorMessage;
    row.version = job.version;
    row.isCurrent = job.isCurrent;
    row.sourceRemoved = job.sourceRemoved;
    return row;
}

// The first and last column whose cells read differently after the change.
std::pair<int, int> changedColumns(const JobRow &before, const JobRow &after)
{
    int first = JobTableModel::ColumnCount;
    int last = -1;
    const auto mark = [&](bool differs, int column) {
        if (differs) {
            first = std::min(first, column);
            last = std::max(last, column);
        }
    };
    mark(before.name != after.name || before.sourcePath != after.sourcePath || before.version != after.version
             || before.isCurrent != after.isCurrent || before.sourceRemoved != after.sourceRemoved,
         JobTableModel::NameColumn);
    mark(before.docType != after.docType, JobTableModel::TypeColumn);
    mark(before.pages != after.pages, JobTableModel::PagesColumn);
    const bool moved = before.stage != after.stage || before.status != after.status;
    mark(moved, JobTableModel::StageColumn);
    mark(moved, JobTableModel::ProgressColumn);
    mark(before.attempts != after.attempts, JobTableModel::AttemptsColumn);
    mark(moved || before.updatedAt != after.updatedAt || before.createdAt != after.createdAt,
         JobTableModel::ElapsedColumn);
    mark(before.errorCode != after.errorCode || before.errorMessage != after.errorMessage, JobTableModel::ErrorColumn);
    return {first, last};
}

QString oneLine(const QString &text)
{
    QString line = text;
    line.replace(u'\n', u' ');
    line.replace(u'\r', u' ');
    return line;
}

// "report.pdf (v2)": versions show once a document has more than one.
QString nameWithVersion(const JobRow &job)
{
    return job.version > 1 ? JobTableModel::tr("%1 (v%2)").arg(job.name).arg(job.version) : job.name;
}

QString nameToolTip(const JobRow &job)
{
    QString tip = job.sourcePath;
    if (job.sourceRemoved)
        tip += u'\n' + JobTableModel::tr("Version %1; the file was deleted from its watched folder").arg(job.version);
    else if (job.isCurrent)
        tip += u'\n'
            + JobTableModel::tr("Version %1, current: its chunks are the ones searched and exported").arg(job.version);
    else if (job.status == JobStatus::Done || job.version > 1)
        tip += u'\n'
            + JobTableModel::tr("Version %1, not current: another version's chunks are searched").arg(job.version);
    return tip;
}

QString stageToolTip(const JobRow &job)
{
    switch (job.status) {
    case JobStatus::Failed:
        return JobTableModel::tr("Failed during %1").arg(stageLabel(job.stage));
    case JobStatus::Cancelled:
        return JobTableModel::tr("Cancelled at %1").arg(stageLabel(job.stage));
    case JobStatus::Running:
        return JobTableModel::tr("Running: %1").arg(stageLabel(job.stage));
    case JobStatus::Done:
        return JobTableModel::tr("Done: chunks and vectors stored");
    case JobStatus::Queued:
        break;
    }
    if (const auto next = activeStageAfter(job.stage))
        return JobTableModel::tr("%1, waiting for %2").arg(stageLabel(job.stage), stageLabel(*next).toLower());
    return stageLabel(job.stage);
}

} // namespace

JobTableModel::JobTableModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_now(QDateTime::currentMSecsSinceEpoch())
{ }

int JobTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JobTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobRow &job = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(job, index.column());
    case Qt::ToolTipRole:
        return toolTipData(job, index.column());
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case IdColumn:
        case PagesColumn:
        case AttemptsColumn:
        case ElapsedColumn:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case JobIdRole:
        return job.id;
    case StageRole:
        return int(job.stage);
    case StatusRole:
        return int(job.status);
    case ProgressRole:
        if (job.status != JobStatus::Running)
            return {};
        return progressOf(job.id);
    case StalledRole:
        return isStalled(job);
    default:
        return {};
    }
}

QVariant JobTableModel::displayData(const JobRow &job, int column) const
{
    switch (column) {
    case IdColumn:
        return job.id;
    case NameColumn:
        return nameWithVersion(job);
    case TypeColumn:
        return documentTypeLabel(job.docType);
    case PagesColumn:
        return job.pages > 0 ? QVariant(job.pages) : QVariant(QString());
    case StageColumn:
        return badgeLabel(job.stage, job.status);
    case ProgressColumn: {
        if (job.status != JobStatus::Running)
            return QString();
        if (isStalled(job))
            return tr("stalled for %1").arg(formatDuration(m_now - lastMovedAt(job)));
        const double fraction = progressOf(job.id);
        return fraction < 0 ? tr("working…") : QLocale().toString(qRound(fraction * 100)) + QStringLiteral(" %");
    }
    case AttemptsColumn:
        return job.attempts;
    case ElapsedColumn:
        return formatDuration(elapsedMs(job));
    case ErrorColumn:
        if (job.errorCode.isEmpty() && job.errorMessage.isEmpty())
            return QString();
        return oneLine(job.errorMessage.isEmpty() ? job.errorCode
                                                  : job.errorCode + QStringLiteral(": ") + job.errorMessage);
    default:
        return {};
    }
}

QVariant JobTableModel::toolTipData(const JobRow &job, int column) const
{
    switch (column) {
    case NameColumn:
        return nameToolTip(job);
    case ProgressColumn:
        if (isStalled(job))
            return tr("No progress for %1. Its worker may be stuck or cut off from the database; the job goes back "
                      "to its last checkpoint when the worker's lease expires.")
                .arg(formatDuration(m_now - lastMovedAt(job)));
        return stageToolTip(job);
    case StageColumn:
        return stageToolTip(job);
    case ErrorColumn:
        return job.errorMessage.isEmpty() ? QVariant()
                                          : QVariant(job.errorCode + QStringLiteral("\n") + job.errorMessage);
    default:
        return {};
    }
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("#");
    case NameColumn:
        return tr("Document");
    case TypeColumn:
        return tr("Type");
    case PagesColumn:
        return tr("Pages");
    case StageColumn:
        return tr("Stage");
    case ProgressColumn:
        return tr("Progress");
    case AttemptsColumn:
        return tr("Attempts");
    case ElapsedColumn:
        return tr("Elapsed");
    case ErrorColumn:
        return tr("Last error");
    default:
        return {};
    }
}

void JobTableModel::applyJobs(const QList<Store::JobRecord> &jobs)
{
    QMap<std::pair<int, int>, QList<int>> changedBySpan;
    QList<JobRow> added;
    QHash<qint64, qsizetype> addedIndex;
    for (const Store::JobRecord &record : jobs) {
        JobRow row = toRow(record);
        const int existing = rowOfJob(row.id);
        if (existing >= 0) {
            JobRow &current = m_rows[existing];
            if (current == row)
                continue;
            const auto span = changedColumns(current, row);
            if (current.stage != row.stage || current.status != row.status)
                m_movedAt.remove(row.id); // its updated time says when it moved now
            current = std::move(row);
            if (current.status != JobStatus::Running)
                m_progress.remove(current.id);
            changedBySpan[span].append(existing);
        } else if (const auto at = addedIndex.constFind(row.id); at != addedIndex.cend()) {
            added[*at] = std::move(row); // the same job twice in one batch: the later row wins
        } else {
            addedIndex.insert(row.id, added.size());
            added.append(std::move(row));
        }
    }
    for (auto it = changedBySpan.cbegin(); it != changedBySpan.cend(); ++it)
        emitRowRuns(it.value(), it.key().first, it.key().second, {});
    if (added.isEmpty())
        return;
    std::sort(added.begin(), added.end(), [](const JobRow &a, const JobRow &b) { return a.id < b.id; });
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    m_rows.reserve(m_rows.size() + added.size());
    for (JobRow &row : added) {
        m_rowById.insert(row.id, int(m_rows.size()));
        m_rows.append(std::move(row));
    }
    endInsertRows();
}

void JobTableModel::setProgress(const QList<JobProgress> &progress)
{
    QHash<qint64, double> next;
    next.reserve(progress.size());
    for (const JobProgress &p : progress)
        next.insert(p.jobId, p.total > 0 ? std::clamp(double(p.done) / double(p.total), 0.0, 1.0) : -1.0);
    QList<int> changed;
    for (auto it = next.cbegin(); it != next.cend(); ++it) {
        const auto before = m_progress.constFind(it.key());
        if (before == m_progress.cend() || *before != it.value())
            m_movedAt.insert(it.key(), m_now);
        if (before == m_progress.cend() || qAbs(*before - it.value()) >= 0.005)
            changed.append(rowOfJob(it.key()));
    }
    for (auto it = m_movedAt.begin(); it != m_movedAt.end();)
        it = next.contains(it.key()) ? std::next(it) : m_movedAt.erase(it);
    for (auto it = m_progress.cbegin(); it != m_progress.cend(); ++it) {
        if (!next.contains(it.key()))
            changed.append(rowOfJob(it.key()));
    }
    m_progress = std::move(next);
    changed.removeAll(-1);
    emitRowRuns(changed, ProgressColumn, ProgressColumn, {Qt::DisplayRole, ProgressRole});
}

void JobTableModel::setNow(qint64 nowMs, const QList<int> &rows)
{
    m_now = nowMs;
    QList<int> ticking;
    for (const int row : rows) {
        if (row >= 0 && row < m_rows.size() && !m_rows.at(row).isFinished())
            ticking.append(row);
    }
    // The progress cell too: a running job turns "stalled" by the clock alone.
    emitRowRuns(ticking, ProgressColumn, ElapsedColumn, {Qt::DisplayRole, StalledRole});
}

void JobTableModel::setStalledAfterMs(qint64 ms)
{
    if (m_stalledAfterMs == ms)
        return;
    m_stalledAfterMs = ms;
    QList<int> running;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).status == JobStatus::Running)
            running.append(row);
    }
    emitRowRuns(running, ProgressColumn, ProgressColumn, {Qt::DisplayRole, Qt::ToolTipRole, StalledRole});
}

qint64 JobTableModel::lastMovedAt(const JobRow &job) const
{
    return std::max(job.updatedAt, m_movedAt.value(job.id, 0));
}

bool JobTableModel::isStalled(const JobRow &job) const
{
    return m_stalledAfterMs > 0 && job.status == JobStatus::Running && m_now - lastMovedAt(job) > m_stalledAfterMs;
}

QMap<Stage, int> JobTableModel::stalledByStage() const
{
    QMap<Stage, int> stalled;
    if (m_stalledAfterMs <= 0)
        return stalled;
    for (const JobRow &job : m_rows) {
        if (isStalled(job))
            ++stalled[job.stage];
    }
    return stalled;
}

double JobTableModel::progressOf(qint64 jobId) const
{
    return m_progress.value(jobId, -1.0);
}

qint64 JobTableModel::elapsedMs(const JobRow &job) const
{
    const qint64 end = job.isFinished() ? job.updatedAt : m_now;
    return std::max<qint64>(0, end - job.createdAt);
}

// One dataChanged per run of consecutive rows, so a batch of neighbours costs one signal.
void JobTableModel::emitRowRuns(QList<int> rows, int firstColumn, int lastColumn, const QList<int> &roles)
{
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    qsizetype start = 0;
    for (qsizetype i = 1; i <= rows.size(); ++i) {
        if (i == rows.size() || rows.at(i) != rows.at(i - 1) + 1) {
            Q_EMIT dataChanged(index(rows.at(start), firstColumn), index(rows.at(i - 1), lastColumn), roles);
            start = i;
        }
    }
}

} // namespace Docpipe::Ui
