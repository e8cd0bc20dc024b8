#include "stagestyle.h"

#include <QCoreApplication>
#include <QLocale>

namespace Docpipe::Ui {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Docpipe::Ui::StageStyle", text);
}
} // namespace

QString stageTitle(Stage stage)
{
    switch (stage) {
    case Stage::Uploaded: return tr("Uploaded");
    case Stage::Parsing: return tr("Parsing");
    case Stage::ParseValidated: return tr("Parsed");
    case Stage::Chunking: return tr("Chunking");
    case Stage::ChunksBuffered: return tr("Chunked");
    case Stage::Embedding: return tr("Embedding");
    case Stage::Embedded: return tr("Embedded");
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
        return tr("%1 ms").arg(ms);
    if (ms < 60000)
        return tr("%1 s").arg(locale.toString(double(ms) / 1000.0, 'f', ms < 10000 ? 1 : 0));
    return tr("%1 min %2 s").arg(ms / 60000).arg((ms % 60000) / 1000);
}

} // namespace Docpipe::Ui
