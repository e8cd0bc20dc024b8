#include "stagecard.h"

#include "jobformat.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>

namespace Docpipe::Ui {

StageCard::StageCard(Stage stage, QWidget *parent)
    : QFrame(parent)
    , m_stage(stage)
{
    setObjectName(QStringLiteral("card_") + stageName(stage));
    setFrameShape(QFrame::StyledPanel);
    // A coloured band on the left says which stage this is at a glance.
    setStyleSheet(QStringLiteral("Docpipe--Ui--StageCard { border: 1px solid palette(mid); border-left: 5px solid %1;"
                                 " border-radius: 4px; background: palette(base); }")
                      .arg(stageColor(stage).name()));
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(12, 8, 12, 8);
    grid->setHorizontalSpacing(16);
    grid->setVerticalSpacing(2);

    auto *title = new QLabel(stageLabel(stage), this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    title->setFont(titleFont);
    grid->addWidget(title, 0, 0, 1, 3);
    m_stalled = new QLabel(this);
    m_stalled->setObjectName(QStringLiteral("stalled"));
    m_stalled->setStyleSheet(QStringLiteral("color: #b45309; font-weight: bold;"));
    m_stalled->setToolTip(tr("Running jobs whose progress has not moved for longer than the stalled threshold "
                             "(Settings, Interface)"));
    grid->addWidget(m_stalled, 0, 3, Qt::AlignRight);

    m_waiting = addCount(QStringLiteral("waiting"), tr("Waiting"), 0);
    m_running = addCount(QStringLiteral("running"), tr("Running"), 1);
    m_done = addCount(QStringLiteral("done"), tr("Done"), 2);
    m_failed = addCount(QStringLiteral("failed"), tr("Failed"), 3);

    m_pace = new QLabel(this);
    m_pace->setObjectName(QStringLiteral("pace"));
    m_pace->setForegroundRole(QPalette::PlaceholderText);
    grid->addWidget(m_pace, 3, 0, 1, 4);
    showCounts({});
    showPace(0, {});
    showStalled(0);
}

void StageCard::showStalled(int count)
{
    m_stalled->setText(count > 0 ? tr("%n stalled", nullptr, count) : QString());
    m_stalled->setVisible(count > 0);
}

QLabel *StageCard::addCount(const QString &objectName, const QString &caption, int column)
{
    auto *grid = static_cast<QGridLayout *>(layout());
    auto *value = new QLabel(this);
    value->setObjectName(objectName);
    QFont font = value->font();
    font.setPointSizeF(font.pointSizeF() * 1.6);
    value->setFont(font);
    auto *label = new QLabel(caption, this);
    label->setForegroundRole(QPalette::PlaceholderText);
    grid->addWidget(value, 1, column);
    grid->addWidget(label, 2, column);
    return value;
}

void StageCard::showCounts(const Metrics::StageCounts &counts)
{
    const QLocale locale;
    m_waiting->setText(locale.toString(counts.waiting));
    m_running->setText(locale.toString(counts.running));
    m_done->setText(locale.toString(counts.done));
    m_failed->setText(locale.toString(counts.failed));
    const QString failedStyle = counts.failed > 0 ? QStringLiteral("color: #dc2626;") : QString();
    if (m_failed->styleSheet() != failedStyle) // re-polishing every tick would be wasted work
        m_failed->setStyleSheet(failedStyle);
}

void StageCard::showPace(double perMinute, const Metrics::LatencySummary &latency)
{
    const QString rate = tr("%1/min").arg(QLocale().toString(perMinute, 'f', perMinute < 10 ? 1 : 0));
    if (latency.completions == 0) {
        m_pace->setText(rate);
        return;
    }
    m_pace->setText(tr("%1 · p50 %2 · p95 %3").arg(rate, formatDuration(latency.p50Ms), formatDuration(latency.p95Ms)));
}

QString StageCard::countText(const QString &which) const
{
    const auto *label = findChild<QLabel *>(which);
    return label ? label->text() : QString();
}

} // namespace Docpipe::Ui
