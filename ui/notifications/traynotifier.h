// Desktop notifications through QSystemTrayIcon: a batch finished, jobs failed permanently.
// Failures are gathered for a few seconds into one notice. Without a system tray (offscreen, some
// desktops) the notices are only emitted as a signal.
#pragma once

#include "notificationpolicy.h"

#include <QObject>
#include <QTimer>

class QSystemTrayIcon;

namespace Docpipe::Ui {

class TrayNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayNotifier)

public:
    static constexpr int kCoalesceMs = 3000;

    explicit TrayNotifier(const QIcon &icon, QObject *parent = nullptr);

    // Events before this are history (the feed's first load): no notices for them.
    void arm() { m_armed = true; }
    void observeCounts(const Store::StatusCounts &counts);
    void observeEvents(const QList<Store::JobEvent> &events);
    // Something an operator must see now (e.g. the API quota is exhausted): shown at once.
    void alert(const QString &title, const QString &message);
    void setCoalesceMs(int ms) { m_flush.setInterval(ms); }
    bool hasTray() const { return m_tray != nullptr; }

Q_SIGNALS:
    void noticed(const Docpipe::Ui::Notice &notice);

private:
    void show(const Notice &notice);

    NotificationPolicy m_policy;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer m_flush;
    bool m_armed = false;
};

} // namespace Docpipe::Ui
