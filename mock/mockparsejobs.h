// The mock's LlamaParse jobs, behind both APIs. An upload starts a job that "parses" the file with
// Docpipe's own local parser on a background pool; polls see it working (v1 PENDING; v2 PENDING,
// then RUNNING) until the parse is done and the configured processing time has passed, then it
// succeeded (v1 SUCCESS or PARTIAL_SUCCESS, v2 COMPLETED) or failed (v1 ERROR, v2 FAILED).
// v1 serves markdown (pages joined by the page_separator the upload asked for), text and JSON
// pages from result routes; v2 serves pages from GET /api/v2/parse/{id}?expand=markdown|text and
// can cancel a job. Lives in the server's thread.
#pragma once

#include "mockanswer.h"
#include "mockfaults.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <memory>

namespace Docpipe::Services {

struct MockParseJob;

class MockParseJobs final
{
public:
    explicit MockParseJobs(int processingMs);
    ~MockParseJobs();
    Q_DISABLE_COPY_MOVE(MockParseJobs)

    // `fault`: NeverFinish, JobFailed, PageFailed or AllPagesFailed shape the job's fate;
    // anything else is ignored.
    MockAnswer upload(const QByteArray &contentType, const QByteArray &body, MockFault fault);
    MockAnswer status(const QString &id);
    MockAnswer result(const QString &id, const QString &kind); // "markdown", "text", "json"

    // v2: multipart `file` plus `configuration` (a JSON string with tier and version).
    MockAnswer uploadV2(const QByteArray &contentType, const QByteArray &body, MockFault fault);
    // The job, with the pages of each kind in `expand` ("markdown", "text") once it is COMPLETED.
    MockAnswer getV2(const QString &id, const QStringList &expand);
    MockAnswer cancelV2(const QString &id);

    int jobCount() const { return int(m_jobs.size()); }

private:
    std::shared_ptr<MockParseJob> start(const QByteArray &bytes, const QString &fileName, MockFault fault);
    std::shared_ptr<MockParseJob> find(const QString &id) const;
    void settle(MockParseJob &job) const;

    QHash<QString, std::shared_ptr<MockParseJob>> m_jobs;
    QThreadPool m_pool;
    int m_processingMs;
};

} // namespace Docpipe::Services
