// Everything the details dialog shows about one job, read through core's store functions off the
// GUI thread: the job, its events (the stage timeline), a preview of the parsed text and which
// pages were read by OCR, its chunks and the embedding model and dimensions.
#pragma once

#include "model/document.h"
#include "store/records.h"

#include <QList>
#include <QString>

#include <optional>

namespace Docpipe::Store {
class Database;
}

namespace Docpipe::Ui {

struct ChunkSummary
{
    int index = 0;
    int tokens = 0;
    int pageStart = 1;
    int pageEnd = 1;
    QString text;
};

// A page whose text was read by OCR, with Tesseract's mean word confidence (0-100).
struct OcrPage
{
    int number = 1;
    int confidence = -1;
};

// A line the PDF cleaner dropped as a running header or footer, and on how many pages it was.
// Page numbers (lines of digits only) count as one entry with an empty text.
struct FurnitureLine
{
    QString text;
    int pages = 0;
};
QList<FurnitureLine> furnitureSummary(const QList<ParsedPage> &pages);

struct JobDetails
{
    qint64 jobId = 0;
    QString error; // the database's complaint, if loading failed
    std::optional<Store::JobRecord> job; // nullopt: no such job
    QList<Store::JobEvent> events; // oldest first
    QString textPreview; // parsed pages, joined, at most the preview limit
    int pages = 0;
    qint64 textChars = 0; // of the whole parsed text
    QList<OcrPage> ocrPages; // the pages read by OCR, in page order
    QList<FurnitureLine> furniture; // most frequent first
    QList<ChunkSummary> chunks; // at most the chunk limit
    int chunkCount = 0; // stored final chunks
    QString embeddingModel;
    int embeddingDimensions = 0;
};

struct DetailsLimits
{
    int previewChars = 20000;
    int chunks = 500;
};

// Blocking: call it off the GUI thread.
JobDetails loadJobDetails(const Store::Database &db, qint64 jobId, const DetailsLimits &limits = {});

// One line per stage run, for the timeline: when it began, how long it took, how it ended.
struct StageRun
{
    Stage stage = Stage::Parsing;
    qint64 startedAt = 0;
    qint64 durationMs = -1; // -1: still running (or never finished)
    QString outcome; // event kind that ended it: transition, retry, failed, cancelled, ...
    QString worker;
    QString code;
    QString message;
};
QList<StageRun> stageRuns(const QList<Store::JobEvent> &events);

} // namespace Docpipe::Ui
