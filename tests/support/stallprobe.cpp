#include "stallprobe.h"

#include <algorithm>

namespace Docpipe::Test {

StallProbe::StallProbe()
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kTickMs);
    QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
        const qint64 now = m_clock.nsecsElapsed();
        m_gapsMs.append(double(now - m_last) / 1e6);
        m_last = now;
    });
}

void StallProbe::start()
{
    m_gapsMs.clear();
    m_clock.start();
    m_last = 0;
    m_timer.start();
}

double StallProbe::longestStallMs() const
{
    return m_gapsMs.isEmpty() ? 0 : *std::max_element(m_gapsMs.cbegin(), m_gapsMs.cend()) - kTickMs;
}

double StallProbe::percentileGapMs(double p) const
{
    if (m_gapsMs.isEmpty())
        return 0;
    QList<double> sorted = m_gapsMs;
    std::sort(sorted.begin(), sorted.end());
    return sorted.at(std::min<qsizetype>(sorted.size() - 1, qsizetype(p * double(sorted.size()))));
}

qsizetype StallProbe::stallsOver(double ms) const
{
    return std::count_if(m_gapsMs.cbegin(), m_gapsMs.cend(), [ms](double gap) { return gap - kTickMs > ms; });
}

} // namespace Docpipe::Test
