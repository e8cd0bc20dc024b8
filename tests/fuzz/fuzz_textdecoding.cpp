// Text decoding: BOMs, UTF-8 (valid, broken, overlong), declared charsets, Windows-1252 fallback.
#include "fuzzinput.h"
#include "stages/parsers/textdecoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Docpipe;
    // The first byte picks the charset an HTML page might declare.
    static const QByteArray kCharsets[]
        = {{}, "utf-8", "iso-8859-1", "windows-1252", "shift_jis", "utf-16", "koi8-r", "bogus"};
    const QByteArray charset = size > 0 ? kCharsets[data[0] % std::size(kCharsets)] : QByteArray();
    const QByteArray bytes = Fuzz::bytesOf(data + (size > 0), size - (size > 0));
    Stages::DecodedText decoded = Stages::decodeText(bytes, charset);
    Fuzz::require(!decoded.encoding.isEmpty(), "an encoding is always named");
    Stages::normalizeLineEndings(decoded.text);
    Fuzz::require(!decoded.text.contains(u'\r'), "no CR after normalising line endings");
    return 0;
}
