// ZIP writing with minizip. The bomb relies on deflate's full flush: each piece compressed by a
// fresh raw deflate stream ends on a byte boundary without back-references, so the compressed
// block can be repeated as often as we like and the pieces concatenated into one valid stream.
#include "zipwriter.h"

#include <QFile>

#include <zip.h>
#include <zlib.h>

namespace Docpipe::Test {

namespace {

QByteArray rawDeflate(const QByteArray &data, bool finish)
{
    z_stream zs{};
    deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&zs, uLong(data.size()))) + 64, Qt::Uninitialized);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    deflate(&zs, finish ? Z_FINISH : Z_FULL_FLUSH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return out;
}

bool addEntry(zipFile zip, const QByteArray &name, const QByteArray &content)
{
    zip_fileinfo info{};
    if (zipOpenNewFileInZip(zip, name.constData(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                            Z_DEFAULT_COMPRESSION)
        != ZIP_OK) {
        return false;
    }
    const bool written = zipWriteInFileInZip(zip, content.constData(), unsigned(content.size())) == ZIP_OK;
    return zipCloseFileInZip(zip) == ZIP_OK && written;
}

bool write(zipFile zip, const QByteArray &bytes)
{
    return zipWriteInFileInZip(zip, bytes.constData(), unsigned(bytes.size())) == ZIP_OK;
}

} // namespace

bool writeZip(const QString &path, const ZipEntries &entries)
{
    zipFile zip = zipOpen(QFile::encodeName(path).constData(), APPEND_STATUS_CREATE);
    if (!zip)
        return false;
    bool ok = true;
    for (const auto &[name, content] : entries)
        ok = ok && addEntry(zip, name, content);
    return zipClose(zip, nullptr) == ZIP_OK && ok;
}

bool writeZipWithBomb(const QString &path, const ZipEntries &entries, const QByteArray &bombName,
                      const QByteArray &prefix, const QByteArray &block, qint64 repeats, const QByteArray &suffix,
                      bool honestSize)
{
    zipFile zip = zipOpen(QFile::encodeName(path).constData(), APPEND_STATUS_CREATE);
    if (!zip)
        return false;
    bool ok = true;
    for (const auto &[name, content] : entries)
        ok = ok && addEntry(zip, name, content);

    zip_fileinfo info{};
    ok = ok
        && zipOpenNewFileInZip2(zip, bombName.constData(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                Z_BEST_COMPRESSION, 1)
            == ZIP_OK;
    const QByteArray compressedBlock = rawDeflate(block, false);
    const uLong blockCrc = crc32(0, reinterpret_cast<const Bytef *>(block.constData()), uInt(block.size()));
    uLong crc = crc32(0, reinterpret_cast<const Bytef *>(prefix.constData()), uInt(prefix.size()));
    ok = ok && write(zip, rawDeflate(prefix, false));
    for (qint64 i = 0; ok && i < repeats; ++i) {
        ok = write(zip, compressedBlock);
        crc = crc32_combine(crc, blockCrc, block.size());
    }
    ok = ok && write(zip, rawDeflate(suffix, true));
    crc = crc32(crc, reinterpret_cast<const Bytef *>(suffix.constData()), uInt(suffix.size()));
    const qint64 total = prefix.size() + block.size() * repeats + suffix.size();
    const uLong declared = honestSize ? uLong(total) : uLong(block.size());
    ok = zipCloseFileInZipRaw(zip, declared, crc) == ZIP_OK && ok;
    return zipClose(zip, nullptr) == ZIP_OK && ok;
}

} // namespace Docpipe::Test
