// Operator actions on jobs (retry, re-run from start, cancel, pause, resume): the same core calls
// the CLI makes (Store::retryJobs, cancelJobs, setPaused), run off the GUI thread in order. Each
// reports once with a sentence for the status bar; then the window wakes the engine and polls.
#pragma once

#include "model/result.h"
#include "store/database.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace Docpipe::Store {
class StoreExecutor;
}

namespace Docpipe::Ui {

class JobController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobController)

public:
    explicit JobController(const Store::Database &db, QObject *parent = nullptr);
    ~JobController() override;

    // Failed or cancelled jobs go back to the checkpoint before the stage that failed.
    void retry(const QList<qint64> &ids);
    // Any job goes back to `uploaded`, its parsed text, chunks and vectors dropped.
    void rerunFromStart(const QList<qint64> &ids);
    void cancel(const QList<qint64> &ids);
    void setPaused(bool paused);
    // Asks one worker to finish what it holds, take nothing new, and stop.
    void drainWorker(const QString &workerId);
    // Looks up the failed jobs (for "retry all failed", which confirms the count first).
    void findFailed();

    // Who the event log names as the actor of the window's actions.
    static QString actor();

Q_SIGNALS:
    void done(const QString &message);
    void failed(const QString &message);
    void jobsMoved(); // wake the engine, refresh the views
    void failedFound(const QList<qint64> &ids);
    void pausedSet(bool paused);

private:
    // Runs `call` (a store function that moves jobs) off the GUI thread and reports its outcome:
    // `failure` with the error, or `describe(moved)`.
    void moveJobs(std::function<Result<int>()> call, const QString &failure, std::function<QString(int)> describe);

    Store::Database m_db;
    std::unique_ptr<Store::StoreExecutor> m_executor;
};

} // namespace Docpipe::Ui
