#include "embeddinganswer.h"

#include "stages/embedding/vectorcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace Docpipe::Services {

namespace {

Result<Vector> readVector(const QJsonValue &embedding)
{
    if (embedding.isString())
        return Stages::decodeVectorBase64(embedding.toString().toLatin1());
    if (!embedding.isArray())
        return StageError::transient(QStringLiteral("bad_vector"),
                                     QStringLiteral("an embedding is neither base64 nor a number array"));
    const QJsonArray numbers = embedding.toArray();
    Vector vector;
    vector.reserve(numbers.size());
    for (const QJsonValue &number : numbers) {
        const double value = number.toDouble(std::nan(""));
        if (!number.isDouble() || !std::isfinite(value) || std::abs(value) > 3.4e38)
            return StageError::transient(QStringLiteral("bad_vector"),
                                         QStringLiteral("an embedding holds a value that is not a finite number"));
        vector.append(float(value));
    }
    if (vector.isEmpty())
        return StageError::transient(QStringLiteral("bad_vector"), QStringLiteral("an embedding is empty"));
    return vector;
}

} // namespace

QByteArray embeddingRequestBody(const EmbeddingRequest &request)
{
    QJsonObject body{
        {QStringLiteral("model"), request.model},
        {QStringLiteral("input"), QJsonArray::fromStringList(request.inputs)},
        {QStringLiteral("encoding_format"), request.base64 ? QStringLiteral("base64") : QStringLiteral("float")}};
    if (request.dimensions > 0)
        body.insert(QStringLiteral("dimensions"), request.dimensions);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

Result<EmbeddingAnswer> readEmbeddingAnswer(const QByteArray &body, int inputCount, int expectedDimensions,
                                            const ServiceIdentity &identity)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return malformedResponse(identity,
                                 QStringLiteral("the body is not a JSON object (%1)").arg(parseError.errorString()));
    const QJsonValue data = document.object().value(QStringLiteral("data"));
    if (!data.isArray())
        return malformedResponse(identity, QStringLiteral("no \"data\" array"));
    const QJsonArray items = data.toArray();
    if (items.size() != inputCount)
        return malformedResponse(identity,
                                 QStringLiteral("%1 embeddings for %2 inputs").arg(items.size()).arg(inputCount));

    EmbeddingAnswer answer;
    answer.vectors.resize(inputCount);
    QList<bool> seen(inputCount, false);
    int dimensions = expectedDimensions;
    for (const QJsonValue &item : items) {
        const QJsonValue indexValue = item.toObject().value(QStringLiteral("index"));
        const int index = indexValue.toInt(-1);
        if (!indexValue.isDouble() || index < 0 || index >= inputCount || seen.at(index))
            return malformedResponse(identity,
                                     QStringLiteral("embedding indexes are not 0..%1, each once").arg(inputCount - 1));
        seen[index] = true;
        auto vector = readVector(item.toObject().value(QStringLiteral("embedding")));
        if (!vector)
            return malformedResponse(identity, vector.error().message);
        if (dimensions > 0 && vector.value().size() != dimensions) {
            if (expectedDimensions > 0)
                return StageError::permanent(
                    QStringLiteral("dimension_mismatch"),
                    QStringLiteral("%1 at %2 returned %3-dimensional vectors where %4 were expected; "
                                   "set embedder/dimensions to match the model")
                        .arg(identity.service, identity.host)
                        .arg(vector.value().size())
                        .arg(expectedDimensions));
            return malformedResponse(identity, QStringLiteral("vectors of different dimensions in one answer"));
        }
        dimensions = int(vector.value().size());
        answer.vectors[index] = std::move(vector).value();
    }
    const QJsonValue usage
        = document.object().value(QStringLiteral("usage")).toObject().value(QStringLiteral("prompt_tokens"));
    if (usage.isDouble())
        answer.promptTokens = qint64(usage.toDouble());
    return answer;
}

} // namespace Docpipe::Services
