// Vectors as bytes: little-endian float32, the layout of BLOB/BYTEA columns and of OpenAI's
// encoding_format "base64" replies.
#pragma once

#include "model/document.h"
#include "model/result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace Docpipe::Stages {

QByteArray encodeVector(const Docpipe::Vector &vector);

// Rejects (error code "bad_vector") a size that is not a multiple of 4, a dimension count other
// than expectedDimensions (when > 0), an empty vector, and NaN or infinite values.
Docpipe::Result<Docpipe::Vector> decodeVector(QByteArrayView bytes, int expectedDimensions = 0);
// The same after strict base64 decoding (invalid base64 is rejected too).
Docpipe::Result<Docpipe::Vector> decodeVectorBase64(QByteArrayView base64, int expectedDimensions = 0);

} // namespace Docpipe::Stages
