// Runs the pipeline engine in this process until a condition holds or SIGINT/SIGTERM arrives,
// then stops it cleanly (no lease left dangling). Used by `worker` and `ingest --wait`; a worker
// also checks the alert rules and writes what it fires or resolves to its log (stderr).
#pragma once

#include "cli.h"

#include <functional>

namespace Docpipe {
class PipelineEngine;
}

namespace Docpipe::Cli {

struct EngineRunOptions
{
    int tickMs = 250;
    std::function<void()> onTick; // on every tick, on the main thread
    std::function<bool()> finished; // checked on every tick; empty: run until a signal
    bool alerts = false; // evaluate the alert rules (a long-running worker), logging and posting them
    std::function<void(PipelineEngine &)> attach; // once the engine exists, before it starts
};

// Returns 0 after a clean stop (also after SIGINT/SIGTERM), 1 if the engine could not start.
int runEngine(const Context &context, const EngineRunOptions &options);

} // namespace Docpipe::Cli
