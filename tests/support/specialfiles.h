// Files that are not documents, for the tests of hostile folders: a named pipe (opening it would
// wait for a writer for ever) and a Unix socket. Devices are reached through a link to /dev/null.
#pragma once

#include <QString>

namespace Docpipe::Test {

bool makeFifo(const QString &path);
bool makeSocketFile(const QString &path); // bound, then closed: the socket file stays

} // namespace Docpipe::Test
