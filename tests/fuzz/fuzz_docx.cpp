// DOCX: the ZIP container (minizip through zipreader, with its inflate cap) and word/document.xml.
#include "fuzzinput.h"
#include "stages/parsers/docxparser.h"
#include "stages/parsers/zipreader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Docpipe;
    const QByteArray bytes = Fuzz::bytesOf(data, size);
    constexpr qint64 kCap = 1 << 20;
    const Stages::ZipEntryRead entry = Stages::readZipEntry(bytes, "word/document.xml", kCap);
    Fuzz::require(entry.data.size() <= kCap, "the inflate cap holds");
    Stages::ParserLimits limits;
    limits.maxDocxXmlBytes = kCap;
    (void)Stages::parseDocx(bytes, {}, limits);
    return 0;
}
