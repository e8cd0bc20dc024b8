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
            [this](const QList<Store::JobEvent> &events) { m_spans.addEvents(events); });
    connect(feed, &LiveFeed::countsSampled, this,
            [this](qint64 nowMs, const Store::StatusCounts &counts) { m_spans.sampleCounts(nowMs, counts); });
    const auto repaint = [this] { m_dashboard->showSpans(m_spans, QDateTime::currentMSecsSinceEpoch()); };
    connect(dashboard, &StageDashboard::spanChosen, this, [this, repaint](SpanChoice choice) {
        m_spans.setChoice(choice);
        repaint();
    });
    m_refresh.setInterval(kRefreshMs);
    connect(&m_refresh, &QTimer::timeout, dashboard, repaint);
    m_refresh.start();
}

} // namespace Docpipe::Ui
