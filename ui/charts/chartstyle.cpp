#include "chartstyle.h"

#include <QGraphicsLayout>
#include <QtCharts/QLegend>

namespace Docpipe::Ui {

QChartView *makeChartView(const QString &title, QWidget *parent)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    QFont titleFont = chart->titleFont();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setDropShadowEnabled(false);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 2, 4, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->legend()->setAlignment(Qt::AlignBottom);
    QFont legendFont = chart->legend()->font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.9);
    chart->legend()->setFont(legendFont);

    auto *view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(200, 160);
    return view;
}

QValueAxis *makeValueAxis(const QString &title)
{
    auto *axis = new QValueAxis;
    axis->setTitleText(title);
    QFont font = axis->titleFont();
    font.setBold(false);
    font.setPointSizeF(font.pointSizeF() * 0.9);
    axis->setTitleFont(font);
    axis->setLabelFormat(QStringLiteral("%.0f"));
    QFont labels = axis->labelsFont();
    labels.setPointSizeF(labels.pointSizeF() * 0.85);
    axis->setLabelsFont(labels);
    axis->setRange(0, 4);
    axis->setTickCount(3); // short charts: 0, middle, top keep their labels readable
    return axis;
}

void fitValueAxis(QValueAxis *axis, double max, double minStep)
{
    const int intervals = axis->tickCount() - 1;
    const AxisScale scale = niceAxisScale(max, intervals, minStep);
    if (axis->min() == 0 && qFuzzyCompare(axis->max(), scale.top))
        return;
    axis->setLabelFormat(QStringLiteral("%.%1f").arg(scale.decimals));
    axis->setRange(0, scale.top);
}

} // namespace Docpipe::Ui
