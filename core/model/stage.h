// Pipeline stages and job outcomes, and the rules that connect them.
#pragma once

#include <optional>
#include <QList>
#include <QString>
#include <QStringView>

namespace Docpipe {

enum class Stage {
    Uploaded,
    Parsing,
    ParseValidated,
    Chunking,
    ChunksBuffered,
    Embedding,
    Embedded,
};

// What a job is doing, orthogonal to where it is: a failed job keeps the stage it failed in.
enum class JobStatus {
    Queued, // at a checkpoint, waiting for a worker (maybe after not_before)
    Running, // in an active stage, held by a worker's lease
    Done, // embedded
    Failed,
    Cancelled,
};

QString stageName(Stage stage);
std::optional<Stage> stageFromName(QStringView name);
QList<Stage> allStages();

QString statusName(JobStatus status);
std::optional<JobStatus> statusFromName(QStringView name);

bool isCheckpoint(Stage stage);
bool isActive(Stage stage);

// The active stage a worker enters from a checkpoint (Uploaded -> Parsing, ...).
std::optional<Stage> activeStageAfter(Stage checkpoint);
// The checkpoint an active stage commits on success (Parsing -> ParseValidated, ...).
Stage checkpointAfter(Stage active);
// The checkpoint to return to when work in `stage` has to be redone.
Stage checkpointBefore(Stage stage);

} // namespace Docpipe
