#include "multipartform.h"

#include "services/multipartreader.h"

namespace Docpipe::Services {

std::optional<QList<FormPart>> parseMultipartForm(const QByteArray &contentType, const QByteArray &body)
{
    const QByteArray boundary = MultipartReader::boundaryOf(contentType);
    if (boundary.isEmpty())
        return std::nullopt;
    MultipartReader reader(boundary, body.size() + 4);
    QList<FormPart> parts;
    reader.onPartBegin = [&](const FormPartHead &head) {
        parts.append({head.name, head.fileName, head.contentType, {}});
        return true;
    };
    reader.onPartData = [&](QByteArrayView bytes) {
        parts.last().body.append(bytes);
        return true;
    };
    if (!reader.feed(body) || !reader.isFinished())
        return std::nullopt;
    return parts;
}

} // namespace Docpipe::Services
