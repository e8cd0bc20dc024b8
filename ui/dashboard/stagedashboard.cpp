#include "stagedashboard.h"

#include "charts/barchart.h"
#include "charts/timeserieschart.h"
#include "jobformat.h"
#include "stagecard.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QVBoxLayout>

namespace Docpipe::Ui {

namespace {

QList<QPointF> toPoints(const QList<Metrics::TimePoint> &points, double scale = 1)
{
    QList<QPointF> out;
    out.reserve(points.size());
    for (const Metrics::TimePoint &point : points)
        out.append(QPointF(double(point.atMs), point.value * scale));
    return out;
}

QColor errorColor(Metrics::ErrorSeries series)
{
    switch (series) {
    case Metrics::ErrorSeries::Retried:
        return QColor(0xd9, 0x77, 0x06);
    case Metrics::ErrorSeries::Failed:
        return QColor(0xdc, 0x26, 0x26);
    case Metrics::ErrorSeries::LeaseExpired:
        return QColor(0x6b, 0x72, 0x80);
    }
    return Qt::gray;
}

} // namespace

StageDashboard::StageDashboard(QWidget *parent)
    : QWidget(parent)
    , m_throughput(new TimeSeriesChart(tr("Throughput"), tr("per minute"), 0.5, this))
    , m_queueDepth(new TimeSeriesChart(tr("Queue depth"), tr("jobs waiting"), 1, this))
    , m_latency(nullptr)
    , m_errors(new TimeSeriesChart(tr("Errors"), tr("per 5 s"), 1, this))
    , m_span(new QComboBox(this))
{
    m_span->setObjectName(QStringLiteral("spanChoice"));
    m_span->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_span->setToolTip(tr("The charts' time span; Auto fits it to the latest run of work"));
    m_span->addItem(tr("Auto"), int(SpanChoice::Auto));
    m_span->addItem(tr("5 min"), int(SpanChoice::FiveMinutes));
    m_span->addItem(tr("1 h"), int(SpanChoice::OneHour));
    m_span->addItem(tr("24 h"), int(SpanChoice::Day));
    connect(m_span, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT spanChosen(spanChoice()); });
    QStringList stageTitles;
    auto *cards = new QHBoxLayout;
    cards->setSpacing(8);
    for (const Stage stage : Metrics::StageMetrics::stages()) {
        auto *card = new StageCard(stage, this);
        m_cards.append(card);
        cards->addWidget(card);
        stageTitles << stageLabel(stage);
        m_throughput->addSeries(stageLabel(stage), stageColor(stage));
        m_queueDepth->addSeries(stageLabel(stage), stageColor(stage));
    }
    m_throughput->setObjectName(QStringLiteral("throughputChart"));
    m_queueDepth->setObjectName(QStringLiteral("queueDepthChart"));
    m_errors->setObjectName(QStringLiteral("errorChart"));

    m_latency = new BarChart(tr("Latency (last 10 min)"), stageTitles, tr("ms"), this);
    m_latency->setObjectName(QStringLiteral("latencyChart"));
    m_p50Set = m_latency->addSet(tr("p50"), QColor(0x93, 0xc5, 0xfd));
    m_p95Set = m_latency->addSet(tr("p95"), QColor(0x1d, 0x4e, 0xd8));

    const QStringList errorNames{tr("Retried"), tr("Failed"), tr("Lease expired")};
    for (const Metrics::ErrorSeries series : Metrics::StageMetrics::errorSeries())
        m_errors->addSeries(errorNames.at(int(series)), errorColor(series));

    auto *charts = new QGridLayout;
    charts->setSpacing(8);
    // One row: the jobs table below is what operators read most, so the charts stay short.
    charts->addWidget(m_throughput, 0, 0);
    charts->addWidget(m_queueDepth, 0, 1);
    charts->addWidget(m_latency, 0, 2);
    charts->addWidget(m_errors, 0, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    cards->addWidget(m_span, 0, Qt::AlignTop);
    layout->addLayout(cards);
    layout->addLayout(charts, 1);
}

void StageDashboard::showStalled(const QMap<Stage, int> &stalled)
{
    for (StageCard *card : std::as_const(m_cards))
        card->showStalled(stalled.value(card->stage()));
}

StageCard *StageDashboard::card(Stage stage) const
{
    for (StageCard *card : m_cards) {
        if (card->stage() == stage)
            return card;
    }
    return nullptr;
}

SpanChoice StageDashboard::spanChoice() const
{
    return SpanChoice(m_span->currentData().toInt());
}

void StageDashboard::showMetrics(const Metrics::StageMetrics &metrics, qint64 nowMs)
{
    showCards(metrics, nowMs);
    showCharts(metrics, nowMs - metrics.windowMs(), nowMs);
}

void StageDashboard::showSpans(const DashboardSpans &spans, qint64 nowMs)
{
    showCards(spans.recent(), nowMs);
    const ChartSpan span = spans.span(nowMs);
    showCharts(spans.level(span.level), nowMs - span.widthMs, nowMs);
}

void StageDashboard::showCards(const Metrics::StageMetrics &metrics, qint64 nowMs)
{
    // Percentiles are the costly part: worked out once a tick, for the cards and the chart.
    QList<Metrics::LatencySummary> latencies;
    for (StageCard *card : std::as_const(m_cards)) {
        latencies << metrics.latency(card->stage(), nowMs);
        card->showCounts(metrics.counts(card->stage()));
        card->showPace(metrics.completionsPerMinute(card->stage(), nowMs), latencies.last());
    }
    showLatency(latencies);
}

void StageDashboard::showCharts(const Metrics::StageMetrics &metrics, qint64 fromMs, qint64 nowMs)
{
    showThroughput(metrics, fromMs, nowMs);
    showQueueDepth(metrics, fromMs, nowMs);
    showErrors(metrics, fromMs, nowMs);
}

void StageDashboard::showThroughput(const Metrics::StageMetrics &metrics, qint64 fromMs, qint64 nowMs)
{
    const double perMinute = 60000.0 / double(metrics.bucketMs());
    const QList<Stage> stages = Metrics::StageMetrics::stages();
    for (int i = 0; i < stages.size(); ++i)
        m_throughput->setPoints(i, toPoints(metrics.throughput(stages.at(i), nowMs), perMinute));
    m_throughput->setTimeRange(fromMs, nowMs);
}

void StageDashboard::showQueueDepth(const Metrics::StageMetrics &metrics, qint64 fromMs, qint64 nowMs)
{
    const QList<Stage> stages = Metrics::StageMetrics::stages();
    for (int i = 0; i < stages.size(); ++i)
        m_queueDepth->setPoints(i, toPoints(metrics.queueDepth(stages.at(i), nowMs)));
    m_queueDepth->setTimeRange(fromMs, nowMs);
}

void StageDashboard::showLatency(const QList<Metrics::LatencySummary> &latencies)
{
    QList<qreal> p50;
    QList<qreal> p95;
    qint64 slowest = 0;
    for (const Metrics::LatencySummary &latency : latencies) {
        p50.append(qreal(qMax<qint64>(0, latency.p50Ms)));
        p95.append(qreal(qMax<qint64>(0, latency.p95Ms)));
        slowest = qMax(slowest, latency.p95Ms);
    }
    // Seconds once milliseconds would need five digits.
    const bool seconds = slowest >= 10000;
    const qreal scale = seconds ? 0.001 : 1;
    for (qreal &value : p50)
        value *= scale;
    for (qreal &value : p95)
        value *= scale;
    m_latency->setValueTitle(seconds ? tr("s") : tr("ms"));
    m_latency->setValues(m_p50Set, p50);
    m_latency->setValues(m_p95Set, p95);
}

void StageDashboard::showErrors(const Metrics::StageMetrics &metrics, qint64 fromMs, qint64 nowMs)
{
    for (const Metrics::ErrorSeries series : Metrics::StageMetrics::errorSeries())
        m_errors->setPoints(int(series), toPoints(metrics.errors(series, nowMs)));
    const qint64 bucketS = metrics.bucketMs() / 1000;
    m_errors->setValueTitle(bucketS >= 60 && bucketS % 60 == 0 ? tr("per %1 min").arg(bucketS / 60)
                                                               : tr("per %1 s").arg(bucketS));
    m_errors->setTimeRange(fromMs, nowMs);
}

} // namespace Docpipe::Ui
