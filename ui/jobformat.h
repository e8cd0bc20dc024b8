// How jobs read to a person: stage and status labels, colours, durations, document types. One
// place, so the table, the details, the dashboard, the error log and the notices say the same thing.
#pragma once

#include "model/stage.h"

#include <QColor>
#include <QString>

namespace Docpipe::Ui {

QString stageLabel(Stage stage);
QString statusLabel(JobStatus status);
// What the stage badge says: the outcome for finished-badly jobs, the stage otherwise.
QString badgeLabel(Stage stage, JobStatus status);
QColor badgeColor(Stage stage, JobStatus status);
// The stage's own colour: its badge while the job is live, its series in the dashboard's charts.
QColor stageColor(Stage stage);
// What an event of the job log says happened ("created" -> "Added", "retry" -> "Will retry", ...).
QString eventKindLabel(const QString &kind);
// "PDF", "DOCX", "HTML", "Markdown", "Text"; empty before the parser has looked.
QString documentTypeLabel(const QString &docType);
// An event time as operators read logs: "2025-03-01 14:02:11" (local time).
QString formatTimestamp(qint64 msSinceEpoch);
// "850 ms", "4.2 s", "12 s", "3 min 05 s", "2 h 07 min"; empty for a negative (unknown) duration.
QString formatDuration(qint64 ms);

} // namespace Docpipe::Ui
