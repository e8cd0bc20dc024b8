// Whether a client's file name may name a file in the upload folder: a plain name only, never a
// path (no "/", "\", "..", absolute paths), no NUL or control characters, no device name
// (CON, NUL, COM1, ...), at most 255 bytes.
#pragma once

#include <QString>

namespace Docpipe::Server {

// Empty when the name is acceptable, else why not ("the name contains a path separator").
QString uploadNameProblem(const QString &name);

} // namespace Docpipe::Server
