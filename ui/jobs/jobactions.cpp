#include "jobactions.h"

#include "resources.h"

#include <QAction>
#include <QIcon>
#include <QKeySequence>

namespace Docpipe::Ui {

namespace {

QAction *make(QObject *parent, const char *objectName, const QString &text, const QString &icon,
              const QKeySequence &shortcut, const QString &statusTip)
{
    initResources();
    auto *action = new QAction(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)), text, parent);
    action->setObjectName(QLatin1String(objectName));
    action->setShortcut(shortcut);
    action->setStatusTip(statusTip);
    action->setToolTip(shortcut.isEmpty() ? text
                                          : QStringLiteral("%1 (%2)").arg(QString(text).remove(u'&'),
                                                                          shortcut.toString(QKeySequence::NativeText)));
    return action;
}

} // namespace

JobActions::JobActions(QObject *parent)
    : QObject(parent)
    , details(make(this, "actionDetails", tr("&Details…"), QStringLiteral("details"),
                   QKeySequence(Qt::CTRL | Qt::Key_I), tr("Show the selected job's timeline, error, text and chunks")))
    , retry(make(this, "actionRetry", tr("&Retry"), QStringLiteral("retry"), QKeySequence(Qt::CTRL | Qt::Key_R),
                 tr("Retry the selected failed or cancelled jobs from their last checkpoint")))
    , retryAllFailed(make(this, "actionRetryAllFailed", tr("Retry &All Failed…"), QStringLiteral("retry-all"),
                          QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), tr("Retry every failed job")))
    , rerun(make(this, "actionRerun", tr("Re-run from &Start"), QStringLiteral("rerun"),
                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
                 tr("Send the selected jobs back to the start, dropping their text, chunks and vectors")))
    , cancel(make(this, "actionCancel", tr("&Cancel"), QStringLiteral("cancel"), QKeySequence(Qt::Key_Delete),
                  tr("Cancel the selected queued or running jobs")))
    , copy(make(this, "actionCopy", tr("&Copy"), QStringLiteral("copy"), QKeySequence::Copy,
                tr("Copy the selected rows as tab-separated text")))
    , pause(make(this, "actionPause", tr("&Pause"), QStringLiteral("pause"), QKeySequence(Qt::CTRL | Qt::Key_P),
                 tr("Stop every worker from claiming new work")))
    , refresh(make(this, "actionRefresh", tr("Re&fresh"), QStringLiteral("refresh"), QKeySequence::Refresh,
                   tr("Read the database now and check the services again")))
{
    pause->setCheckable(true);
    updateForSelection({});
}

void JobActions::updateForSelection(const QList<JobRow> &selected)
{
    bool retryable = false;
    bool cancellable = false;
    for (const JobRow &job : selected) {
        retryable = retryable || job.status == JobStatus::Failed || job.status == JobStatus::Cancelled;
        cancellable = cancellable || job.status == JobStatus::Queued || job.status == JobStatus::Running;
    }
    details->setEnabled(!selected.isEmpty());
    copy->setEnabled(!selected.isEmpty());
    rerun->setEnabled(!selected.isEmpty());
    retry->setEnabled(retryable);
    cancel->setEnabled(cancellable);
}

void JobActions::setPaused(bool paused)
{
    pause->setChecked(paused);
    pause->setText(paused ? tr("Resu&me") : tr("&Pause"));
    pause->setIcon(QIcon(paused ? QStringLiteral(":/icons/resume.svg") : QStringLiteral(":/icons/pause.svg")));
    pause->setStatusTip(paused ? tr("Let workers claim work again") : tr("Stop every worker from claiming new work"));
}

QList<QAction *> JobActions::rowActions() const
{
    return {details, nullptr, retry, rerun, cancel, nullptr, copy};
}

} // namespace Docpipe::Ui
