#include "notificationpolicy.h"

#include <QCoreApplication>

namespace Docpipe::Ui {

namespace {

constexpr int kNamesShown = 3;

} // namespace

int NotificationPolicy::unfinished(const Store::StatusCounts &counts)
{
    int waiting = 0;
    for (auto it = counts.byStage.cbegin(); it != counts.byStage.cend(); ++it) {
        if (it.key() != Stage::Embedded)
            waiting += it.value();
    }
    return waiting;
}

std::optional<Notice> NotificationPolicy::observeCounts(const Store::StatusCounts &counts)
{
    const int done = counts.byStage.value(Stage::Embedded);
    if (unfinished(counts) > 0) {
        if (!m_batchActive) {
            m_batchActive = true;
            m_doneAtStart = done;
            m_failedAtStart = counts.failed;
        }
        return std::nullopt;
    }
    if (!m_batchActive)
        return std::nullopt;
    m_batchActive = false;
    m_failedNames.clear(); // the batch notice counts them
    const int embedded = std::max(0, done - m_doneAtStart);
    const int failed = std::max(0, counts.failed - m_failedAtStart);
    const QString message = failed > 0 ? tr("%n document(s) embedded, %1 failed.", nullptr, embedded).arg(failed)
                                       : tr("%n document(s) embedded.", nullptr, embedded);
    return Notice{Notice::Kind::BatchFinished, tr("Docpipe: batch finished"), message};
}

void NotificationPolicy::observeEvents(const QList<Store::JobEvent> &events)
{
    for (const Store::JobEvent &event : events) {
        if (event.kind == QLatin1String(Store::EventKind::Failed))
            m_failedNames << (event.jobName.isEmpty() ? QString::number(event.jobId) : event.jobName);
    }
}

std::optional<Notice> NotificationPolicy::takeFailures()
{
    if (m_failedNames.isEmpty())
        return std::nullopt;
    const int count = int(m_failedNames.size());
    const QString names = m_failedNames.mid(0, kNamesShown).join(QStringLiteral(", "));
    const QString message = count > kNamesShown ? tr("%1 and %n more", nullptr, count - kNamesShown).arg(names) : names;
    m_failedNames.clear();
    return Notice{Notice::Kind::JobsFailed, tr("Docpipe: %n job(s) failed", nullptr, count), message};
}

} // namespace Docpipe::Ui
