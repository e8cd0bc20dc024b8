// Records the gaps between ticks of a 5 ms timer on the thread that owns it (the GUI thread in
// the window benchmarks): a gap much longer than 5 ms is the event loop busy with something else.
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QTimer>

namespace Docpipe::Test {

class StallProbe final
{
public:
    StallProbe();
    void start();
    void stop() { m_timer.stop(); }
    double longestStallMs() const;
    double percentileGapMs(double p) const;
    qsizetype stallsOver(double ms) const;
    qsizetype ticks() const { return m_gapsMs.size(); }

private:
    static constexpr int kTickMs = 5;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    QList<double> m_gapsMs;
};

} // namespace Docpipe::Test
