// A band across the top of the window while any alert is firing anywhere in the fleet: the
// worst severity sets its colour (amber for warnings, red when something is critical), one line
// per alert. Fed with the fleet's firing alerts after each check; says which appeared and which
// cleared since the last feed, so the tray can announce them once.
#pragma once

#include "store/alertstore.h"

#include <QFrame>
#include <QList>
#include <QMap>

class QLabel;

namespace Docpipe::Ui {

class AlertBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertBanner)

public:
    enum class Level { None, Warning, Critical };

    explicit AlertBanner(QWidget *parent = nullptr);

    void setAlerts(const QList<Store::AlertRecord> &firing);
    Level level() const { return m_level; }
    QString text() const; // for tests and screenshots: what the banner says, plain
    // A rule's title for a person, translated ("Failure rate high").
    static QString title(const QString &rule);

Q_SIGNALS:
    void appeared(const Docpipe::Store::AlertRecord &alert);
    void cleared(const Docpipe::Store::AlertRecord &alert);

private:
    QLabel *m_label;
    QMap<QString, Store::AlertRecord> m_shown;
    Level m_level = Level::None;
};

} // namespace Docpipe::Ui
