#include "servicestatus.h"

#include <QAbstractButton>
#include <QCoreApplication>
#include <QLabel>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace Docpipe::Ui {

// The translation context of this file's strings (lupdate reads it from here).
struct ServiceStatus
{
    Q_DECLARE_TR_FUNCTIONS(Docpipe::Ui::ServiceStatus)
};

void showServiceCheck(QLabel *label, const Services::ServiceCheck &check)
{
    QString text = (check.ok ? ServiceStatus::tr("OK: %1") : ServiceStatus::tr("Failed: %1")).arg(check.message);
    if (check.latencyMs >= 0)
        text += ServiceStatus::tr(" (%1 ms)").arg(check.latencyMs);
    label->setText(text);
    label->setStyleSheet(check.ok ? QStringLiteral("color: #15803d;") : QStringLiteral("color: #b91c1c;"));
}

void runServiceCheck(QAbstractButton *button, QLabel *label, std::function<Services::ServiceCheck()> check)
{
    button->setEnabled(false);
    label->setStyleSheet(QString());
    label->setText(ServiceStatus::tr("Checking…"));
    QPointer<QAbstractButton> guardedButton(button);
    QtConcurrent::run(std::move(check)).then(label, [label, guardedButton](const Services::ServiceCheck &result) {
        if (guardedButton)
            guardedButton->setEnabled(true);
        showServiceCheck(label, result);
    });
}

} // namespace Docpipe::Ui
