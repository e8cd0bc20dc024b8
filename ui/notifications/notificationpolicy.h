// When the window should say something on the desktop: once a batch of work has drained (how many
// were embedded and failed in it), and when jobs fail permanently (coalesced: one notice for a
// burst, not one per job). Plain value type fed by LiveFeed; the tray notifier shows the notices.
#pragma once

#include "store/jobqueries.h"
#include "store/records.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Docpipe::Ui {

struct Notice
{
    enum class Kind { BatchFinished, JobsFailed, Alert };
    Kind kind = Kind::BatchFinished;
    QString title;
    QString message;
};

class NotificationPolicy final
{
    Q_DECLARE_TR_FUNCTIONS(Docpipe::Ui::NotificationPolicy)

public:
    // Jobs waiting or running, from a status sample; a notice when that drains to zero.
    std::optional<Notice> observeCounts(const Store::StatusCounts &counts);
    // Collects permanent failures ("failed" events) until takeFailures().
    void observeEvents(const QList<Store::JobEvent> &events);
    bool hasPendingFailures() const { return !m_failedNames.isEmpty(); }
    std::optional<Notice> takeFailures();

    static int unfinished(const Store::StatusCounts &counts);

private:
    bool m_batchActive = false;
    int m_doneAtStart = 0;
    int m_failedAtStart = 0;
    QStringList m_failedNames;
};

} // namespace Docpipe::Ui
