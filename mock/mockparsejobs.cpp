#include "mockparsejobs.h"

#include "multipartform.h"
#include "stages/parsers/localparser.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QJsonArray>
#include <QtConcurrent/QtConcurrentRun>
#include <QUuid>

namespace Docpipe::Services {

namespace {

const QString kPending = QStringLiteral("PENDING");
const QString kSuccess = QStringLiteral("SUCCESS");
const QString kError = QStringLiteral("ERROR");

MockAnswer fieldRequired(const QString &field)
{
    const QJsonObject problem{{QStringLiteral("loc"), QJsonArray{QStringLiteral("body"), field}},
                              {QStringLiteral("msg"), QStringLiteral("field required")},
                              {QStringLiteral("type"), QStringLiteral("value_error.missing")}};
    return MockAnswer::json({{QStringLiteral("detail"), QJsonArray{problem}}}, 422);
}

} // namespace

struct MockParseJobs::Job
{
    QString id;
    QString separator;
    MockFault fault = MockFault::None;
    QElapsedTimer age;
    QFuture<Result<ParsedDocument>> parsing;
    QString status = kPending;
    QString errorMessage;
    QStringList pages;

    QJsonObject toJson() const
    {
        return {{QStringLiteral("id"), id},
                {QStringLiteral("status"), status},
                {QStringLiteral("error_code"),
                 errorMessage.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(QStringLiteral("PARSE_ERROR"))},
                {QStringLiteral("error_message"),
                 errorMessage.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(errorMessage)}};
    }
};

MockParseJobs::MockParseJobs(int processingMs)
    : m_processingMs(std::max(0, processingMs))
{
    m_pool.setMaxThreadCount(2);
}

MockParseJobs::~MockParseJobs()
{
    m_pool.waitForDone();
}

MockAnswer MockParseJobs::upload(const QByteArray &contentType, const QByteArray &body, MockFault fault)
{
    const auto form = parseMultipartForm(contentType, body);
    if (!form)
        return fieldRequired(QStringLiteral("file"));
    auto job = std::make_shared<Job>();
    job->separator = QStringLiteral("\n---\n");
    QByteArray bytes;
    QString fileName;
    bool hasFile = false;
    for (const FormPart &part : *form) {
        if (part.name == "file") {
            bytes = part.body;
            fileName = QString::fromUtf8(part.fileName);
            hasFile = true;
        } else if (part.name == "page_separator") {
            job->separator = QString::fromUtf8(part.body);
        }
    }
    if (!hasFile)
        return MockAnswer::llamaError(
            400, QStringLiteral("Either file or input_url must be provided (the mock reads files only)"));
    job->id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    job->fault = fault;
    job->age.start();
    job->parsing = QtConcurrent::run(&m_pool, [bytes, fileName] {
        return Stages::LocalParser().parse({bytes, fileName}, {});
    });
    m_jobs.insert(job->id, job);
    return MockAnswer::json(job->toJson());
}

void MockParseJobs::settle(Job &job) const
{
    if (job.status != kPending || job.fault == MockFault::NeverFinish || job.age.elapsed() < m_processingMs
        || !job.parsing.isFinished())
        return;
    const Result<ParsedDocument> parsed = job.parsing.result();
    if (job.fault == MockFault::JobFailed) {
        job.status = kError;
        job.errorMessage = QStringLiteral("the mock failed this job on purpose (fault job_failed)");
    } else if (!parsed) {
        job.status = kError;
        job.errorMessage = parsed.error().message;
    } else {
        job.status = kSuccess;
        for (const ParsedPage &page : parsed.value().pages)
            job.pages << page.text;
    }
}

MockAnswer MockParseJobs::status(const QString &id)
{
    const auto job = m_jobs.value(id);
    if (!job)
        return MockAnswer::llamaError(404, QStringLiteral("Job not found"));
    settle(*job);
    return MockAnswer::json(job->toJson());
}

MockAnswer MockParseJobs::result(const QString &id, const QString &kind)
{
    const auto job = m_jobs.value(id);
    if (job)
        settle(*job);
    if (!job || job->status != kSuccess)
        return MockAnswer::llamaError(404,
                                      QStringLiteral("Result not found: the job does not exist or has not succeeded"));
    const QJsonObject metadata{{QStringLiteral("job_pages"), int(job->pages.size())},
                               {QStringLiteral("job_auto_mode_triggered_pages"), 0},
                               {QStringLiteral("job_is_cache_hit"), false}};
    if (kind == QLatin1String("markdown") || kind == QLatin1String("text"))
        return MockAnswer::json({{kind, job->pages.join(job->separator)}, {QStringLiteral("job_metadata"), metadata}});
    if (kind != QLatin1String("json"))
        return MockAnswer::llamaError(404, QStringLiteral("Unknown result type: %1").arg(kind));
    QJsonArray pages;
    for (qsizetype i = 0; i < job->pages.size(); ++i)
        pages.append(QJsonObject{{QStringLiteral("page"), int(i + 1)},
                                 {QStringLiteral("text"), job->pages.at(i)},
                                 {QStringLiteral("md"), job->pages.at(i)},
                                 {QStringLiteral("images"), QJsonArray()},
                                 {QStringLiteral("items"), QJsonArray()}});
    return MockAnswer::json({{QStringLiteral("pages"), pages}, {QStringLiteral("job_metadata"), metadata}});
}

} // namespace Docpipe::Services
