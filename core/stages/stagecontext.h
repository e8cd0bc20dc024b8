// What a stage implementation may ask of the engine while it works on one job.
#pragma once

#include <QtGlobal>

#include <functional>
#include <optional>
#include <utility>

namespace Docpipe {

// Memory reserved from the engine's budget, given back when this is destroyed (or reset).
class MemoryHold final
{
public:
    MemoryHold() = default; // holds nothing
    explicit MemoryHold(std::function<void()> release)
        : m_release(std::move(release))
    { }
    MemoryHold(MemoryHold &&other) noexcept
        : m_release(std::exchange(other.m_release, nullptr))
    { }
    MemoryHold &operator=(MemoryHold &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_release = std::exchange(other.m_release, nullptr);
        }
        return *this;
    }
    MemoryHold(const MemoryHold &) = delete;
    MemoryHold &operator=(const MemoryHold &) = delete;
    ~MemoryHold() { reset(); }

    void reset()
    {
        if (auto release = std::exchange(m_release, nullptr))
            release();
    }

private:
    std::function<void()> m_release;
};

struct StageContext
{
    // Reserves `bytes` beyond what the stage was admitted with, waiting while the budget is spent;
    // no value when the job must stop meanwhile.
    using MemoryReserver = std::function<std::optional<MemoryHold>(qint64 bytes)>;

    // True once the job was cancelled or its lease lost; check between pages and batches.
    std::function<bool()> isCancelled = [] { return false; };
    // Progress within the current stage, 0..total; cheap to call (the engine samples it).
    std::function<void(qint64 done, qint64 total)> reportProgress = [](qint64, qint64) {};
    // For memory a stage needs only for a while and cannot know beforehand (an OCRed page's render
    // and Tesseract's state), so the engine's memory budget counts it. Unset without a budget
    // (tests, tools): nothing is counted and nothing waits.
    MemoryReserver reserveMemory;

    bool cancelled() const { return isCancelled && isCancelled(); }
    void progress(qint64 done, qint64 total) const
    {
        if (reportProgress)
            reportProgress(done, total);
    }
    // Holds `bytes` of the budget while the returned hold lives; no value when the job must stop
    // while it waited for them.
    std::optional<MemoryHold> holdMemory(qint64 bytes) const
    {
        if (!reserveMemory)
            return MemoryHold();
        return reserveMemory(bytes);
    }
};

} // namespace Docpipe
