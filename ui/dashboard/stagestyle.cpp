#include "stagestyle.h"

#include <QCoreApplication>
#include <QLocale>

namespace Docpipe::Ui {

// The translation context of this file's strings (lupdate reads it from here).
struct StageStyle
{
    Q_DECLARE_TR_FUNCTIONS(Docpipe::Ui::StageStyle)
};

QString stageTitle(Stage stage)
{
    switch (stage) {
    case Stage::Uploaded: return StageStyle::tr("Uploaded");
    case Stage::Parsing: return StageStyle::tr("Parsing");
    case Stage::ParseValidated: return StageStyle::tr("Parsed");
    case Stage::Chunking: return StageStyle::tr("Chunking");
    case Stage::ChunksBuffered: return StageStyle::tr("Chunked");
    case Stage::Embedding: return StageStyle::tr("Embedding");
    case Stage::Embedded: return StageStyle::tr("Embedded");
    }
    return {};
}

QColor stageColor(Stage stage)
{
    switch (stage) {
    case Stage::Uploaded:
    case Stage::Parsing: return QColor(0x25, 0x63, 0xeb);        // blue
    case Stage::ParseValidated:
    case Stage::Chunking: return QColor(0xd9, 0x77, 0x06);       // amber
    case Stage::ChunksBuffered:
    case Stage::Embedding: return QColor(0x7c, 0x3a, 0xed);      // violet
    case Stage::Embedded: return QColor(0x16, 0xa3, 0x4a);       // green
    }
    return Qt::gray;
}

QString formatDuration(qint64 ms)
{
    const QLocale locale;
    if (ms < 0)
        return QStringLiteral("–");
    if (ms < 1000)
        return StageStyle::tr("%1 ms").arg(ms);
    if (ms < 60000)
        return StageStyle::tr("%1 s").arg(locale.toString(double(ms) / 1000.0, 'f', ms < 10000 ? 1 : 0));
    return StageStyle::tr("%1 min %2 s").arg(ms / 60000).arg((ms % 60000) / 1000);
}

} // namespace Docpipe::Ui
