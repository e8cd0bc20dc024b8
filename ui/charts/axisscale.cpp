#include "axisscale.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace Docpipe::Ui {

AxisScale niceAxisScale(double max, int intervals, double minStep)
{
    const double wanted = std::max(minStep, max / double(std::max(1, intervals)));
    const double magnitude = std::pow(10.0, std::floor(std::log10(wanted)));
    double step = magnitude * 10;
    for (const double factor : {1.0, 2.0, 5.0}) {
        if (magnitude * factor >= wanted * (1 - 1e-9)) {
            step = magnitude * factor;
            break;
        }
    }
    const int decimals = step >= 1 ? 0 : int(std::ceil(-std::log10(step) - 1e-9));
    return {step * intervals, step, decimals};
}

} // namespace Docpipe::Ui
