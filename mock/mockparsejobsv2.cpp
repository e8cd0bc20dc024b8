// The v2 front end of the mock's parse jobs (PROTOCOLS.md §A v2, and what the official
// @llamaindex/llama-cloud SDK sends): multipart upload with a `configuration` JSON string, GET
// /api/v2/parse/{id} returning {"job":{...}} plus the expanded results, and cancel.
#include "mockparsejob.h"
#include "mockparsejobs.h"
#include "multipartform.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace Docpipe::Services {

namespace {

using State = MockParseJob::State;

const QStringList kTiers{QStringLiteral("fast"), QStringLiteral("cost_effective"), QStringLiteral("agentic"),
                         QStringLiteral("agentic_plus")};

MockAnswer invalid(const QStringList &location, const QString &message, const QString &type)
{
    QJsonArray loc;
    for (const QString &part : location)
        loc.append(part);
    const QJsonObject problem{
        {QStringLiteral("loc"), loc}, {QStringLiteral("msg"), message}, {QStringLiteral("type"), type}};
    return MockAnswer::json({{QStringLiteral("detail"), QJsonArray{problem}}}, 422);
}

QString v2Status(const MockParseJob &job, int processingMs)
{
    switch (job.state) {
    case State::Working:
        return job.age.elapsed() < processingMs / 2 ? QStringLiteral("PENDING") : QStringLiteral("RUNNING");
    case State::Succeeded:
        return QStringLiteral("COMPLETED");
    case State::Failed:
        return QStringLiteral("FAILED");
    case State::Cancelled:
        return QStringLiteral("CANCELLED");
    }
    return {};
}

QJsonObject v2Json(const MockParseJob &job, int processingMs)
{
    return {{QStringLiteral("id"), job.id},
            {QStringLiteral("project_id"), QStringLiteral("mock-project")},
            {QStringLiteral("status"), v2Status(job, processingMs)},
            {QStringLiteral("error_message"),
             job.errorMessage.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(job.errorMessage)},
            {QStringLiteral("tier"), job.tier},
            {QStringLiteral("created_at"), job.createdAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("updated_at"), job.updatedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("usage"), QJsonObject{{QStringLiteral("credits"), QJsonValue::Null}}}};
}

QJsonObject markdownPages(const MockParseJob &job)
{
    QJsonArray pages;
    for (qsizetype i = 0; i < job.pages.size(); ++i) {
        const MockParsedPage &page = job.pages.at(i);
        if (page.error.isEmpty())
            pages.append(QJsonObject{{QStringLiteral("page_number"), int(i + 1)},
                                     {QStringLiteral("markdown"), page.text},
                                     {QStringLiteral("header"), QString()},
                                     {QStringLiteral("footer"), QString()},
                                     {QStringLiteral("success"), true}});
        else
            pages.append(QJsonObject{{QStringLiteral("page_number"), int(i + 1)},
                                     {QStringLiteral("error"), page.error},
                                     {QStringLiteral("success"), false}});
    }
    return {{QStringLiteral("pages"), pages}};
}

// Text pages carry no success flag: a failed page is left out.
QJsonObject textPages(const MockParseJob &job)
{
    QJsonArray pages;
    for (qsizetype i = 0; i < job.pages.size(); ++i) {
        if (job.pages.at(i).error.isEmpty())
            pages.append(QJsonObject{{QStringLiteral("page_number"), int(i + 1)},
                                     {QStringLiteral("text"), job.pages.at(i).text}});
    }
    return {{QStringLiteral("pages"), pages}};
}

} // namespace

MockAnswer MockParseJobs::uploadV2(const QByteArray &contentType, const QByteArray &body, MockFault fault)
{
    const QList<FormPart> form = parseMultipartForm(contentType, body).value_or(QList<FormPart>());
    const FormPart *file = nullptr;
    const FormPart *configuration = nullptr;
    for (const FormPart &part : form) {
        if (part.name == "file")
            file = &part;
        else if (part.name == "configuration")
            configuration = &part;
    }
    if (!file)
        return invalid({QStringLiteral("body"), QStringLiteral("file")}, QStringLiteral("Field required"),
                       QStringLiteral("missing"));
    if (!configuration)
        return invalid({QStringLiteral("body"), QStringLiteral("configuration")}, QStringLiteral("Field required"),
                       QStringLiteral("missing"));
    const QJsonDocument parsed = QJsonDocument::fromJson(configuration->body);
    if (!parsed.isObject())
        return invalid({QStringLiteral("body"), QStringLiteral("configuration")},
                       QStringLiteral("configuration must be a JSON object"), QStringLiteral("json_invalid"));
    const QJsonObject config = parsed.object();
    const QString tier = config.value(QStringLiteral("tier")).toString();
    if (!kTiers.contains(tier))
        return invalid({QStringLiteral("body"), QStringLiteral("configuration"), QStringLiteral("tier")},
                       QStringLiteral("Input should be 'fast', 'cost_effective', 'agentic' or 'agentic_plus'"),
                       QStringLiteral("enum"));
    static const QRegularExpression dated(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    const QString version = config.value(QStringLiteral("version")).toString();
    if (version != QLatin1String("latest") && !dated.match(version).hasMatch())
        return invalid({QStringLiteral("body"), QStringLiteral("configuration"), QStringLiteral("version")},
                       QStringLiteral("Input should be 'latest' or a version date such as '2026-08-19'"),
                       QStringLiteral("literal_error"));
    const auto job = start(file->body, QString::fromUtf8(file->fileName), fault);
    job->v2 = true;
    job->tier = tier;
    m_jobs.remove(job->id);
    job->id.prepend(QStringLiteral("pjb-"));
    m_jobs.insert(job->id, job);
    return MockAnswer::json(v2Json(*job, m_processingMs));
}

MockAnswer MockParseJobs::getV2(const QString &id, const QStringList &expand)
{
    static const QStringList known{QStringLiteral("text"),          QStringLiteral("markdown"),
                                   QStringLiteral("items"),         QStringLiteral("metadata"),
                                   QStringLiteral("job_metadata"),  QStringLiteral("usage"),
                                   QStringLiteral("markdown_full"), QStringLiteral("text_full")};
    for (const QString &kind : expand) {
        if (!known.contains(kind))
            return invalid({QStringLiteral("query"), QStringLiteral("expand")},
                           QStringLiteral("Unknown expand value '%1'").arg(kind), QStringLiteral("enum"));
    }
    const auto job = find(id);
    if (!job || !job->v2)
        return MockAnswer::llamaError(404, QStringLiteral("Job not found"));
    QJsonObject answer{{QStringLiteral("job"), v2Json(*job, m_processingMs)}};
    if (job->state != State::Succeeded)
        return MockAnswer::json(answer);
    const bool fast = job->tier == QLatin1String("fast");
    if (fast && (expand.contains(QStringLiteral("markdown")) || expand.contains(QStringLiteral("markdown_full"))))
        return MockAnswer::llamaError(400, QStringLiteral("markdown is not available on the fast tier; expand text"));
    QStringList texts;
    for (const MockParsedPage &page : std::as_const(job->pages))
        texts << page.text;
    if (expand.contains(QStringLiteral("markdown")))
        answer.insert(QStringLiteral("markdown"), markdownPages(*job));
    if (expand.contains(QStringLiteral("text")))
        answer.insert(QStringLiteral("text"), textPages(*job));
    if (expand.contains(QStringLiteral("markdown_full")))
        answer.insert(QStringLiteral("markdown_full"), texts.join(QStringLiteral("\n\n")));
    if (expand.contains(QStringLiteral("text_full")))
        answer.insert(QStringLiteral("text_full"), texts.join(QStringLiteral("\n\n")));
    if (expand.contains(QStringLiteral("job_metadata")))
        answer.insert(QStringLiteral("job_metadata"),
                      QJsonObject{{QStringLiteral("job_pages"), int(job->pages.size())},
                                  {QStringLiteral("job_is_cache_hit"), false}});
    return MockAnswer::json(answer);
}

MockAnswer MockParseJobs::cancelV2(const QString &id)
{
    const auto job = find(id);
    if (!job || !job->v2)
        return MockAnswer::llamaError(404, QStringLiteral("Job not found"));
    if (job->state != State::Working)
        return MockAnswer::llamaError(
            400, QStringLiteral("Job is already in a terminal state (%1)").arg(v2Status(*job, m_processingMs)));
    job->state = State::Cancelled;
    job->errorMessage = QStringLiteral("cancelled by the user");
    job->updatedAt = QDateTime::currentDateTimeUtc();
    return MockAnswer::json(v2Json(*job, m_processingMs));
}

} // namespace Docpipe::Services
