#include "servicestatus.h"

#include <QAbstractButton>
#include <QCoreApplication>
#include <QLabel>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace Docpipe::Ui {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Docpipe::Ui::ServiceStatus", text);
}
} // namespace

void showServiceCheck(QLabel *label, const Services::ServiceCheck &check)
{
    QString text = (check.ok ? tr("OK: %1") : tr("Failed: %1")).arg(check.message);
    if (check.latencyMs >= 0)
        text += tr(" (%1 ms)").arg(check.latencyMs);
    label->setText(text);
    label->setStyleSheet(check.ok ? QStringLiteral("color: #15803d;") : QStringLiteral("color: #b91c1c;"));
}

void runServiceCheck(QAbstractButton *button, QLabel *label, std::function<Services::ServiceCheck()> check)
{
    button->setEnabled(false);
    label->setStyleSheet(QString());
    label->setText(tr("Checking…"));
    QPointer<QAbstractButton> guardedButton(button);
    QtConcurrent::run(std::move(check)).then(label, [label, guardedButton](const Services::ServiceCheck &result) {
        if (guardedButton)
            guardedButton->setEnabled(true);
        showServiceCheck(label, result);
    });
}

} // namespace Docpipe::Ui
