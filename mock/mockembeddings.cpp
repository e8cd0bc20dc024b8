#include "mockembeddings.h"

#include "mockvectors.h"
#include "stages/chunking/cl100ktokenizer.h"
#include "stages/embedding/vectorcodec.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <limits>

namespace Docpipe::Services {

namespace {

MockAnswer invalid(const QString &message)
{
    return MockAnswer::openAiError(400, message, QStringLiteral("invalid_request_error"));
}

MockAnswer invalidInput()
{
    return invalid(QStringLiteral(
        "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference."));
}

// A token array is embedded as the text of its numbers.
std::optional<QString> tokenText(const QJsonArray &tokens)
{
    QStringList numbers;
    for (const QJsonValue &token : tokens) {
        if (!token.isDouble())
            return std::nullopt;
        numbers << QString::number(token.toInteger());
    }
    return numbers.join(u' ');
}

std::optional<QStringList> readInputs(const QJsonValue &input)
{
    if (input.isString())
        return QStringList{input.toString()};
    const QJsonArray array = input.toArray();
    if (!input.isArray() || array.isEmpty())
        return std::nullopt;
    if (array.first().isDouble()) {
        const auto text = tokenText(array);
        return text ? std::optional<QStringList>(QStringList{*text}) : std::nullopt;
    }
    QStringList inputs;
    for (const QJsonValue &item : array) {
        if (item.isString()) {
            inputs << item.toString();
        } else if (const auto text = tokenText(item.toArray()); item.isArray() && text) {
            inputs << *text;
        } else {
            return std::nullopt;
        }
    }
    return inputs;
}

QJsonValue encoded(const Vector &vector, bool base64)
{
    if (base64)
        return QString::fromLatin1(Stages::encodeVector(vector).toBase64());
    QJsonArray numbers;
    for (const float value : vector)
        numbers.append(double(value));
    return numbers;
}

} // namespace

std::variant<MockEmbeddingsRequest, MockAnswer> readEmbeddingsRequest(const QByteArray &body, int defaultDimensions,
                                                                      bool base64Supported)
{
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(body, &error).object();
    if (error.error != QJsonParseError::NoError)
        return invalid(QStringLiteral(
            "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
            "HTTP library correctly.)"));
    MockEmbeddingsRequest request;
    request.model = object.value(QStringLiteral("model")).toString();
    if (request.model.isEmpty())
        return invalid(QStringLiteral("You must provide a model parameter."));
    if (!object.contains(QStringLiteral("input")))
        return invalid(QStringLiteral("'input' is a required property"));
    const auto inputs = readInputs(object.value(QStringLiteral("input")));
    if (!inputs || inputs->contains(QString()))
        return invalidInput();
    if (inputs->size() > kMockMaxInputs)
        return invalid(QStringLiteral("'$.input' is too long. Maximum length is %1, but was given %2.")
                           .arg(kMockMaxInputs)
                           .arg(inputs->size()));
    request.inputs = *inputs;
    for (qsizetype i = 0; i < inputs->size(); ++i) {
        const int tokens = Stages::countCl100kTokens(inputs->at(i)); // as OpenAI counts
        if (tokens > kMockMaxInputTokens)
            return invalid(QStringLiteral("Invalid 'input[%1]': maximum input length is %2 tokens.")
                               .arg(i)
                               .arg(kMockMaxInputTokens));
        request.tokens += tokens;
    }
    if (request.tokens > kMockMaxRequestTokens)
        return MockAnswer::openAiError(400,
                                       QStringLiteral("Requested %1 tokens, max %2 tokens per request")
                                           .arg(request.tokens)
                                           .arg(kMockMaxRequestTokens),
                                       QStringLiteral("max_tokens_per_request"),
                                       QStringLiteral("max_tokens_per_request"));
    const QString format = object.value(QStringLiteral("encoding_format")).toString(QStringLiteral("float"));
    if (format != QLatin1String("float") && (format != QLatin1String("base64") || !base64Supported))
        return invalid(
            QStringLiteral("Invalid value for 'encoding_format': '%1'. Supported values are: %2.")
                .arg(format, base64Supported ? QStringLiteral("'float' and 'base64'") : QStringLiteral("'float'")));
    request.base64 = format == QLatin1String("base64");
    const QJsonValue dimensions = object.value(QStringLiteral("dimensions"));
    request.dimensions = dimensions.isUndefined() || dimensions.isNull() ? defaultDimensions : dimensions.toInt(-1);
    if (request.dimensions < 1 || request.dimensions > 16384)
        return invalid(QStringLiteral("Invalid value for 'dimensions': must be a positive integer up to 16384."));
    return request;
}

MockAnswer embeddingsAnswer(const MockEmbeddingsRequest &request, MockFault fault)
{
    const int dimensions
        = fault == MockFault::WrongDimensions ? std::max(1, request.dimensions - 1) : request.dimensions;
    QJsonArray data;
    for (qsizetype i = 0; i < request.inputs.size(); ++i) {
        if (fault == MockFault::WrongCount && i == request.inputs.size() - 1)
            break;
        Vector vector = mockEmbedding(request.inputs.at(i), dimensions);
        if (fault == MockFault::NonFinite && i == 0)
            vector[0] = std::numeric_limits<float>::quiet_NaN();
        data.append(QJsonObject{{QStringLiteral("object"), QStringLiteral("embedding")},
                                {QStringLiteral("index"), int(i)},
                                {QStringLiteral("embedding"), encoded(vector, request.base64)}});
    }
    const QJsonObject usage{{QStringLiteral("prompt_tokens"), request.tokens},
                            {QStringLiteral("total_tokens"), request.tokens}};
    return MockAnswer::json({{QStringLiteral("object"), QStringLiteral("list")},
                             {QStringLiteral("data"), data},
                             {QStringLiteral("model"), request.model},
                             {QStringLiteral("usage"), usage}});
}

} // namespace Docpipe::Services
