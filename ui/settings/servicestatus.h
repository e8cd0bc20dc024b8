// The "Test" buttons of the settings dialog: run a connection or service check off the GUI
// thread and show what happened, and how long it took, beside the button.
#pragma once

#include "services/servicecheck.h"

#include <functional>

QT_BEGIN_NAMESPACE
class QAbstractButton;
class QLabel;
QT_END_NAMESPACE

namespace Docpipe::Ui {

void showServiceCheck(QLabel *label, const Services::ServiceCheck &check);
// Disables `button` and says "Checking…" in `label` until `check` (run on the thread pool) answers.
void runServiceCheck(QAbstractButton *button, QLabel *label, std::function<Services::ServiceCheck()> check);

} // namespace Docpipe::Ui
