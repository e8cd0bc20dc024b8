#include "jobdetails.h"

#include "store/jobqueries.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace Docpipe::Ui {

namespace {

constexpr int kChunkTextChars = 600;

bool load(JobDetails &details, const Store::Database &db, qint64 jobId, const DetailsLimits &limits)
{
    auto job = Store::findJob(db, jobId);
    if (!job) {
        details.error = job.error().message;
        return false;
    }
    details.job = job.value();
    if (!details.job)
        return true;

    auto events = Store::listEvents(db, {.jobId = jobId});
    if (!events) {
        details.error = events.error().message;
        return false;
    }
    details.events = events.value();

    auto pages = Store::parsedPages(db, jobId);
    if (!pages) {
        details.error = pages.error().message;
        return false;
    }
    details.pages = int(pages.value().size());
    for (const ParsedPage &page : pages.value()) {
        details.textChars += page.text.size();
        if (page.ocr)
            details.ocrPages.append({page.number, page.ocrConfidence});
        if (details.textPreview.size() < limits.previewChars) {
            if (!details.textPreview.isEmpty())
                details.textPreview += QStringLiteral("\n\n");
            details.textPreview += page.text.left(limits.previewChars - details.textPreview.size());
        }
    }
    details.furniture = furnitureSummary(pages.value());

    auto visited = Store::forEachChunk(db, jobId, [&](const Store::StoredChunk &stored) {
        ++details.chunkCount;
        if (details.embeddingModel.isEmpty()) {
            details.embeddingModel = stored.model;
            details.embeddingDimensions = stored.dims;
        }
        if (details.chunks.size() < limits.chunks) {
            const Chunk &c = stored.chunk;
            details.chunks.append({c.index, c.tokens, c.pageStart, c.pageEnd, c.text.left(kChunkTextChars)});
        }
        return true;
    });
    if (!visited) {
        details.error = visited.error().message;
        return false;
    }
    return true;
}

bool isPageNumber(const QString &line)
{
    return !line.isEmpty() && std::all_of(line.cbegin(), line.cend(), [](QChar c) { return c.isDigit(); });
}

} // namespace

QList<FurnitureLine> furnitureSummary(const QList<ParsedPage> &pages)
{
    QHash<QString, int> counts; // a line counts once per page
    for (const ParsedPage &page : pages) {
        QSet<QString> seen;
        for (const QString &raw : page.furniture) {
            const QString line = raw.trimmed();
            const QString key = isPageNumber(line) ? QString() : line;
            if (!line.isEmpty() && !seen.contains(key)) {
                seen.insert(key);
                ++counts[key];
            }
        }
    }
    QList<FurnitureLine> lines;
    lines.reserve(counts.size());
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        lines.append({it.key(), it.value()});
    std::sort(lines.begin(), lines.end(), [](const FurnitureLine &a, const FurnitureLine &b) {
        return a.pages != b.pages ? a.pages > b.pages : a.text < b.text;
    });
    return lines;
}

JobDetails loadJobDetails(const Store::Database &db, qint64 jobId, const DetailsLimits &limits)
{
    JobDetails details;
    details.jobId = jobId;
    load(details, db, jobId, limits);
    return details;
}

QList<StageRun> stageRuns(const QList<Store::JobEvent> &events)
{
    QList<StageRun> runs;
    std::optional<qsizetype> open;
    for (const Store::JobEvent &event : events) {
        const auto from = stageFromName(event.fromStage);
        const auto to = stageFromName(event.toStage);
        // Whatever moves the job out of (or fails it in) the running stage ends the run; notes
        // made along the way (warnings, priority changes) do not.
        const bool endsRun = event.kind != QLatin1String(Store::EventKind::Warning)
            && event.kind != QLatin1String(Store::EventKind::Priority);
        if (open && endsRun && from && *from == runs.at(*open).stage) {
            StageRun &run = runs[*open];
            run.durationMs = event.durationMs >= 0 ? event.durationMs : std::max<qint64>(0, event.at - run.startedAt);
            run.outcome = event.kind;
            run.code = event.code;
            run.message = event.message;
            open.reset();
        }
        if (event.kind == QLatin1String(Store::EventKind::Transition) && to && isActive(*to)) {
            runs.append({*to, event.at, -1, QString(), event.worker, QString(), QString()});
            open = runs.size() - 1;
        }
    }
    return runs;
}

} // namespace Docpipe::Ui
