// Keeps the stage dashboard live: feeds StageMetrics from the live feed (the database's event log
// and counts, so every worker's work counts) at each of the dashboard's time scales, and
// repaints the dashboard about once a second over the span the operator chose.
#pragma once

#include "dashboardspans.h"

#include <QObject>
#include <QTimer>

namespace Docpipe::Ui {

class LiveFeed;
class StageDashboard;

class DashboardFeed final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardFeed)

public:
    static constexpr int kRefreshMs = 1000;

    DashboardFeed(LiveFeed *feed, StageDashboard *dashboard, QObject *parent = nullptr);

    const Metrics::StageMetrics &metrics() const { return m_spans.recent(); }
    const DashboardSpans &spans() const { return m_spans; }

private:
    DashboardSpans m_spans;
    StageDashboard *m_dashboard;
    QTimer m_refresh;
};

} // namespace Docpipe::Ui
