// Parses through LlamaParse: uploads the document (multipart), polls the job with growing waits
// until it ends, then fetches the pages. v2 (the default, parser/llamaparse_api) uploads to
// /api/v2/parse/upload with the tier and version as a `configuration` JSON string, polls
// /api/v2/parse/{id} and fetches markdown pages (text pages on the fast tier, which has no
// markdown) with expand=; a page LlamaParse could not parse becomes a warning. v1 fetches one
// markdown text and splits it at the page separator it asked for. Transient trouble while
// polling (timeouts, 5xx, a dropped connection, an outage) does not lose the job: polling goes on
// until the document's deadline. Cancellation aborts the poll at once (and, on v2, cancels the
// remote job so it stops costing credits). Safe to call from several worker threads at once.
#pragma once

#include "config/config.h"
#include "ratelimiter.h"
#include "serviceerror.h"
#include "stages/parsers/documentparser.h"

#include <QJsonObject>

#include <memory>

namespace Docpipe::Services {

class HttpSession;

class LlamaParseParser final : public Stages::DocumentParser
{
public:
    // Asked for as page_separator (v1): a line no document is likely to contain.
    static constexpr char kPageSeparator[] = "\n\n<!-- docpipe:page-break -->\n\n";

    explicit LlamaParseParser(const ParserConfig &config);

    // Errors: the local type check's (empty or unsupported files are never uploaded); cancelled;
    // those of classifyFailure(); llamaparse_job_failed (permanent), llamaparse_no_page_parsed
    // (v2: the job completed but every page failed; permanent), llamaparse_job_lost (the server
    // forgot the job; transient, the retry uploads again), llamaparse_timeout (transient),
    // malformed_response.
    Result<ParsedDocument> parse(const Stages::ParseRequest &request, const StageContext &context) const override;
    QString name() const override { return QStringLiteral("llamaparse"); }

    // The id of a job that no server knows: the service check asks for it (404 means the key was
    // accepted).
    static QString probeJobId();

private:
    // What a status poll said about the job.
    struct JobState
    {
        enum Kind { Working, Done, DonePartly, Failed } kind = Working;
        QString status; // as the server spelled it
        QString message; // the server's error_message, when Failed
    };

    bool isV2() const { return m_config.llamaApi != QLatin1String("v1"); }
    Result<QString> upload(HttpSession &session, const Stages::ParseRequest &request, const QString &type,
                           const StageContext &context) const;
    Result<bool> waitForJob(HttpSession &session, const QString &jobId, qint64 deadlineMs,
                            const StageContext &context) const;
    JobState readState(const QJsonObject &answer) const;
    Result<ParsedDocument> fetchV1(HttpSession &session, const QString &jobId, const StageContext &context) const;
    Result<ParsedDocument> fetchV2(HttpSession &session, const QString &jobId, const StageContext &context) const;
    // Asks LlamaParse to stop a v2 job we no longer wait for; best effort, never cancellable.
    void cancelRemote(HttpSession &session, const QString &jobId) const;
    HttpReply call(HttpSession &session, const QString &route, const StageContext &context) const;
    HttpReply finishCall(const HttpReply &reply) const;

    ParserConfig m_config;
    ServiceIdentity m_identity;
    std::shared_ptr<RateLimiter> m_limiter;
};

} // namespace Docpipe::Services
