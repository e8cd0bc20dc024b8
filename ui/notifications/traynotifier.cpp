#include "traynotifier.h"

#include <QSystemTrayIcon>

namespace Docpipe::Ui {

TrayNotifier::TrayNotifier(const QIcon &icon, QObject *parent)
    : QObject(parent)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(icon, this);
        m_tray->setToolTip(tr("Docpipe"));
        m_tray->show();
    }
    m_flush.setSingleShot(true);
    m_flush.setInterval(kCoalesceMs);
    connect(&m_flush, &QTimer::timeout, this, [this] {
        if (const auto notice = m_policy.takeFailures())
            show(*notice);
    });
}

void TrayNotifier::observeCounts(const Store::StatusCounts &counts)
{
    const auto notice = m_policy.observeCounts(counts);
    if (notice && m_armed) {
        m_flush.stop();
        show(*notice);
    }
}

void TrayNotifier::observeEvents(const QList<Store::JobEvent> &events)
{
    if (!m_armed)
        return;
    m_policy.observeEvents(events);
    if (m_policy.hasPendingFailures() && !m_flush.isActive())
        m_flush.start();
}

void TrayNotifier::alert(const QString &title, const QString &message)
{
    show({Notice::Kind::Alert, title, message});
}

void TrayNotifier::show(const Notice &notice)
{
    if (m_tray) {
        const auto icon
            = notice.kind == Notice::Kind::BatchFinished ? QSystemTrayIcon::Information : QSystemTrayIcon::Warning;
        m_tray->showMessage(notice.title, notice.message, icon);
    }
    Q_EMIT noticed(notice);
}

} // namespace Docpipe::Ui
