// Nice value-axis ranges for live charts: 0 to a round top with round steps, so labels stay
// readable and the axis only moves when the data outgrow it.
#pragma once

namespace Docpipe::Ui {

struct AxisScale
{
    double top = 1;
    double step = 1;
    int decimals = 0; // for labels: 0 when every step is a whole number
};

// The smallest 1-2-5 step of at least `minStep` with `max` <= step * intervals.
AxisScale niceAxisScale(double max, int intervals = 4, double minStep = 1);

} // namespace Docpipe::Ui
