#include "jobformat.h"

#include "store/records.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace Docpipe::Ui {

QString stageLabel(Stage stage)
{
    switch (stage) {
    case Stage::Uploaded:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Uploaded");
    case Stage::Parsing:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Parsing");
    case Stage::ParseValidated:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Parsed");
    case Stage::Chunking:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Chunking");
    case Stage::ChunksBuffered:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Chunked");
    case Stage::Embedding:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Embedding");
    case Stage::Embedded:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Embedded");
    }
    return {};
}

QString statusLabel(JobStatus status)
{
    switch (status) {
    case JobStatus::Queued:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Queued");
    case JobStatus::Running:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Running");
    case JobStatus::Done:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Done");
    case JobStatus::Failed:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Failed");
    case JobStatus::Cancelled:
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Cancelled");
    }
    return {};
}

QString badgeLabel(Stage stage, JobStatus status)
{
    if (status == JobStatus::Failed || status == JobStatus::Cancelled)
        return statusLabel(status);
    return stageLabel(stage);
}

QColor badgeColor(Stage stage, JobStatus status)
{
    if (status == JobStatus::Failed)
        return QColor(0xc6, 0x3b, 0x3b);
    if (status == JobStatus::Cancelled)
        return QColor(0x80, 0x86, 0x90);
    return stageColor(stage);
}

QColor stageColor(Stage stage)
{
    switch (stage) {
    case Stage::Uploaded:
        return QColor(0x5b, 0x6b, 0x80);
    case Stage::Parsing:
        return QColor(0x1f, 0x6f, 0xd1);
    case Stage::ParseValidated:
        return QColor(0x5a, 0x93, 0xd8);
    case Stage::Chunking:
        return QColor(0x7b, 0x4f, 0xc9);
    case Stage::ChunksBuffered:
        return QColor(0x9c, 0x7f, 0xd6);
    case Stage::Embedding:
        return QColor(0xc9, 0x74, 0x10);
    case Stage::Embedded:
        return QColor(0x2b, 0x8a, 0x4e);
    }
    return QColor(Qt::gray);
}

QString eventKindLabel(const QString &kind)
{
    using namespace Store::EventKind;
    struct Entry
    {
        const char *kind;
        const char *label;
    };
    static constexpr Entry kLabels[] = {
        {Created, QT_TRANSLATE_NOOP("Docpipe::Ui::JobFormat", "Added")},
        {Transition, QT_TRANSLATE_NOOP("Docpipe::Ui::JobFormat", "Moved")},
        {Retry, QT_TRANSLATE_NOOP("Docpipe::Ui::JobFormat", "Will retry")},
        {Failed, QT_TRANSLATE_NOOP("Docpipe::Ui::JobFormat", "Failed")},
        {Warning, QT_TRANSLATE_NOOP("Docpipe::Ui::JobFormat", "Warning")},
        {LeaseExpired, QT_TRANSLATE_NOOP("Docpipe::Ui::JobFormat", "Worker lost")},
        {Released, QT_TRANSLATE_NOOP("Docpipe::Ui::JobFormat", "Handed back")},
        {Cancelled, QT_TRANSLATE_NOOP("Docpipe::Ui::JobFormat", "Cancelled")},
        {OperatorRetry, QT_TRANSLATE_NOOP("Docpipe::Ui::JobFormat", "Retried by operator")},
        {Rerun, QT_TRANSLATE_NOOP("Docpipe::Ui::JobFormat", "Re-run from start")},
        {Priority, QT_TRANSLATE_NOOP("Docpipe::Ui::JobFormat", "Priority changed")},
    };
    for (const Entry &entry : kLabels) {
        if (kind == QLatin1String(entry.kind))
            return QCoreApplication::translate("Docpipe::Ui::JobFormat", entry.label);
    }
    return kind;
}

QString documentTypeLabel(const QString &docType)
{
    if (docType == QLatin1String("pdf"))
        return QStringLiteral("PDF");
    if (docType == QLatin1String("docx"))
        return QStringLiteral("DOCX");
    if (docType == QLatin1String("html"))
        return QStringLiteral("HTML");
    if (docType == QLatin1String("markdown"))
        return QStringLiteral("Markdown");
    if (docType == QLatin1String("text"))
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Text");
    if (docType == QLatin1String("image"))
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "Image");
    return docType;
}

QString formatTimestamp(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString formatDuration(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000)
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "%1 ms").arg(ms);
    if (ms < 10000)
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "%1 s")
            .arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    const qint64 seconds = ms / 1000;
    if (seconds < 60)
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "%1 s").arg(seconds);
    if (seconds < 3600)
        return QCoreApplication::translate("Docpipe::Ui::JobFormat", "%1 min %2 s")
            .arg(seconds / 60)
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QCoreApplication::translate("Docpipe::Ui::JobFormat", "%1 h %2 min")
        .arg(seconds / 3600)
        .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

} // namespace Docpipe::Ui
