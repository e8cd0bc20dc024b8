#include "dashboardspans.h"

namespace Docpipe::Ui {

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;

} // namespace

qint64 autoWidthMs(qint64 activityAgeMs)
{
    static constexpr qint64 widths[] = {kMinute,      2 * kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute,
                                        30 * kMinute, kHour,       2 * kHour,   6 * kHour,    12 * kHour};
    if (activityAgeMs < 0)
        return 5 * kMinute;
    const qint64 wanted = activityAgeMs + activityAgeMs / 10;
    for (const qint64 width : widths) {
        if (width >= wanted)
            return width;
    }
    return 24 * kHour;
}

DashboardSpans::DashboardSpans()
    : m_levels{Metrics::StageMetrics(10 * kMinute, 5000), Metrics::StageMetrics(kHour, 30 * 1000),
               Metrics::StageMetrics(24 * kHour, 10 * kMinute)}
{ }

void DashboardSpans::addEvents(const QList<Store::JobEvent> &events)
{
    for (Metrics::StageMetrics &level : m_levels)
        level.addEvents(events);
}

void DashboardSpans::sampleCounts(qint64 nowMs, const Store::StatusCounts &counts)
{
    for (Metrics::StageMetrics &level : m_levels)
        level.sampleCounts(nowMs, counts);
}

ChartSpan DashboardSpans::span(qint64 nowMs) const
{
    switch (m_choice) {
    case SpanChoice::FiveMinutes:
        return {0, 5 * kMinute};
    case SpanChoice::OneHour:
        return {1, kHour};
    case SpanChoice::Day:
        return {2, 24 * kHour};
    case SpanChoice::Auto:
        break;
    }
    // The finest level that sees where the latest run began tells it most precisely.
    qint64 since = -1;
    for (int i = levelCount() - 1; i >= 0; --i) {
        const Metrics::StageMetrics &level = m_levels.at(size_t(i));
        const qint64 start = level.activitySince(nowMs, kQuietGapMs);
        if (start < 0)
            break;
        since = start;
        if (i > 0 && start < nowMs - m_levels.at(size_t(i - 1)).windowMs())
            break; // older than the finer level holds
    }
    const qint64 width = autoWidthMs(since < 0 ? -1 : nowMs - since);
    int level = 0;
    while (level < levelCount() - 1 && m_levels.at(size_t(level)).windowMs() < width)
        ++level;
    return {level, width};
}

qsizetype DashboardSpans::storedValues() const
{
    qsizetype values = 0;
    for (const Metrics::StageMetrics &level : m_levels)
        values += level.storedValues();
    return values;
}

} // namespace Docpipe::Ui
