// A line chart over a sliding time window, fed with samples. Series and axes are made once and
// their points replaced on each update, so a chart redrawn every second does not flicker.
// Only ui/charts includes Qt Charts (deprecated from Qt 6.10 in favour of Qt Graphs).
#pragma once

#include <QColor>
#include <QList>
#include <QPointF>
#include <QWidget>

#include <utility>

QT_BEGIN_NAMESPACE
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class TimeSeriesChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimeSeriesChart)

public:
    // `minStep` is the smallest value-axis step: 1 for counts, smaller for rates.
    TimeSeriesChart(const QString &title, const QString &valueTitle, double minStep = 1, QWidget *parent = nullptr);

    // Returns the series' index for setPoints().
    int addSeries(const QString &name, const QColor &color, Qt::PenStyle style = Qt::SolidLine);
    // x: milliseconds since the epoch; y: the value. Replaces the series' points.
    void setPoints(int series, const QList<QPointF> &points);
    // Labels show seconds on axes of ten minutes or less.
    void setTimeRange(qint64 fromMs, qint64 toMs);
    std::pair<qint64, qint64> timeRange() const { return {m_fromMs, m_toMs}; }
    void setValueTitle(const QString &title);

    int seriesCount() const { return int(m_series.size()); }
    QString seriesName(int series) const;
    QList<QPointF> points(int series) const;
    double valueAxisTop() const;

private:
    void fitValues();

    QChartView *m_view;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
    QList<QLineSeries *> m_series;
    double m_minStep;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
};

} // namespace Docpipe::Ui
