// Reads a multipart/form-data body (RFC 7578), as LlamaParse's upload receives it. Qt has no
// server-side reader for it (QHttpMultiPart only writes), and QHttpServer 6.4 hands over the raw
// body, so the mock reads the few headers it needs itself.
#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace Docpipe::Services {

struct FormPart
{
    QByteArray name;
    QByteArray fileName; // empty for a plain field
    QByteArray contentType;
    QByteArray body;
};

// `contentType` is the request's Content-Type header (it carries the boundary); nullopt when the
// body is not a well-formed multipart form.
std::optional<QList<FormPart>> parseMultipartForm(const QByteArray &contentType, const QByteArray &body);

} // namespace Docpipe::Services
