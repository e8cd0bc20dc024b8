// docpipe-cli status | jobs | events | export: read-only views of the store.
#include "cli.h"

#include "stages/embedding/vectorcodec.h"
#include "store/currentchunks.h"
#include "store/jobqueries.h"
#include "store/recordjson.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>

namespace Docpipe::Cli {

namespace {

// "2026-11-24T10:00:00Z", epoch milliseconds, or an age: "30s", "10m", "2h", "1d".
std::optional<qint64> parseSince(const QString &text)
{
    static const QRegularExpression age(QStringLiteral("^(\\d+)([smhd])$"));
    if (const auto match = age.match(text); match.hasMatch()) {
        const qint64 n = match.captured(1).toLongLong();
        const QChar unit = match.captured(2).at(0);
        const qint64 ms = unit == u's' ? 1000 : unit == u'm' ? 60000 : unit == u'h' ? 3600000 : 86400000;
        return QDateTime::currentMSecsSinceEpoch() - n * ms;
    }
    bool isNumber = false;
    const qint64 epoch = text.toLongLong(&isNumber);
    if (isNumber)
        return epoch;
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (time.isValid())
        return time.toMSecsSinceEpoch();
    return std::nullopt;
}

// `text` in `width` characters, the last always a space so that columns never run together; a
// text too long is cut and marked with '~'.
QString column(const QString &text, int width)
{
    return text.size() < width ? text.leftJustified(width) : text.left(width - 2) + QStringLiteral("~ ");
}

QString clipped(const QString &text, int width)
{
    return width <= 0 || text.size() <= width ? text : text.left(std::max(0, width - 1)) + u'~';
}

// Column widths for `jobs`: the document column as wide as the longest name needs, narrowed so a
// row fits the terminal; the error message takes what is left.
struct JobsLayout
{
    int id = 0;
    int document = 0;
    int errorWidth = 0; // 0: no limit
    static constexpr int kStage = 16, kStatus = 10, kVersion = 4, kTry = 4, kPages = 6, kChunks = 7;

    JobsLayout(const QList<Store::JobRecord> &jobs, int terminalWidth)
    {
        qsizetype longestName = 8;
        qint64 largestId = 0;
        for (const Store::JobRecord &job : jobs) {
            longestName = std::max(longestName, printable(job.name).size());
            largestId = std::max(largestId, job.id);
        }
        id = std::max(3, int(QString::number(largestId).size()) + 1);
        const int fixed = id + kStage + kStatus + kVersion + kTry + kPages + kChunks;
        if (terminalWidth > 0) {
            document = std::max(12, std::min(int(longestName) + 1, terminalWidth - fixed - 16));
            errorWidth = std::max(8, terminalWidth - fixed - document);
        } else {
            document = int(std::min<qsizetype>(longestName + 1, 60)); // piped: a readable default
        }
    }
};

// "2*": version 2, the current one (its chunks are the document's); "1-": the file was deleted.
QString versionLabel(const Store::JobRecord &job)
{
    return QString::number(job.version)
        + (job.sourceRemoved   ? QStringLiteral("-")
               : job.isCurrent ? QStringLiteral("*")
                               : QString());
}

// "parsing -> parse_validated" for a transition; the one stage for an event that stays in it (a
// warning, a retry noted in place).
QString stagesOf(const Store::JobEvent &event)
{
    if (event.fromStage.isEmpty() || event.toStage.isEmpty() || event.fromStage == event.toStage)
        return event.toStage.isEmpty() ? event.fromStage : event.toStage;
    return event.fromStage + QStringLiteral(" -> ") + event.toStage;
}

} // namespace

int runStatus(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Job counts per stage and outcome."));
    addGlobalOptions(parser);
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON document on stdout.")});
    if (const int code = prepare(parser, QStringLiteral("status"), context))
        return code;
    auto counts = Store::statusCounts(context.db);
    if (!counts)
        return fail(counts.error().message);
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(QJsonDocument(Store::statusToJson(counts.value())));
        return 0;
    }
    for (auto it = counts.value().byStage.cbegin(); it != counts.value().byStage.cend(); ++it) {
        const int running = counts.value().runningByStage.value(it.key());
        out() << column(stageName(it.key()), 16) << QString::number(it.value()).rightJustified(7)
              << (running ? QStringLiteral("  (%1 running)").arg(running) : QString()) << '\n';
    }
    out() << column(QStringLiteral("failed"), 16) << QString::number(counts.value().failed).rightJustified(7) << '\n'
          << column(QStringLiteral("cancelled"), 16) << QString::number(counts.value().cancelled).rightJustified(7)
          << '\n'
          << column(QStringLiteral("total"), 16) << QString::number(counts.value().total).rightJustified(7) << '\n';
    out().flush();
    return 0;
}

int runJobs(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("One row per job. VER is the version of its document: * marks "
                                                    "the current one, - a deleted watched file."));
    addGlobalOptions(parser);
    parser.addOption({QStringLiteral("stage"), QStringLiteral("Only jobs in this stage."), QStringLiteral("stage")});
    parser.addOption({QStringLiteral("failed"), QStringLiteral("Only failed jobs.")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON document on stdout.")});
    if (const int code = prepare(parser, QStringLiteral("jobs"), context))
        return code;
    Store::JobFilter filter;
    if (parser.isSet(QStringLiteral("stage"))) {
        filter.stage = stageFromName(parser.value(QStringLiteral("stage")));
        if (!filter.stage)
            return fail(QStringLiteral("unknown stage '%1'").arg(parser.value(QStringLiteral("stage"))), 2);
    }
    if (parser.isSet(QStringLiteral("failed")))
        filter.status = JobStatus::Failed;
    auto jobs = Store::listJobs(context.db, filter);
    if (!jobs)
        return fail(jobs.error().message);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const Store::JobRecord &job : jobs.value())
            array.append(Store::jobToJson(job));
        printJson(QJsonDocument(array));
        return 0;
    }
    const JobsLayout layout(jobs.value(), terminalColumns());
    out() << column(QStringLiteral("ID"), layout.id) << column(QStringLiteral("DOCUMENT"), layout.document)
          << column(QStringLiteral("STAGE"), layout.kStage) << column(QStringLiteral("STATUS"), layout.kStatus)
          << column(QStringLiteral("VER"), layout.kVersion) << column(QStringLiteral("TRY"), layout.kTry)
          << column(QStringLiteral("PAGES"), layout.kPages) << column(QStringLiteral("CHUNKS"), layout.kChunks)
          << QStringLiteral("ERROR") << '\n';
    for (const Store::JobRecord &job : jobs.value()) {
        const QString error
            = job.errorCode.isEmpty() ? QString() : job.errorCode + QStringLiteral(": ") + printable(job.errorMessage);
        out() << column(QString::number(job.id), layout.id) << column(printable(job.name), layout.document)
              << column(stageName(job.stage), layout.kStage) << column(statusName(job.status), layout.kStatus)
              << column(versionLabel(job), layout.kVersion) << column(QString::number(job.attempts), layout.kTry)
              << column(QString::number(job.pages), layout.kPages)
              << column(QString::number(job.chunks), layout.kChunks) << clipped(error, layout.errorWidth) << '\n';
    }
    out().flush();
    return 0;
}

int runEvents(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("The event log, oldest first."));
    addGlobalOptions(parser);
    parser.addOption({QStringLiteral("job"), QStringLiteral("Only this job's events."), QStringLiteral("id")});
    parser.addOption({QStringLiteral("errors"), QStringLiteral("Only retries, failures and expired leases.")});
    parser.addOption({QStringLiteral("since"),
                      QStringLiteral("Only events since T (ISO time, epoch ms, or an age: 30s, 10m, 2h, 1d)."),
                      QStringLiteral("T")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON document on stdout.")});
    if (const int code = prepare(parser, QStringLiteral("events"), context))
        return code;
    Store::EventFilter filter;
    filter.errorsOnly = parser.isSet(QStringLiteral("errors"));
    if (parser.isSet(QStringLiteral("job"))) {
        bool ok = false;
        filter.jobId = parser.value(QStringLiteral("job")).toLongLong(&ok);
        if (!ok)
            return fail(QStringLiteral("--job needs a job id"), 2);
    }
    if (parser.isSet(QStringLiteral("since"))) {
        const auto since = parseSince(parser.value(QStringLiteral("since")));
        if (!since)
            return fail(QStringLiteral("cannot read --since '%1'").arg(parser.value(QStringLiteral("since"))), 2);
        filter.since = *since;
    }
    auto events = Store::listEvents(context.db, filter);
    if (!events)
        return fail(events.error().message);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const Store::JobEvent &event : events.value())
            array.append(Store::eventToJson(event));
        printJson(QJsonDocument(array));
        return 0;
    }
    for (const Store::JobEvent &e : events.value()) {
        out() << Store::isoTime(e.at) << "  job " << e.jobId << "  " << column(e.kind, 14) << stagesOf(e)
              << (e.code.isEmpty() ? QString() : QStringLiteral("  [") + e.code + u']')
              << (e.message.isEmpty() ? QString() : QStringLiteral("  ") + printable(e.message))
              << (e.durationMs >= 0 ? QStringLiteral("  (%1 ms)").arg(e.durationMs) : QString()) << '\n';
    }
    out().flush();
    return 0;
}

int runExport(const Context &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Write final chunks and vectors, one JSON object per line."));
    addGlobalOptions(parser);
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output format (jsonl)."), QStringLiteral("format"),
                      QStringLiteral("jsonl")});
    parser.addOption({QStringLiteral("job"), QStringLiteral("Only this job's chunks."), QStringLiteral("id")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write to FILE instead of stdout."),
                      QStringLiteral("file")});
    if (const int code = prepare(parser, QStringLiteral("export"), context))
        return code;
    if (parser.value(QStringLiteral("format")) != QLatin1String("jsonl"))
        return fail(QStringLiteral("unsupported format '%1' (only jsonl)").arg(parser.value(QStringLiteral("format"))),
                    2);
    std::optional<qint64> jobId;
    if (parser.isSet(QStringLiteral("job"))) {
        bool ok = false;
        jobId = parser.value(QStringLiteral("job")).toLongLong(&ok);
        if (!ok)
            return fail(QStringLiteral("--job needs a job id"), 2);
    }
    QSaveFile file(parser.value(QStringLiteral("output")));
    QFile stdoutFile;
    QIODevice *device = nullptr;
    if (parser.isSet(QStringLiteral("output"))) {
        if (!file.open(QIODevice::WriteOnly))
            return fail(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
        device = &file;
    } else {
        stdoutFile.open(stdout, QIODevice::WriteOnly);
        device = &stdoutFile;
    }
    QString badVector;
    // Only current versions: a document's replaced versions are not part of what it says now.
    Store::CurrentChunkFilter filter;
    filter.jobId = jobId;
    auto written = Store::forEachCurrentChunk(context.db, filter, [&](const Store::StoredChunk &row) {
        const auto vector = Stages::decodeVector(row.vector, row.dims);
        if (!vector) {
            badVector = QStringLiteral("job %1 chunk %2 has a damaged vector").arg(row.jobId).arg(row.chunk.index);
            return false;
        }
        QJsonArray values;
        for (const float v : vector.value())
            values.append(double(v));
        const QJsonObject line{
            {QStringLiteral("document"), row.document},
            {QStringLiteral("job"), row.jobId},
            {QStringLiteral("index"), row.chunk.index},
            {QStringLiteral("text"), row.chunk.text},
            {QStringLiteral("tokens"), row.chunk.tokens},
            {QStringLiteral("page_start"), row.chunk.pageStart},
            {QStringLiteral("page_end"), row.chunk.pageEnd},
            {QStringLiteral("model"), row.model},
            {QStringLiteral("dims"), row.dims},
            {QStringLiteral("vector"), values},
        };
        device->write(QJsonDocument(line).toJson(QJsonDocument::Compact));
        device->write("\n");
        return true;
    });
    if (!written)
        return fail(written.error().message);
    if (!badVector.isEmpty())
        return fail(badVector);
    if (device == &file && !file.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    if (device == &file)
        err() << "wrote " << written.value() << " chunk(s) to " << file.fileName() << Qt::endl;
    return 0;
}

} // namespace Docpipe::Cli
