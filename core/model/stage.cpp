#include "stage.h"

namespace Docpipe {

namespace {
struct StageNameEntry
{
    Stage stage;
    const char *name;
};
constexpr StageNameEntry kStageNames[] = {
    {Stage::Uploaded, "uploaded"},
    {Stage::Parsing, "parsing"},
    {Stage::ParseValidated, "parse_validated"},
    {Stage::Chunking, "chunking"},
    {Stage::ChunksBuffered, "chunks_buffered"},
    {Stage::Embedding, "embedding"},
    {Stage::Embedded, "embedded"},
};

struct StatusNameEntry
{
    JobStatus status;
    const char *name;
};
constexpr StatusNameEntry kStatusNames[] = {
    {JobStatus::Queued, "queued"}, {JobStatus::Running, "running"},     {JobStatus::Done, "done"},
    {JobStatus::Failed, "failed"}, {JobStatus::Cancelled, "cancelled"},
};
} // namespace

QString stageName(Stage stage)
{
    for (const auto &entry : kStageNames) {
        if (entry.stage == stage)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

std::optional<Stage> stageFromName(QStringView name)
{
    for (const auto &entry : kStageNames) {
        if (name == QLatin1StringView(entry.name))
            return entry.stage;
    }
    return std::nullopt;
}

QList<Stage> allStages()
{
    QList<Stage> stages;
    for (const auto &entry : kStageNames)
        stages.append(entry.stage);
    return stages;
}

QString statusName(JobStatus status)
{
    for (const auto &entry : kStatusNames) {
        if (entry.status == status)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

std::optional<JobStatus> statusFromName(QStringView name)
{
    for (const auto &entry : kStatusNames) {
        if (name == QLatin1StringView(entry.name))
            return entry.status;
    }
    return std::nullopt;
}

bool isCheckpoint(Stage stage)
{
    return stage == Stage::Uploaded || stage == Stage::ParseValidated || stage == Stage::ChunksBuffered
        || stage == Stage::Embedded;
}

bool isActive(Stage stage)
{
    return !isCheckpoint(stage);
}

std::optional<Stage> activeStageAfter(Stage checkpoint)
{
    switch (checkpoint) {
    case Stage::Uploaded:
        return Stage::Parsing;
    case Stage::ParseValidated:
        return Stage::Chunking;
    case Stage::ChunksBuffered:
        return Stage::Embedding;
    default:
        return std::nullopt;
    }
}

Stage checkpointAfter(Stage active)
{
    switch (active) {
    case Stage::Parsing:
        return Stage::ParseValidated;
    case Stage::Chunking:
        return Stage::ChunksBuffered;
    case Stage::Embedding:
        return Stage::Embedded;
    default:
        return active;
    }
}

Stage checkpointBefore(Stage stage)
{
    switch (stage) {
    case Stage::Parsing:
        return Stage::Uploaded;
    case Stage::Chunking:
        return Stage::ParseValidated;
    case Stage::Embedding:
        return Stage::ChunksBuffered;
    default:
        return stage;
    }
}

} // namespace Docpipe
