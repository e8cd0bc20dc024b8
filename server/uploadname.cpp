#include "uploadname.h"

#include <QRegularExpression>

namespace Docpipe::Server {

QString uploadNameProblem(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("the file has no name");
    if (name.toUtf8().size() > 255)
        return QStringLiteral("the file name is over 255 bytes");
    for (const QChar c : name) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return QStringLiteral("the file name contains a control character");
        if (c == u'/' || c == u'\\')
            return QStringLiteral("the file name contains a path separator");
    }
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        return QStringLiteral("the file name is not a file");
    if (name.contains(u':'))
        return QStringLiteral("the file name contains ':'"); // drive letters, alternate streams
    if (name.trimmed() != name || name.endsWith(u'.'))
        return QStringLiteral("the file name begins or ends with a space or ends with '.'");
    static const QRegularExpression device(QStringLiteral("^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\\..*)?$"),
                                           QRegularExpression::CaseInsensitiveOption);
    if (device.match(name).hasMatch())
        return QStringLiteral("the file name is a device name");
    return {};
}

} // namespace Docpipe::Server
