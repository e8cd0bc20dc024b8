#include "percentile.h"

#include <algorithm>
#include <cmath>

namespace Docpipe::Metrics {

qint64 percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return -1;
    const auto rank = qBound<qsizetype>(1, qsizetype(std::ceil(p / 100.0 * double(values.size()))), values.size());
    std::nth_element(values.begin(), values.begin() + (rank - 1), values.end());
    return values.at(rank - 1);
}

void SampleReservoir::add(qint64 value)
{
    ++m_seen;
    if (m_values.size() < m_capacity) {
        m_values.append(value);
        return;
    }
    // xorshift64*: a few instructions, no shared generator, same choices on every run.
    m_state ^= m_state >> 12;
    m_state ^= m_state << 25;
    m_state ^= m_state >> 27;
    const quint64 pick = (m_state * 0x2545F4914F6CDD1DULL) % quint64(m_seen);
    if (pick < quint64(m_capacity))
        m_values[qsizetype(pick)] = value;
}

} // namespace Docpipe::Metrics
