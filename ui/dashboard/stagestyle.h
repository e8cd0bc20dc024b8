// How the dashboard names and colours the work stages, and prints durations and rates.
#pragma once

#include "model/stage.h"

#include <QColor>
#include <QString>

namespace Docpipe::Ui {

QString stageTitle(Stage stage);   // "Parsing", translated
QColor stageColor(Stage stage);
// "850 ms", "4.2 s", "3 min 5 s"; "–" for a negative (unknown) duration.
QString formatDuration(qint64 ms);

} // namespace Docpipe::Ui
