#include "alertbanner.h"

#include "jobformat.h"

#include <QHBoxLayout>
#include <QLabel>

namespace Docpipe::Ui {

namespace {

constexpr auto kPlainText = "plainText";

} // namespace

AlertBanner::AlertBanner(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
{
    setObjectName(QStringLiteral("alertBanner"));
    setFrameShape(QFrame::StyledPanel);
    m_label->setObjectName(QStringLiteral("alertBannerText"));
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::RichText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_label);
    hide();
}

QString AlertBanner::title(const QString &rule)
{
    if (rule == QLatin1String("failure_rate"))
        return tr("Failure rate high");
    if (rule == QLatin1String("stuck_jobs"))
        return tr("Jobs stuck");
    if (rule == QLatin1String("no_live_worker"))
        return tr("No live worker");
    if (rule == QLatin1String("disk_low"))
        return tr("Free disk low");
    if (rule == QLatin1String("quota_exhausted"))
        return tr("API quota exhausted");
    if (rule == QLatin1String("service_outage"))
        return tr("Remote service outage");
    if (rule == QLatin1String("queue_growing"))
        return tr("Queue growing");
    return rule;
}

void AlertBanner::setAlerts(const QList<Store::AlertRecord> &firing)
{
    QMap<QString, Store::AlertRecord> now;
    for (const Store::AlertRecord &alert : firing)
        now.insert(alert.key, alert);
    const QMap<QString, Store::AlertRecord> before = std::exchange(m_shown, now);
    for (const Store::AlertRecord &alert : std::as_const(now)) {
        if (!before.contains(alert.key))
            Q_EMIT appeared(alert);
    }
    for (const Store::AlertRecord &alert : before) {
        if (!now.contains(alert.key))
            Q_EMIT cleared(alert);
    }

    m_level = Level::None;
    QStringList plain;
    QStringList rich;
    for (const Store::AlertRecord &alert : std::as_const(now)) {
        const bool critical = alert.severity == QLatin1String("critical");
        m_level = std::max(m_level, critical ? Level::Critical : Level::Warning);
        // The summary is the engine's own sentence (English, as in the log and the webhook).
        const QString line
            = tr("%1 (since %2): %3").arg(title(alert.rule), formatTimestamp(alert.firedAt), alert.summary);
        plain << line;
        rich << QStringLiteral("<b>%1</b>").arg(line.toHtmlEscaped());
    }
    m_label->setProperty(kPlainText, plain.join(u'\n'));
    m_label->setText(rich.join(QStringLiteral("<br>")));
    const char *background = m_level == Level::Critical ? "#f8d7d7" : "#fbe7c6";
    const char *border = m_level == Level::Critical ? "#c63b3b" : "#c97410";
    setStyleSheet(QStringLiteral("#alertBanner { background: %1; border: 1px solid %2; border-radius: 3px; } "
                                 "#alertBannerText { color: #1d1d1f; }")
                      .arg(QLatin1String(background), QLatin1String(border)));
    setVisible(!now.isEmpty());
}

QString AlertBanner::text() const
{
    return m_label->property(kPlainText).toString();
}

} // namespace Docpipe::Ui
