#include "llamaparseparser.h"

#include "httpsession.h"
#include "logging.h"
#include "serviceendpoint.h"
#include "stages/parsers/documenttype.h"

#include <QDeadlineTimer>
#include <QHttpMultiPart>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUuid>

namespace Docpipe::Services {

namespace {

constexpr int kMaxPollGrowth = 8;

StageError cancelled()
{
    return StageError::transient(QStringLiteral("cancelled"), QStringLiteral("cancelled"));
}

QString extensionFor(const QString &type)
{
    if (type == QLatin1String("markdown"))
        return QStringLiteral("md");
    if (type == QLatin1String("text"))
        return QStringLiteral("txt");
    return type;
}

// LlamaParse picks its reader by the file name's extension; the name as dropped may hold quotes,
// line breaks or anything else, so send a tame one with the extension of the detected type.
QString uploadName(const QString &fileName, const QString &type)
{
    static const QRegularExpression untame(QStringLiteral("[^A-Za-z0-9._-]+"));
    QString base = fileName.section(u'/', -1).section(u'.', 0, 0).replace(untame, QStringLiteral("_"));
    if (base.isEmpty() || base.startsWith(u'-'))
        base.prepend(QStringLiteral("document"));
    return base.left(100) + u'.' + extensionFor(type);
}

QHttpPart formField(const QByteArray &name, const QByteArray &value)
{
    QHttpPart part;
    part.setHeader(QNetworkRequest::ContentDispositionHeader, QByteArray("form-data; name=\"" + name + '"'));
    part.setBody(value);
    return part;
}

QJsonObject jsonObject(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

} // namespace

LlamaParseParser::LlamaParseParser(const ParserConfig &config)
    : m_config(config)
{
    const QUrl base(llamaParseUrl(config.llamaBaseUrl, QStringLiteral("/api/v1/parsing")));
    m_identity
        = {QStringLiteral("LlamaParse"), hostOf(base), QStringLiteral("LLAMA_CLOUD_API_KEY"), {}, config.llamaApiKey};
    m_limiter = RateLimiter::forEndpoint(endpointKey(base), {double(config.llamaRequestsPerMinute), 0});
}

QString LlamaParseParser::probeJobId()
{
    return QStringLiteral("00000000-0000-4000-8000-000000000000");
}

HttpReply LlamaParseParser::finishCall(const HttpReply &reply) const
{
    if (reply.status > 0)
        m_limiter->observe(parseRateLimitHeaders(reply.headers));
    if (reply.status == 429)
        m_limiter->rateLimited(classifyFailure(reply, m_identity).retryAfterMs);
    return reply;
}

HttpReply LlamaParseParser::call(HttpSession &session, const QString &route, const StageContext &context) const
{
    const auto permit = m_limiter->acquire(0, context.isCancelled);
    if (!permit) {
        HttpReply none;
        none.cancelled = true;
        return none;
    }
    return finishCall(session.get(llamaParseUrl(m_config.llamaBaseUrl, route),
                                  {m_config.llamaApiKey, m_config.llamaRequestTimeoutMs, context.isCancelled}));
}

Result<QString> LlamaParseParser::upload(HttpSession &session, const Stages::ParseRequest &request, const QString &type,
                                         const StageContext &context) const
{
    const auto permit = m_limiter->acquire(0, context.isCancelled);
    if (!permit)
        return cancelled();
    auto *form = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart file;
    file.setHeader(
        QNetworkRequest::ContentDispositionHeader,
        QByteArray("form-data; name=\"file\"; filename=\"" + uploadName(request.fileName, type).toUtf8() + '"'));
    file.setHeader(QNetworkRequest::ContentTypeHeader,
                   Stages::detectDocumentType(request.bytes, request.fileName).mimeName.toUtf8());
    file.setBody(request.bytes);
    form->append(file);
    form->append(formField("page_separator", kPageSeparator));
    const HttpReply reply = finishCall(
        session.postMultipart(llamaParseUrl(m_config.llamaBaseUrl, QStringLiteral("/api/v1/parsing/upload")), form,
                              {m_config.llamaApiKey, m_config.llamaRequestTimeoutMs, context.isCancelled}));
    if (!reply.isSuccess())
        return classifyFailure(reply, m_identity);
    const QString id = jsonObject(reply.body).value(QStringLiteral("id")).toString();
    if (id.isEmpty())
        return malformedResponse(m_identity, QStringLiteral("the upload answer has no job id"));
    return id;
}

// Polls until the job ends. Transient trouble is waited out until the deadline, so an outage or
// a slow poll does not throw away a job the server is still working on.
Result<bool> LlamaParseParser::waitForJob(HttpSession &session, const QString &jobId, qint64 deadlineMs,
                                          const StageContext &context) const
{
    const QDeadlineTimer deadline(deadlineMs);
    qint64 wait = m_config.llamaPollIntervalMs;
    for (;;) {
        if (!HttpSession::pause(std::min(wait, std::max<qint64>(0, deadline.remainingTime())), context.isCancelled))
            return cancelled();
        if (deadline.hasExpired())
            return StageError::transient(
                QStringLiteral("llamaparse_timeout"),
                QStringLiteral("LlamaParse did not finish the document within %1 s (parser/llamaparse_timeout_seconds)")
                    .arg(m_config.llamaTimeoutSeconds));
        wait = std::min<qint64>(wait * 3 / 2, qint64(m_config.llamaPollIntervalMs) * kMaxPollGrowth);
        const HttpReply reply = call(session, QStringLiteral("/api/v1/parsing/job/") + jobId, context);
        if (reply.cancelled)
            return cancelled();
        if (reply.status == 404)
            return StageError::transient(
                QStringLiteral("llamaparse_job_lost"),
                QStringLiteral(
                    "LlamaParse no longer knows the parse job (HTTP 404); the document will be uploaded again"));
        if (!reply.isSuccess()) {
            const StageError error = classifyFailure(reply, m_identity);
            if (!error.isTransient())
                return error;
            qCInfo(lcNet) << "polling LlamaParse:" << error.code << "- still waiting for the job";
            continue;
        }
        const QJsonObject job = jsonObject(reply.body);
        const QString status = job.value(QStringLiteral("status")).toString().toUpper();
        if (status == QLatin1String("SUCCESS"))
            return false;
        if (status == QLatin1String("PARTIAL_SUCCESS"))
            return true;
        if (status == QLatin1String("ERROR") || status == QLatin1String("CANCELLED")
            || status == QLatin1String("CANCELED")) {
            const QString said
                = redactSecrets(job.value(QStringLiteral("error_message")).toString(), m_config.llamaApiKey).left(300);
            if (said.contains(QLatin1String("EXPIRED"), Qt::CaseInsensitive))
                return StageError::transient(QStringLiteral("llamaparse_timeout"),
                                             QStringLiteral("the LlamaParse job expired before it finished"));
            return StageError::permanent(QStringLiteral("llamaparse_job_failed"),
                                         QStringLiteral("LlamaParse could not parse the document (%1)%2")
                                             .arg(status, said.isEmpty() ? QString() : QStringLiteral(": ") + said));
        }
    }
}

Result<QList<ParsedPage>> LlamaParseParser::fetchPages(HttpSession &session, const QString &jobId,
                                                       const StageContext &context) const
{
    const HttpReply reply = call(session, QStringLiteral("/api/v1/parsing/job/%1/result/markdown").arg(jobId), context);
    if (reply.cancelled)
        return cancelled();
    if (!reply.isSuccess())
        return classifyFailure(reply, m_identity);
    const QJsonValue markdown = jsonObject(reply.body).value(QStringLiteral("markdown"));
    if (!markdown.isString())
        return malformedResponse(m_identity, QStringLiteral("the result has no \"markdown\" text"));
    QList<ParsedPage> pages;
    for (const QString &text : markdown.toString().split(QLatin1String(kPageSeparator)))
        pages.append({int(pages.size()) + 1, text});
    return pages;
}

Result<ParsedDocument> LlamaParseParser::parse(const Stages::ParseRequest &request, const StageContext &context) const
{
    if (request.bytes.isEmpty())
        return StageError::permanent(QStringLiteral("empty_file"), QStringLiteral("the file is empty (0 bytes)"));
    const Stages::DetectedType detected = Stages::detectDocumentType(request.bytes, request.fileName);
    if (!detected.isSupported())
        return Stages::unsupportedTypeError(detected); // never pay to upload what we cannot use
    const QString type = Stages::documentTypeName(detected.type);
    QDeadlineTimer deadline(qint64(m_config.llamaTimeoutSeconds) * 1000);
    HttpSession session;
    auto jobId = upload(session, request, type, context);
    if (!jobId)
        return jobId.error();
    qCDebug(lcNet) << "LlamaParse job" << jobId.value() << "for" << request.fileName;
    auto partial = waitForJob(session, jobId.value(), deadline.remainingTime(), context);
    if (!partial)
        return partial.error();
    auto pages = fetchPages(session, jobId.value(), context);
    if (!pages)
        return pages.error();
    ParsedDocument document{type, std::move(pages).value(), {}};
    if (partial.value())
        document.warnings << QStringLiteral("LlamaParse parsed the document only in part (PARTIAL_SUCCESS)");
    return document;
}

} // namespace Docpipe::Services
