// The stage dashboard: a card per stage (waiting / running / done / failed) and four charts
// over the last ten minutes (throughput, queue depth, latency p50/p95, errors). Fed about once
// a second with StageMetrics; it only reads them, so it never touches the database.
#pragma once

#include "dashboardspans.h"
#include "metrics/stagemetrics.h"

#include <QList>
#include <QMap>
#include <QWidget>

class QComboBox;

namespace Docpipe::Ui {

class BarChart;
class StageCard;
class TimeSeriesChart;

class StageDashboard final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StageDashboard)

public:
    explicit StageDashboard(QWidget *parent = nullptr);

    // Cards, latency and every chart from one set of metrics, over its whole window.
    void showMetrics(const Metrics::StageMetrics &metrics, qint64 nowMs);
    // Cards and latency from the recent metrics; the charts over the span chosen (or sized to
    // the work, for Auto).
    void showSpans(const DashboardSpans &spans, qint64 nowMs);
    // Running jobs that have not moved for longer than the stalled threshold, per stage.
    void showStalled(const QMap<Stage, int> &stalled);
    SpanChoice spanChoice() const;

    // The parts, for tests.
    StageCard *card(Stage stage) const;
    TimeSeriesChart *throughputChart() const { return m_throughput; }
    TimeSeriesChart *queueDepthChart() const { return m_queueDepth; }
    BarChart *latencyChart() const { return m_latency; }
    TimeSeriesChart *errorChart() const { return m_errors; }
    QComboBox *spanBox() const { return m_span; }

Q_SIGNALS:
    void spanChosen(Docpipe::Ui::SpanChoice choice);

private:
    void showCards(const Metrics::StageMetrics &metrics, qint64 nowMs);
    void showCharts(const Metrics::StageMetrics &metrics, qint64 fromMs, qint64 nowMs);
    void showThroughput(const Metrics::StageMetrics &metrics, qint64 fromMs, qint64 nowMs);
    void showQueueDepth(const Metrics::StageMetrics &metrics, qint64 fromMs, qint64 nowMs);
    void showLatency(const QList<Metrics::LatencySummary> &latencies); // in the cards' order
    void showErrors(const Metrics::StageMetrics &metrics, qint64 fromMs, qint64 nowMs);

    QList<StageCard *> m_cards;
    TimeSeriesChart *m_throughput;
    TimeSeriesChart *m_queueDepth;
    BarChart *m_latency;
    TimeSeriesChart *m_errors;
    QComboBox *m_span;
    int m_p50Set = 0;
    int m_p95Set = 0;
};

} // namespace Docpipe::Ui
