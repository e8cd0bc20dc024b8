// Shared by the libFuzzer targets: the input as Qt bytes, and a check that stops the run (a
// "crash" libFuzzer saves) when a promised property does not hold.
#pragma once

#include <QByteArray>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace Docpipe::Fuzz {

inline QByteArray bytesOf(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)); // a copy: Qt may keep it
}

inline void require(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "property violated: %s\n", what);
        std::abort();
    }
}

} // namespace Docpipe::Fuzz
