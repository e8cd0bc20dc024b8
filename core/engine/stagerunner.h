// Runs one claimed job through its active stage and commits the outcome: the next checkpoint
// on success; a retry with backoff, or a failure, on error; a hand-back when the engine stops.
// One StageRunner per task; everything it shares is thread-safe.
#pragma once

#include "config/config.h"
#include "jobtracker.h"
#include "memorybudget.h"
#include "retrypolicy.h"
#include "stages/embedding/embedder.h"
#include "stages/parsers/documentparser.h"
#include "store/database.h"
#include "store/databasehealth.h"
#include "store/records.h"

#include <memory>

namespace Docpipe {

struct StageServices
{
    Store::Database db;
    QString worker;
    Config config;
    std::shared_ptr<const Stages::DocumentParser> parser;
    std::shared_ptr<const Stages::Embedder> embedder;
    std::shared_ptr<JobTracker> tracker;
    std::shared_ptr<Store::DatabaseHealth> health; // every store call of a stage waits out an outage here
    std::shared_ptr<MemoryBudget> budget; // a stage runs once its estimated memory is admitted; null: at once
};

struct StageOutcome
{
    bool completed = false; // reached the next checkpoint
    bool failed = false; // a failure was recorded (retry or permanent)
    StageError error; // when failed
};

StageOutcome runStage(const StageServices &services, const Store::JobRecord &job);

} // namespace Docpipe
