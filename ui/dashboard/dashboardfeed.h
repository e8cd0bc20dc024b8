// Keeps the stage dashboard live: feeds StageMetrics from the live feed (the database's event log
// and counts, so every worker's work counts) and repaints the dashboard about once a second.
#pragma once

#include "metrics/stagemetrics.h"

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

    const Metrics::StageMetrics &metrics() const { return m_metrics; }

private:
    Metrics::StageMetrics m_metrics;
    StageDashboard *m_dashboard;
    QTimer m_refresh;
};

} // namespace Docpipe::Ui
