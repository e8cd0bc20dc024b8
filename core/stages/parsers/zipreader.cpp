// minizip over a QByteArray: the ioapi callbacks below stand in for fopen/fread/fseek.
#include "zipreader.h"

#include <unzip.h>

#include <algorithm>
#include <cstring>

namespace Docpipe::Stages {

namespace {

struct MemoryFile
{
    const QByteArray *bytes = nullptr;
    qint64 pos = 0;
};

voidpf ZCALLBACK memOpen(voidpf opaque, const void *, int)
{
    return opaque;
}

uLong ZCALLBACK memRead(voidpf, voidpf stream, void *buf, uLong size)
{
    auto *file = static_cast<MemoryFile *>(stream);
    const qint64 available = std::max<qint64>(0, file->bytes->size() - file->pos);
    const qint64 n = std::min<qint64>(available, qint64(size));
    if (n > 0)
        std::memcpy(buf, file->bytes->constData() + file->pos, size_t(n));
    file->pos += n;
    return uLong(n);
}

uLong ZCALLBACK memWrite(voidpf, voidpf, const void *, uLong)
{
    return 0;
}

ZPOS64_T ZCALLBACK memTell(voidpf, voidpf stream)
{
    return ZPOS64_T(static_cast<MemoryFile *>(stream)->pos);
}

long ZCALLBACK memSeek(voidpf, voidpf stream, ZPOS64_T offset, int origin)
{
    auto *file = static_cast<MemoryFile *>(stream);
    qint64 base = 0;
    if (origin == ZLIB_FILEFUNC_SEEK_CUR)
        base = file->pos;
    else if (origin == ZLIB_FILEFUNC_SEEK_END)
        base = file->bytes->size();
    const qint64 target = base + qint64(offset);
    if (target < 0 || target > file->bytes->size())
        return -1;
    file->pos = target;
    return 0;
}

int ZCALLBACK memClose(voidpf, voidpf)
{
    return 0;
}

int ZCALLBACK memError(voidpf, voidpf)
{
    return 0;
}

struct UnzipCloser
{
    unzFile zip;
    ~UnzipCloser() { unzClose(zip); }
};

} // namespace

ZipEntryRead readZipEntry(const QByteArray &archive, const char *entryName, qint64 maxBytes)
{
    ZipEntryRead result;
    MemoryFile file{&archive, 0};
    zlib_filefunc64_def io{};
    io.zopen64_file = memOpen;
    io.zread_file = memRead;
    io.zwrite_file = memWrite;
    io.ztell64_file = memTell;
    io.zseek64_file = memSeek;
    io.zclose_file = memClose;
    io.zerror_file = memError;
    io.opaque = &file;

    unzFile zip = unzOpen2_64("memory", &io);
    if (!zip) {
        result.status = ZipEntryRead::Status::NotAZip;
        return result;
    }
    const UnzipCloser closer{zip};
    if (unzLocateFile(zip, entryName, 1) != UNZ_OK) {
        result.status = ZipEntryRead::Status::MissingEntry;
        return result;
    }
    unz_file_info64 info{};
    if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK
        || unzOpenCurrentFile(zip) != UNZ_OK) {
        return result;
    }
    // An honest header that declares too much is refused at once; a lying one is caught below.
    if (qint64(info.uncompressed_size) > maxBytes) {
        unzCloseCurrentFile(zip);
        result.status = ZipEntryRead::Status::TooLarge;
        return result;
    }
    result.data.reserve(qsizetype(std::min<qint64>(qint64(info.uncompressed_size), maxBytes)));
    char buffer[64 * 1024];
    for (;;) {
        const int n = unzReadCurrentFile(zip, buffer, sizeof buffer);
        if (n < 0) {
            unzCloseCurrentFile(zip);
            result.data.clear();
            return result;
        }
        if (n == 0)
            break;
        if (result.data.size() + n > maxBytes) {
            unzCloseCurrentFile(zip);
            result.data.clear();
            result.status = ZipEntryRead::Status::TooLarge;
            return result;
        }
        result.data.append(buffer, n);
    }
    // UNZ_CRCERROR here means the inflated bytes do not match the archive's checksum.
    result.status = unzCloseCurrentFile(zip) == UNZ_OK ? ZipEntryRead::Status::Ok : ZipEntryRead::Status::Corrupt;
    if (result.status != ZipEntryRead::Status::Ok)
        result.data.clear();
    return result;
}

} // namespace Docpipe::Stages
