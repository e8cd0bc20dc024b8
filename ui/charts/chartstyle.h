// What the charts in this folder share: a quiet chart in a view, and a value axis that fits.
// Private to ui/charts (it includes Qt Charts).
#pragma once

#include "axisscale.h"

#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>

namespace Docpipe::Ui {

// A chart without animations or drop shadow, with a small title and the legend at the bottom,
// in an antialiased view parented to `parent`.
QChartView *makeChartView(const QString &title, QWidget *parent);

// A value axis from 0 with nice steps.
QValueAxis *makeValueAxis(const QString &title);

// Grows or shrinks `axis` to fit `max`; touches it only when the scale changes (no relayout
// every tick). `minStep` 1 keeps counts in whole numbers.
void fitValueAxis(QValueAxis *axis, double max, double minStep);

} // namespace Docpipe::Ui
