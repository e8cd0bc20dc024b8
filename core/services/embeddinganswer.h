// The wire format of OpenAI-compatible /v1/embeddings: the request body as the official SDKs
// send it, and the checks on an answer before any vector is stored (one item per input, every
// index 0..n-1 exactly once, the expected dimensions, finite numbers; base64 little-endian
// float32 or float arrays, whichever the server sent).
#pragma once

#include "model/document.h"
#include "model/result.h"
#include "serviceerror.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace Docpipe::Services {

struct EmbeddingRequest
{
    QString model;
    QStringList inputs;
    int dimensions = 0; // 0: not sent (the model's default)
    bool base64 = true; // encoding_format "base64", else "float"
};

QByteArray embeddingRequestBody(const EmbeddingRequest &request);

struct EmbeddingAnswer
{
    QList<Vector> vectors; // in input order
    qint64 promptTokens = -1;
};

// `expectedDimensions` 0: any, as long as every vector has the same. Errors: transient
// malformed_response (not JSON, wrong count or indexes, bad numbers), permanent
// dimension_mismatch (the model answers with other dimensions than configured).
Result<EmbeddingAnswer> readEmbeddingAnswer(const QByteArray &body, int inputCount, int expectedDimensions,
                                            const ServiceIdentity &identity);

} // namespace Docpipe::Services
