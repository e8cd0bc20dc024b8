#include "dashboardfeed.h"

#include "livefeed.h"
#include "stagedashboard.h"

#include <QDateTime>

namespace Docpipe::Ui {

DashboardFeed::DashboardFeed(LiveFeed *feed, StageDashboard *dashboard, QObject *parent)
    : QObject(parent)
    , m_dashboard(dashboard)
{
    connect(feed, &LiveFeed::eventsAppended, this,
            [this](const QList<Store::JobEvent> &events) { m_metrics.addEvents(events); });
    connect(feed, &LiveFeed::countsSampled, this,
            [this](qint64 nowMs, const Store::StatusCounts &counts) { m_metrics.sampleCounts(nowMs, counts); });
    m_refresh.setInterval(kRefreshMs);
    connect(&m_refresh, &QTimer::timeout, dashboard,
            [this] { m_dashboard->showMetrics(m_metrics, QDateTime::currentMSecsSinceEpoch()); });
    m_refresh.start();
}

} // namespace Docpipe::Ui
