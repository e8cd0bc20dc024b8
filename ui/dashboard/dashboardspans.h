// The dashboard's time axis at three scales, with memory flat at each: the last 10 minutes in
// 5-second buckets (also what the cards and the latency chart read), the last hour in 30-second
// buckets and the last day in 10-minute buckets, all fed the same events and counts. The operator
// picks 5 min, 1 h or 24 h; Auto sizes the axis to the latest run of work, so a batch that ran in
// the last 20 s fills a one-minute axis instead of being a spike at the edge of a long one.
#pragma once

#include "metrics/stagemetrics.h"

#include <QList>

#include <array>

namespace Docpipe::Ui {

enum class SpanChoice { Auto, FiveMinutes, OneHour, Day };

struct ChartSpan
{
    int level = 0; // index into DashboardSpans::levels()
    qint64 widthMs = 5 * 60 * 1000; // the axis shows [now - widthMs, now]
};

// Auto's axis widths: the smallest one that holds work of this age with a little room.
qint64 autoWidthMs(qint64 activityAgeMs);

class DashboardSpans final
{
public:
    static constexpr qint64 kQuietGapMs = 15 * 60 * 1000; // a pause this long ends a run of work

    DashboardSpans();

    void addEvents(const QList<Store::JobEvent> &events);
    void sampleCounts(qint64 nowMs, const Store::StatusCounts &counts);

    void setChoice(SpanChoice choice) { m_choice = choice; }
    SpanChoice choice() const { return m_choice; }
    ChartSpan span(qint64 nowMs) const;

    const Metrics::StageMetrics &level(int index) const { return m_levels.at(size_t(index)); }
    static int levelCount() { return 3; }
    // The 10-minute, 5-second metrics: the cards and the latency chart.
    const Metrics::StageMetrics &recent() const { return m_levels.front(); }
    qsizetype storedValues() const;

private:
    std::array<Metrics::StageMetrics, 3> m_levels;
    SpanChoice m_choice = SpanChoice::Auto;
};

} // namespace Docpipe::Ui
