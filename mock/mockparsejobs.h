// The mock's LlamaParse v1 jobs: an upload starts a job that "parses" the file with Docpipe's own
// local parser on a background pool; status polls see PENDING until the work is done and the
// configured processing time has passed, then SUCCESS (or ERROR with the parser's message); the
// result routes serve markdown (pages joined by the page_separator the upload asked for), text
// and JSON pages. Lives in the server's thread.
#pragma once

#include "mockanswer.h"
#include "mockfaults.h"

#include <QHash>
#include <QString>
#include <QThreadPool>

#include <memory>

namespace Docpipe::Services {

class MockParseJobs final
{
public:
    explicit MockParseJobs(int processingMs);
    ~MockParseJobs();
    Q_DISABLE_COPY_MOVE(MockParseJobs)

    // `fault`: NeverFinish or JobFailed shape the job's fate; anything else is ignored.
    MockAnswer upload(const QByteArray &contentType, const QByteArray &body, MockFault fault);
    MockAnswer status(const QString &id);
    MockAnswer result(const QString &id, const QString &kind); // "markdown", "text", "json"
    int jobCount() const { return int(m_jobs.size()); }

private:
    struct Job;
    void settle(Job &job) const;

    QHash<QString, std::shared_ptr<Job>> m_jobs;
    QThreadPool m_pool;
    int m_processingMs;
};

} // namespace Docpipe::Services
