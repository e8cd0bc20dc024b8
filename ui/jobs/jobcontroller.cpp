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

Outcome toOutcome(const Result<int> &result)
{
    return result ? Outcome{result.value(), {}} : Outcome{0, result.error().message};
}

} // namespace

JobController::JobController(const Store::Database &db, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_executor(std::make_unique<Store::StoreExecutor>())
{
}

JobController::~JobController() = default;

QString JobController::actor()
{
    return QStringLiteral("window@") + Store::localHostName();
}

void JobController::retry(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return;
    m_executor->run([db = m_db, ids] { return toOutcome(Store::retryJobs(db, ids, Store::RetryFrom::LastCheckpoint, actor())); })
        .then(this, [this, requested = ids.size()](const Outcome &outcome) {
            if (!outcome.error.isEmpty())
                return Q_EMIT failed(tr("Retry failed: %1").arg(outcome.error));
            if (outcome.moved > 0)
                Q_EMIT jobsMoved();
            if (outcome.moved < requested)
                Q_EMIT done(tr("Retrying %n job(s); %1 were neither failed nor cancelled (use Re-run from start for those).", nullptr, outcome.moved)
                                .arg(requested - outcome.moved));
            else
                Q_EMIT done(tr("Retrying %n job(s).", nullptr, outcome.moved));
        });
}

void JobController::rerunFromStart(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return;
    m_executor->run([db = m_db, ids] { return toOutcome(Store::retryJobs(db, ids, Store::RetryFrom::Start, actor())); })
        .then(this, [this](const Outcome &outcome) {
            if (!outcome.error.isEmpty())
                return Q_EMIT failed(tr("Re-run failed: %1").arg(outcome.error));
            if (outcome.moved > 0)
                Q_EMIT jobsMoved();
            Q_EMIT done(tr("Re-running %n job(s) from the start.", nullptr, outcome.moved));
        });
}

void JobController::cancel(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return;
    m_executor->run([db = m_db, ids] { return toOutcome(Store::cancelJobs(db, ids, actor())); })
        .then(this, [this, requested = ids.size()](const Outcome &outcome) {
            if (!outcome.error.isEmpty())
                return Q_EMIT failed(tr("Cancel failed: %1").arg(outcome.error));
            if (outcome.moved > 0)
                Q_EMIT jobsMoved();
            if (outcome.moved < requested)
                Q_EMIT done(tr("Cancelled %n job(s); %1 had already finished, failed or been cancelled.", nullptr, outcome.moved)
                                .arg(requested - outcome.moved));
            else
                Q_EMIT done(tr("Cancelled %n job(s).", nullptr, outcome.moved));
        });
}

void JobController::setPaused(bool paused)
{
    m_executor->run([db = m_db, paused] {
        auto set = Store::setPaused(db, paused);
        return set ? QString() : set.error().message;
    }).then(this, [this, paused](const QString &error) {
        if (!error.isEmpty())
            return Q_EMIT failed(paused ? tr("Pause failed: %1").arg(error) : tr("Resume failed: %1").arg(error));
        Q_EMIT pausedSet(paused);
        if (!paused)
            Q_EMIT jobsMoved();
        Q_EMIT done(paused ? tr("Paused: every worker finishes what it holds and claims nothing new.") : tr("Resumed."));
    });
}

void JobController::findFailed()
{
    struct Found
    {
        QList<qint64> ids;
        QString error;
    };
    m_executor->run([db = m_db] {
        auto ids = Store::failedJobIds(db);
        return ids ? Found{ids.value(), {}} : Found{{}, ids.error().message};
    }).then(this, [this](const Found &found) {
        if (!found.error.isEmpty())
            return Q_EMIT failed(tr("Cannot list the failed jobs: %1").arg(found.error));
        Q_EMIT failedFound(found.ids);
    });
}

} // namespace Docpipe::Ui
