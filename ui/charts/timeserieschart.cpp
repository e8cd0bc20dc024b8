#include "timeserieschart.h"

#include "chartstyle.h"

#include <QDateTime>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>
#include <QVBoxLayout>

#include <algorithm>

namespace Docpipe::Ui {

TimeSeriesChart::TimeSeriesChart(const QString &title, const QString &valueTitle, double minStep, QWidget *parent)
    : QWidget(parent)
    , m_view(makeChartView(title, this))
    , m_timeAxis(new QDateTimeAxis)
    , m_valueAxis(makeValueAxis(valueTitle))
    , m_minStep(minStep)
{
    m_timeAxis->setFormat(QStringLiteral("HH:mm"));
    m_timeAxis->setTickCount(4);
    QFont labels = m_timeAxis->labelsFont();
    labels.setPointSizeF(labels.pointSizeF() * 0.85);
    m_timeAxis->setLabelsFont(labels);
    m_view->chart()->addAxis(m_timeAxis, Qt::AlignBottom);
    m_view->chart()->addAxis(m_valueAxis, Qt::AlignLeft);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

int TimeSeriesChart::addSeries(const QString &name, const QColor &color, Qt::PenStyle style)
{
    auto *series = new QLineSeries;
    series->setName(name);
    QPen pen(color, 2);
    pen.setStyle(style);
    series->setPen(pen);
    m_view->chart()->addSeries(series);
    series->attachAxis(m_timeAxis);
    series->attachAxis(m_valueAxis);
    m_series.append(series);
    return int(m_series.size() - 1);
}

void TimeSeriesChart::setPoints(int series, const QList<QPointF> &points)
{
    if (series < 0 || series >= m_series.size())
        return;
    m_series.at(series)->replace(points);
    fitValues();
}

void TimeSeriesChart::setTimeRange(qint64 fromMs, qint64 toMs)
{
    m_fromMs = fromMs;
    m_toMs = toMs;
    m_timeAxis->setFormat(toMs - fromMs <= 10 * 60 * 1000 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm"));
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
}

void TimeSeriesChart::setValueTitle(const QString &title)
{
    m_valueAxis->setTitleText(title);
}

QString TimeSeriesChart::seriesName(int series) const
{
    return series >= 0 && series < m_series.size() ? m_series.at(series)->name() : QString();
}

QList<QPointF> TimeSeriesChart::points(int series) const
{
    return series >= 0 && series < m_series.size() ? m_series.at(series)->points() : QList<QPointF>();
}

double TimeSeriesChart::valueAxisTop() const
{
    return m_valueAxis->max();
}

void TimeSeriesChart::fitValues()
{
    double max = 0;
    for (const QLineSeries *series : std::as_const(m_series)) {
        for (const QPointF &point : series->points())
            max = std::max(max, point.y());
    }
    fitValueAxis(m_valueAxis, max, m_minStep);
}

} // namespace Docpipe::Ui
