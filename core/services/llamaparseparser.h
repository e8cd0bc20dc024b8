// Parses through LlamaParse (v1): uploads the document (multipart), polls the job with growing
// waits until it succeeds or fails, then fetches the result as markdown, split into pages at the
// page separator it asked for. Transient trouble while polling (timeouts, 5xx, a dropped
// connection, an outage) does not lose the job: polling goes on until the document's deadline.
// Cancellation aborts the poll at once. Safe to call from several worker threads at once.
#pragma once

#include "config/config.h"
#include "ratelimiter.h"
#include "serviceerror.h"
#include "stages/parsers/documentparser.h"

#include <memory>

namespace Docpipe::Services {

class HttpSession;

class LlamaParseParser final : public Stages::DocumentParser
{
public:
    // Asked for as page_separator: a line no document is likely to contain.
    static constexpr char kPageSeparator[] = "\n\n<!-- docpipe:page-break -->\n\n";

    explicit LlamaParseParser(const ParserConfig &config);

    // Errors: the local type check's (empty or unsupported files are never uploaded); cancelled;
    // those of classifyFailure(); llamaparse_job_failed (permanent), llamaparse_job_lost (the
    // server forgot the job; transient, the retry uploads again), llamaparse_timeout (transient),
    // malformed_response.
    Result<ParsedDocument> parse(const Stages::ParseRequest &request, const StageContext &context) const override;
    QString name() const override { return QStringLiteral("llamaparse"); }

    // The id of a job that no server knows: the service check asks for it (404 means the key was
    // accepted).
    static QString probeJobId();

private:
    Result<QString> upload(HttpSession &session, const Stages::ParseRequest &request, const QString &type,
                           const StageContext &context) const;
    Result<bool> waitForJob(HttpSession &session, const QString &jobId, qint64 deadlineMs,
                            const StageContext &context) const;
    Result<QList<ParsedPage>> fetchPages(HttpSession &session, const QString &jobId, const StageContext &context) const;
    HttpReply call(HttpSession &session, const QString &route, const StageContext &context) const;
    HttpReply finishCall(const HttpReply &reply) const;

    ParserConfig m_config;
    ServiceIdentity m_identity;
    std::shared_ptr<RateLimiter> m_limiter;
};

} // namespace Docpipe::Services
