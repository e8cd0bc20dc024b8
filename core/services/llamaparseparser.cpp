#include "llamaparseparser.h"

#include "httpsession.h"
#include "logging.h"
#include "serviceendpoint.h"
#include "stages/parsers/documenttype.h"

#include <QDeadlineTimer>
#include <QHttpMultiPart>
#include <QJsonArray>
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
    if (isV2()) {
        const QJsonObject configuration{{QStringLiteral("tier"), m_config.llamaTier},
                                        {QStringLiteral("version"), m_config.llamaVersion}};
        form->append(formField("configuration", QJsonDocument(configuration).toJson(QJsonDocument::Compact)));
    } else {
        form->append(formField("page_separator", kPageSeparator));
    }
    const QString route = isV2() ? QStringLiteral("/api/v2/parse/upload") : QStringLiteral("/api/v1/parsing/upload");
    const HttpReply reply = finishCall(
        session.postMultipart(llamaParseUrl(m_config.llamaBaseUrl, route), form,
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
        const QString route = isV2() ? QStringLiteral("/api/v2/parse/") : QStringLiteral("/api/v1/parsing/job/");
        const HttpReply reply = call(session, route + jobId, context);
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
        const JobState state = readState(jsonObject(reply.body));
        if (state.kind == JobState::Done || state.kind == JobState::DonePartly)
            return state.kind == JobState::DonePartly;
        if (state.kind == JobState::Failed) {
            const QString said = redactSecrets(state.message, m_config.llamaApiKey).left(300);
            if (said.contains(QLatin1String("EXPIRED"), Qt::CaseInsensitive))
                return StageError::transient(QStringLiteral("llamaparse_timeout"),
                                             QStringLiteral("the LlamaParse job expired before it finished"));
            return StageError::permanent(
                QStringLiteral("llamaparse_job_failed"),
                QStringLiteral("LlamaParse could not parse the document (%1)%2")
                    .arg(state.status, said.isEmpty() ? QString() : QStringLiteral(": ") + said));
        }
    }
}

// v1 answers {"status", "error_message"}; v2 {"job": {"status", "error_message"}, ...}. The
// spec spells CANCELLED, an SDK comment CANCELED: both are read.
LlamaParseParser::JobState LlamaParseParser::readState(const QJsonObject &answer) const
{
    const QJsonObject job = isV2() ? answer.value(QStringLiteral("job")).toObject() : answer;
    JobState state;
    state.status = job.value(QStringLiteral("status")).toString().toUpper();
    state.message = job.value(QStringLiteral("error_message")).toString();
    if (state.status == QLatin1String("SUCCESS") || state.status == QLatin1String("COMPLETED"))
        state.kind = JobState::Done;
    else if (!isV2() && state.status == QLatin1String("PARTIAL_SUCCESS"))
        state.kind = JobState::DonePartly;
    else if (state.status == QLatin1String("ERROR") || state.status == QLatin1String("FAILED")
             || state.status == QLatin1String("CANCELLED") || state.status == QLatin1String("CANCELED"))
        state.kind = JobState::Failed;
    return state;
}

Result<ParsedDocument> LlamaParseParser::fetchV1(HttpSession &session, const QString &jobId,
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
    ParsedDocument document;
    for (const QString &text : markdown.toString().split(QLatin1String(kPageSeparator)))
        document.pages.append({int(document.pages.size()) + 1, text});
    return document;
}

// v2 results come page by page: {"markdown":{"pages":[{page_number, markdown, success:true} or
// {page_number, error, success:false}]}}, or {"text":{"pages":[{page_number, text}]}} on the fast
// tier, which has no markdown. A page's header and footer are left out, as the v1 markdown does.
Result<ParsedDocument> LlamaParseParser::fetchV2(HttpSession &session, const QString &jobId,
                                                 const StageContext &context) const
{
    const QString kind
        = m_config.llamaTier == QLatin1String("fast") ? QStringLiteral("text") : QStringLiteral("markdown");
    const HttpReply reply = call(session, QStringLiteral("/api/v2/parse/%1?expand=%2").arg(jobId, kind), context);
    if (reply.cancelled)
        return cancelled();
    if (!reply.isSuccess())
        return classifyFailure(reply, m_identity);
    const QJsonValue pages = jsonObject(reply.body).value(kind).toObject().value(QStringLiteral("pages"));
    if (!pages.isArray())
        return malformedResponse(m_identity, QStringLiteral("the result has no \"%1\" pages").arg(kind));
    ParsedDocument document;
    int failed = 0;
    QString firstError;
    for (const QJsonValue &value : pages.toArray()) {
        const QJsonObject page = value.toObject();
        const int number = page.value(QStringLiteral("page_number")).toInt(int(document.pages.size()) + failed + 1);
        const QJsonValue text = page.value(kind);
        if (page.value(QStringLiteral("success")).toBool(true) && text.isString()) {
            document.pages.append({number, text.toString()});
            continue;
        }
        const QString said
            = redactSecrets(page.value(QStringLiteral("error")).toString(), m_config.llamaApiKey).left(300);
        const QString reason = said.isEmpty() ? QStringLiteral("no reason given") : said;
        if (failed++ == 0)
            firstError = QStringLiteral("page %1: %2").arg(number).arg(reason);
        document.warnings << QStringLiteral("LlamaParse could not parse page %1: %2").arg(number).arg(reason);
    }
    if (document.pages.isEmpty() && failed > 0)
        return StageError::permanent(
            QStringLiteral("llamaparse_no_page_parsed"),
            QStringLiteral("LlamaParse could not parse any page of the document (%1 failed; %2)")
                .arg(failed)
                .arg(firstError));
    return document;
}

// Not paced by the rate limiter: it is one request, and waiting for a permit would keep the worker.
void LlamaParseParser::cancelRemote(HttpSession &session, const QString &jobId) const
{
    const HttpReply reply = finishCall(
        session.postJson(llamaParseUrl(m_config.llamaBaseUrl, QStringLiteral("/api/v2/parse/%1/cancel").arg(jobId)),
                         QByteArray(), {m_config.llamaApiKey, std::min(m_config.llamaRequestTimeoutMs, 10000), {}}));
    if (!reply.isSuccess())
        qCInfo(lcNet) << "LlamaParse did not cancel job" << jobId << "- HTTP" << reply.status << reply.errorText;
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
    const auto partial = waitForJob(session, jobId.value(), deadline.remainingTime(), context);
    if (!partial) {
        // A job we stop waiting for (cancelled, or past our deadline: the retry uploads again)
        // would go on costing credits.
        const QString code = partial.error().code;
        if (isV2() && (code == QLatin1String("cancelled") || code == QLatin1String("llamaparse_timeout")))
            cancelRemote(session, jobId.value());
        return partial.error();
    }
    auto fetched = isV2() ? fetchV2(session, jobId.value(), context) : fetchV1(session, jobId.value(), context);
    if (!fetched)
        return fetched.error();
    ParsedDocument document = std::move(fetched).value();
    document.type = type;
    if (partial.value())
        document.warnings << QStringLiteral("LlamaParse parsed the document only in part (PARTIAL_SUCCESS)");
    return document;
}

} // namespace Docpipe::Services
