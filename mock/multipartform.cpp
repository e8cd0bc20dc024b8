#include "multipartform.h"

#include <QRegularExpression>

namespace Docpipe::Services {

namespace {

QByteArray boundaryOf(const QByteArray &contentType)
{
    static const QRegularExpression pattern(QStringLiteral("boundary=(?:\"([^\"]+)\"|([^;\\s]+))"),
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(QString::fromLatin1(contentType));
    if (!match.hasMatch())
        return {};
    return (match.captured(1).isEmpty() ? match.captured(2) : match.captured(1)).toLatin1();
}

QByteArray dispositionParameter(const QByteArray &disposition, const char *name)
{
    const QRegularExpression pattern(QStringLiteral("(?:^|;)\\s*%1=\"([^\"]*)\"").arg(QLatin1String(name)),
                                     QRegularExpression::CaseInsensitiveOption);
    return pattern.match(QString::fromUtf8(disposition)).captured(1).toUtf8();
}

std::optional<FormPart> readPart(QByteArrayView raw)
{
    const qsizetype headerEnd = raw.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return std::nullopt;
    FormPart part;
    for (const QByteArray &line : raw.first(headerEnd).toByteArray().split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray key = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (key == "content-disposition") {
            part.name = dispositionParameter(value, "name");
            part.fileName = dispositionParameter(value, "filename");
        } else if (key == "content-type") {
            part.contentType = value;
        }
    }
    part.body = raw.sliced(headerEnd + 4).toByteArray();
    return part;
}

} // namespace

std::optional<QList<FormPart>> parseMultipartForm(const QByteArray &contentType, const QByteArray &body)
{
    const QByteArray boundary = boundaryOf(contentType);
    if (boundary.isEmpty())
        return std::nullopt;
    const QByteArray delimiter = "--" + boundary;
    qsizetype position = body.indexOf(delimiter);
    if (position < 0)
        return std::nullopt;
    QList<FormPart> parts;
    for (;;) {
        position += delimiter.size();
        if (body.mid(position, 2) == "--")
            return parts;
        if (body.mid(position, 2) != "\r\n")
            return std::nullopt;
        position += 2;
        const qsizetype next = body.indexOf(QByteArray("\r\n" + delimiter), position);
        if (next < 0)
            return std::nullopt;
        const auto part = readPart(QByteArrayView(body).sliced(position, next - position));
        if (!part)
            return std::nullopt;
        parts << *part;
        position = next + 2;
    }
}

} // namespace Docpipe::Services
