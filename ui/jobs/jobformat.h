// How jobs read to a person: stage and status labels, badge colours, durations, document types.
// One place, so the table, the details dialog and the notifications say the same thing.
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
// What an event of the job log says happened ("created" -> "Added", "retry" -> "Will retry", ...).
QString eventKindLabel(const QString &kind);
// "PDF", "DOCX", "HTML", "Markdown", "Text"; empty before the parser has looked.
QString documentTypeLabel(const QString &docType);
// An event time as operators read logs: "2025-03-01 14:02:11" (local time).
QString formatTimestamp(qint64 msSinceEpoch);
// "0.4 s", "12 s", "3 min 05 s", "2 h 07 min"; empty for a negative duration.
QString formatDuration(qint64 ms);

} // namespace Docpipe::Ui
