// One stage at a glance: how many jobs wait for it, run in it, got past it and failed in it,
// with its recent rate and latency.
#pragma once

#include "metrics/stagemetrics.h"

#include <QFrame>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class StageCard final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StageCard)

public:
    explicit StageCard(Stage stage, QWidget *parent = nullptr);

    Stage stage() const { return m_stage; }
    void showCounts(const Metrics::StageCounts &counts);
    void showPace(double perMinute, const Metrics::LatencySummary &latency);
    // Running jobs here whose progress has not moved for a while; hidden at 0.
    void showStalled(int count);

    // The shown numbers, for tests and accessibility.
    QString countText(const QString &which) const; // "waiting", "running", "done", "failed", "stalled"

private:
    QLabel *addCount(const QString &objectName, const QString &caption, int column);

    Stage m_stage;
    QLabel *m_waiting;
    QLabel *m_running;
    QLabel *m_done;
    QLabel *m_failed;
    QLabel *m_pace;
    QLabel *m_stalled;
};

} // namespace Docpipe::Ui
