#include "jobcontroller.h"

#include "store/jobcontrol.h"
#include "store/storeexecutor.h"
#include "store/workerregistry.h"

namespace Docpipe::Ui {

namespace {

struct Outcome
{
    int moved = 0;
    QString error;
};

} // namespace

JobController::JobController(const Store::Database &db, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_executor(std::make_unique<Store::StoreExecutor>())
{ }

JobController::~JobController() = default;

QString JobController::actor()
{
    return QStringLiteral("window@") + Store::localHostName();
}

void JobController::moveJobs(std::function<Result<int>()> call, const QString &failure,
                             std::function<QString(int)> describe)
{
    m_executor
        ->run([call = std::move(call)] {
            const Result<int> moved = call();
            return moved ? Outcome{moved.value(), {}} : Outcome{0, moved.error().message};
        })
        .then(this, [this, failure, describe = std::move(describe)](const Outcome &outcome) {
            if (!outcome.error.isEmpty())
                return Q_EMIT failed(failure.arg(outcome.error));
            if (outcome.moved > 0)
                Q_EMIT jobsMoved();
            Q_EMIT done(describe(outcome.moved));
        });
}

void JobController::retry(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return;
    moveJobs([db = m_db, ids] { return Store::retryJobs(db, ids, Store::RetryFrom::LastCheckpoint, actor()); },
             tr("Retry failed: %1"),
             [requested = ids.size()](int moved) {
                 return moved < requested
                     ? tr("Retrying %n job(s); %1 were neither failed nor cancelled (use Re-run from start for those).",
                          nullptr, moved)
                           .arg(requested - moved)
                     : tr("Retrying %n job(s).", nullptr, moved);
             });
}

void JobController::rerunFromStart(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return;
    moveJobs([db = m_db, ids] { return Store::retryJobs(db, ids, Store::RetryFrom::Start, actor()); },
             tr("Re-run failed: %1"),
             [](int moved) { return tr("Re-running %n job(s) from the start.", nullptr, moved); });
}

void JobController::cancel(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return;
    moveJobs([db = m_db, ids] { return Store::cancelJobs(db, ids, actor()); }, tr("Cancel failed: %1"),
             [requested = ids.size()](int moved) {
                 return moved < requested
                     ? tr("Cancelled %n job(s); %1 had already finished, failed or been cancelled.", nullptr, moved)
                           .arg(requested - moved)
                     : tr("Cancelled %n job(s).", nullptr, moved);
             });
}

void JobController::setPaused(bool paused)
{
    m_executor
        ->run([db = m_db, paused] {
            auto set = Store::setPaused(db, paused);
            return set ? QString() : set.error().message;
        })
        .then(this, [this, paused](const QString &error) {
            if (!error.isEmpty())
                return Q_EMIT failed(paused ? tr("Pause failed: %1").arg(error) : tr("Resume failed: %1").arg(error));
            Q_EMIT pausedSet(paused);
            if (!paused)
                Q_EMIT jobsMoved();
            Q_EMIT done(paused ? tr("Paused: every worker finishes what it holds and claims nothing new.")
                               : tr("Resumed."));
        });
}

void JobController::findFailed()
{
    struct Found
    {
        QList<qint64> ids;
        QString error;
    };
    m_executor
        ->run([db = m_db] {
            auto ids = Store::failedJobIds(db);
            return ids ? Found{ids.value(), {}} : Found{{}, ids.error().message};
        })
        .then(this, [this](const Found &found) {
            if (!found.error.isEmpty())
                return Q_EMIT failed(tr("Cannot list the failed jobs: %1").arg(found.error));
            Q_EMIT failedFound(found.ids);
        });
}

} // namespace Docpipe::Ui

namespace Docpipe::Ui {

void JobController::drainWorker(const QString &workerId)
{
    m_executor->run([db = m_db, workerId] { return Store::requestDrain(db, workerId); })
        .then(this, [this, workerId](const Result<bool> &drained) {
            if (!drained)
                return Q_EMIT failed(tr("Could not drain worker %1: %2").arg(workerId, drained.error().message));
            if (!drained.value())
                return Q_EMIT failed(tr("Worker %1 is not running.").arg(workerId));
            Q_EMIT done(tr("Worker %1 finishes what it holds, takes nothing new, then stops.").arg(workerId));
        });
}

} // namespace Docpipe::Ui
