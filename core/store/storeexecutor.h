// Runs store calls off the calling thread (the GUI thread never waits on the database).
// One thread per executor, so its calls are ordered and share one connection.
#pragma once

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>
#include <QThreadPool>

namespace Docpipe::Store {

class StoreExecutor final
{
public:
    StoreExecutor()
    {
        m_pool.setMaxThreadCount(1);
        m_pool.setExpiryTimeout(-1);
    }
    ~StoreExecutor() { m_pool.waitForDone(); }
    Q_DISABLE_COPY_MOVE(StoreExecutor)

    // Use with .then(context, ...) to get the result back on the caller's thread.
    template <typename Function>
    auto run(Function &&function)
    {
        return QtConcurrent::run(&m_pool, std::forward<Function>(function));
    }

private:
    QThreadPool m_pool;
};

} // namespace Docpipe::Store
