// Little-endian float32 encoding of vectors, with the validation a stored or received blob needs.
#include "vectorcodec.h"

#include <QtEndian>

#include <bit>
#include <cmath>
#include <cstring>

namespace Docpipe::Stages {
namespace {

Docpipe::StageError badVector(const QString &message)
{
    return Docpipe::StageError::permanent(QStringLiteral("bad_vector"), message);
}

} // namespace

QByteArray encodeVector(const Docpipe::Vector &vector)
{
    QByteArray bytes(vector.size() * 4, Qt::Uninitialized);
    char *out = bytes.data();
    for (float value : vector) {
        qToLittleEndian(std::bit_cast<quint32>(value), out);
        out += 4;
    }
    return bytes;
}

Docpipe::Result<Docpipe::Vector> decodeVector(QByteArrayView bytes, int expectedDimensions)
{
    if (bytes.isEmpty())
        return badVector(QStringLiteral("The embedding vector is empty."));
    if (bytes.size() % 4 != 0)
        return badVector(
            QStringLiteral("The embedding vector has %1 bytes, which is not a whole number of float32 values.")
                .arg(bytes.size()));
    const qsizetype dimensions = bytes.size() / 4;
    if (expectedDimensions > 0 && dimensions != expectedDimensions)
        return badVector(QStringLiteral("The embedding vector has %1 dimensions instead of the expected %2.")
                             .arg(dimensions)
                             .arg(expectedDimensions));
    Docpipe::Vector vector(dimensions);
    const char *in = bytes.data();
    for (qsizetype i = 0; i < dimensions; ++i, in += 4) {
        const float value = std::bit_cast<float>(qFromLittleEndian<quint32>(in));
        if (!std::isfinite(value))
            return badVector(QStringLiteral("The embedding vector contains a value that is not a finite number."));
        vector[i] = value;
    }
    return vector;
}

Docpipe::Result<Docpipe::Vector> decodeVectorBase64(QByteArrayView base64, int expectedDimensions)
{
    const auto decoded = QByteArray::fromBase64Encoding(base64.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return badVector(QStringLiteral("The embedding vector is not valid base64."));
    return decodeVector(*decoded, expectedDimensions);
}

} // namespace Docpipe::Stages
