// What a stage implementation may ask of the engine while it works on one job.
#pragma once

#include <functional>

namespace Docpipe {

struct StageContext
{
    // True once the job was cancelled or its lease lost; check between pages and batches.
    std::function<bool()> isCancelled = [] { return false; };
    // Progress within the current stage, 0..total; cheap to call (the engine samples it).
    std::function<void(qint64 done, qint64 total)> reportProgress = [](qint64, qint64) {};

    bool cancelled() const { return isCancelled && isCancelled(); }
    void progress(qint64 done, qint64 total) const
    {
        if (reportProgress)
            reportProgress(done, total);
    }
};

} // namespace Docpipe
