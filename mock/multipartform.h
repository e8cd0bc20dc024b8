// Reads a whole multipart/form-data body (RFC 7578), as LlamaParse's upload receives it, with the
// streaming reader of core/services (QHttpServer 6.4 hands the mock the raw body, which is small
// in tests).
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
