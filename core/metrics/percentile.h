// Percentiles of a handful of durations, and a bounded sample of a stream of them.
#pragma once

#include <QList>
#include <QtGlobal>

namespace Docpipe::Metrics {

// Nearest-rank percentile (0 < p <= 100): the smallest value with at least p% of the values at or
// below it. -1 for no values.
qint64 percentile(QList<qint64> values, double p);

// Keeps at most `capacity` values of a stream, each value seen equally likely to be kept
// (reservoir sampling, Algorithm R); exact while fewer than `capacity` have been added.
// Deterministic: the same stream keeps the same values.
class SampleReservoir final
{
public:
    SampleReservoir() = default;
    explicit SampleReservoir(int capacity)
        : m_capacity(qMax(1, capacity))
    { }

    void add(qint64 value);
    const QList<qint64> &values() const { return m_values; }
    qint64 seen() const { return m_seen; }

private:
    QList<qint64> m_values;
    qint64 m_seen = 0;
    quint64 m_state = 0x9E3779B97F4A7C15ULL;
    int m_capacity = 256;
};

} // namespace Docpipe::Metrics
