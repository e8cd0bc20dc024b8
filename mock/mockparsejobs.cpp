#include "mockparsejobs.h"

#include "mockparsejob.h"
#include "multipartform.h"
#include "stages/parsers/localparser.h"

#include <QJsonArray>
#include <QtConcurrent/QtConcurrentRun>
#include <QUuid>

namespace Docpipe::Services {

namespace {

using State = MockParseJob::State;

MockAnswer fieldRequired(const QString &field)
{
    const QJsonObject problem{{QStringLiteral("loc"), QJsonArray{QStringLiteral("body"), field}},
                              {QStringLiteral("msg"), QStringLiteral("field required")},
                              {QStringLiteral("type"), QStringLiteral("value_error.missing")}};
    return MockAnswer::json({{QStringLiteral("detail"), QJsonArray{problem}}}, 422);
}

QString v1Status(const MockParseJob &job)
{
    switch (job.state) {
    case State::Working:
        return QStringLiteral("PENDING");
    case State::Succeeded:
        return job.partly() ? QStringLiteral("PARTIAL_SUCCESS") : QStringLiteral("SUCCESS");
    case State::Failed:
        return QStringLiteral("ERROR");
    case State::Cancelled:
        return QStringLiteral("CANCELLED");
    }
    return {};
}

QJsonObject v1Json(const MockParseJob &job)
{
    const QJsonValue error = job.errorMessage.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(job.errorMessage);
    return {{QStringLiteral("id"), job.id},
            {QStringLiteral("status"), v1Status(job)},
            {QStringLiteral("error_code"),
             job.errorMessage.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(QStringLiteral("PARSE_ERROR"))},
            {QStringLiteral("error_message"), error}};
}

} // namespace

MockParseJobs::MockParseJobs(int processingMs)
    : m_processingMs(std::max(0, processingMs))
{
    m_pool.setMaxThreadCount(2);
}

MockParseJobs::~MockParseJobs()
{
    m_pool.waitForDone();
}

std::shared_ptr<MockParseJob> MockParseJobs::start(const QByteArray &bytes, const QString &fileName, MockFault fault)
{
    auto job = std::make_shared<MockParseJob>();
    job->id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    job->fault = fault;
    job->age.start();
    job->parsing = QtConcurrent::run(&m_pool, [bytes, fileName] {
        return Stages::LocalParser().parse({bytes, fileName}, {});
    });
    m_jobs.insert(job->id, job);
    return job;
}

std::shared_ptr<MockParseJob> MockParseJobs::find(const QString &id) const
{
    const auto job = m_jobs.value(id);
    if (job)
        settle(*job);
    return job;
}

// The job's fate, decided once its parse is done and its processing time has passed.
void MockParseJobs::settle(MockParseJob &job) const
{
    if (job.state != State::Working || job.fault == MockFault::NeverFinish || job.age.elapsed() < m_processingMs
        || !job.parsing.isFinished())
        return;
    const Result<ParsedDocument> parsed = job.parsing.result();
    job.updatedAt = QDateTime::currentDateTimeUtc();
    if (job.fault == MockFault::JobFailed) {
        job.state = State::Failed;
        job.errorMessage = QStringLiteral("the mock failed this job on purpose (fault job_failed)");
        return;
    }
    if (!parsed) {
        job.state = State::Failed;
        job.errorMessage = parsed.error().message;
        return;
    }
    for (const ParsedPage &page : parsed.value().pages) {
        const bool fails = job.fault == MockFault::AllPagesFailed
            || (job.fault == MockFault::PageFailed && (job.pages.size() + 1) % 2 == 0);
        job.pages.append(fails ? MockParsedPage{{},
                                                QStringLiteral("the mock failed page %1 on purpose (fault %2)")
                                                    .arg(job.pages.size() + 1)
                                                    .arg(faultName(job.fault))}
                               : MockParsedPage{page.text, {}});
    }
    const bool anyPage = std::any_of(job.pages.cbegin(), job.pages.cend(),
                                     [](const MockParsedPage &page) { return page.error.isEmpty(); });
    if (!job.v2 && !anyPage) { // v2 completes and reports each page; v1 has only the job's status
        job.state = State::Failed;
        job.errorMessage = QStringLiteral("no page could be parsed");
        return;
    }
    job.state = State::Succeeded;
}

MockAnswer MockParseJobs::upload(const QByteArray &contentType, const QByteArray &body, MockFault fault)
{
    const auto form = parseMultipartForm(contentType, body);
    if (!form)
        return fieldRequired(QStringLiteral("file"));
    const FormPart *file = nullptr;
    QString separator = QStringLiteral("\n---\n");
    for (const FormPart &part : *form) {
        if (part.name == "file")
            file = &part;
        else if (part.name == "page_separator")
            separator = QString::fromUtf8(part.body);
    }
    if (!file)
        return MockAnswer::llamaError(
            400, QStringLiteral("Either file or input_url must be provided (the mock reads files only)"));
    const auto job = start(file->body, QString::fromUtf8(file->fileName), fault);
    job->separator = separator;
    return MockAnswer::json(v1Json(*job));
}

MockAnswer MockParseJobs::status(const QString &id)
{
    const auto job = find(id);
    if (!job)
        return MockAnswer::llamaError(404, QStringLiteral("Job not found"));
    return MockAnswer::json(v1Json(*job));
}

MockAnswer MockParseJobs::result(const QString &id, const QString &kind)
{
    const auto job = find(id);
    if (!job || job->state != State::Succeeded)
        return MockAnswer::llamaError(404,
                                      QStringLiteral("Result not found: the job does not exist or has not succeeded"));
    QStringList texts;
    for (const MockParsedPage &page : std::as_const(job->pages))
        texts << page.text;
    const QJsonObject metadata{{QStringLiteral("job_pages"), int(texts.size())},
                               {QStringLiteral("job_auto_mode_triggered_pages"), 0},
                               {QStringLiteral("job_is_cache_hit"), false}};
    if (kind == QLatin1String("markdown") || kind == QLatin1String("text"))
        return MockAnswer::json({{kind, texts.join(job->separator)}, {QStringLiteral("job_metadata"), metadata}});
    if (kind != QLatin1String("json"))
        return MockAnswer::llamaError(404, QStringLiteral("Unknown result type: %1").arg(kind));
    QJsonArray pages;
    for (qsizetype i = 0; i < texts.size(); ++i)
        pages.append(QJsonObject{{QStringLiteral("page"), int(i + 1)},
                                 {QStringLiteral("text"), texts.at(i)},
                                 {QStringLiteral("md"), texts.at(i)},
                                 {QStringLiteral("images"), QJsonArray()},
                                 {QStringLiteral("items"), QJsonArray()}});
    return MockAnswer::json({{QStringLiteral("pages"), pages}, {QStringLiteral("job_metadata"), metadata}});
}

} // namespace Docpipe::Services
