#include "databasehealth.h"

#include <QMutexLocker>

namespace Docpipe::Store {

DatabaseHealth::DatabaseHealth(QObject *parent)
    : QObject(parent)
{ }

bool DatabaseHealth::reportUnavailable(const StageError &error)
{
    {
        const QMutexLocker lock(&m_mutex);
        if (!m_reachable) {
            m_reason = error.message; // the latest word, for a status bar's tooltip
            return false;
        }
        m_reachable = false;
        m_since = nowMs();
        m_reason = error.message;
        m_writesFail = error.code == QLatin1String(DatabaseErrorCode::Full)
            || error.code == QLatin1String(DatabaseErrorCode::ReadOnly);
    }
    Q_EMIT unreachable(error.message);
    return true;
}

bool DatabaseHealth::reportReachable(bool wrote)
{
    qint64 outageMs = 0;
    QString reason;
    {
        const QMutexLocker lock(&m_mutex);
        if (m_reachable || (m_writesFail && !wrote))
            return false;
        m_reachable = true;
        outageMs = nowMs() - m_since;
        reason = std::exchange(m_reason, QString());
        m_since = 0;
    }
    Q_EMIT reachableAgain(outageMs, reason);
    return true;
}

bool DatabaseHealth::isReachable() const
{
    const QMutexLocker lock(&m_mutex);
    return m_reachable;
}

QString DatabaseHealth::reason() const
{
    const QMutexLocker lock(&m_mutex);
    return m_reason;
}

qint64 DatabaseHealth::unreachableSinceMs() const
{
    const QMutexLocker lock(&m_mutex);
    return m_since;
}

int DatabaseHealth::backoffMs(int failedTries)
{
    return qMin(2000, 200 << qBound(0, failedTries, 4));
}

} // namespace Docpipe::Store
