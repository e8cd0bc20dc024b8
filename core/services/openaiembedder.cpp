#include "openaiembedder.h"

#include "embeddinganswer.h"
#include "httpsession.h"
#include "logging.h"
#include "serviceendpoint.h"
#include "stages/chunking/tokencounter.h"

#include <algorithm>
#include <limits>

namespace Docpipe::Services {

namespace {

StageError cancelled()
{
    return StageError::transient(QStringLiteral("cancelled"), QStringLiteral("cancelled"));
}

// Servers without base64 support (or an older API) refuse the encoding_format field.
bool refusesBase64(const HttpReply &reply)
{
    if (reply.status != 400 && reply.status != 422)
        return false;
    const QString said = serverMessage(reply.body) + QString::fromUtf8(reply.body.left(2000));
    return said.contains(QLatin1String("encoding_format"), Qt::CaseInsensitive)
        || said.contains(QLatin1String("base64"), Qt::CaseInsensitive);
}

} // namespace

OpenAiEmbedder::OpenAiEmbedder(const EmbedderConfig &config)
    : m_config(config)
    , m_model(config.model.isEmpty() ? QString::fromLatin1(kDefaultModel) : config.model)
    , m_url(embeddingsUrl(config.baseUrl))
    , m_configuredDimensions(config.dimensions > 0)
    , m_dimensions(config.dimensions > 0 ? config.dimensions : defaultDimensions(m_model))
    , m_floatOnly(config.encodingFormat == QLatin1String("float"))
{
    m_identity = {QStringLiteral("the embedding service"), hostOf(m_url), QStringLiteral("OPENAI_API_KEY"), m_model,
                  config.apiKey};
    m_limiter = RateLimiter::forEndpoint(endpointKey(m_url),
                                         {double(config.requestsPerMinute), double(config.tokensPerMinute)});
}

int OpenAiEmbedder::defaultDimensions(const QString &model)
{
    if (model == QLatin1String("text-embedding-3-large"))
        return 3072;
    if (model == QLatin1String("text-embedding-3-small") || model == QLatin1String("text-embedding-ada-002"))
        return 1536;
    return 0;
}

int OpenAiEmbedder::maxBatchSize() const
{
    return std::clamp(m_config.batchSize, 1, 2048);
}

int OpenAiEmbedder::maxBatchTokens() const
{
    // A request above the per-minute token limit could never be accepted.
    const int perMinute = m_config.tokensPerMinute > 0 ? m_config.tokensPerMinute : std::numeric_limits<int>::max();
    return std::max(1, std::min(m_config.maxBatchTokens, perMinute));
}

Result<qint64> OpenAiEmbedder::checkInputs(const QStringList &texts) const
{
    qint64 total = 0;
    for (qsizetype i = 0; i < texts.size(); ++i) {
        if (texts.at(i).isEmpty())
            return StageError::permanent(
                QStringLiteral("empty_input"),
                QStringLiteral("input %1 of the batch is empty; embedding services refuse empty inputs").arg(i));
        const int tokens = Stages::countTokens(texts.at(i), m_config.tokenCounting());
        if (tokens > m_config.maxInputTokens)
            return StageError::permanent(
                QStringLiteral("input_too_long"),
                QStringLiteral("a chunk of about %1 tokens is over the limit of %2 tokens per input "
                               "(embedder/max_input_tokens); lower chunking/chunk_tokens and re-run the job")
                    .arg(tokens)
                    .arg(m_config.maxInputTokens));
        total += tokens;
    }
    return total;
}

Result<QList<Vector>> OpenAiEmbedder::embed(const QStringList &texts, const StageContext &context) const
{
    if (texts.isEmpty())
        return QList<Vector>();
    auto tokens = checkInputs(texts);
    if (!tokens)
        return tokens.error();
    const bool base64 = !m_floatOnly.load();
    auto vectors = send(texts, tokens.value(), base64, context);
    if (base64 && m_floatOnly.load()) // the server refused base64 just now: once more as floats
        return send(texts, tokens.value(), false, context);
    return vectors;
}

Result<QList<Vector>> OpenAiEmbedder::send(const QStringList &texts, qint64 tokens, bool base64,
                                           const StageContext &context) const
{
    const auto permit = m_limiter->acquire(tokens, context.isCancelled);
    if (!permit)
        return cancelled();
    HttpSession session;
    const QByteArray body
        = embeddingRequestBody({m_model, texts, m_configuredDimensions ? m_config.dimensions : 0, base64});
    const HttpReply reply
        = session.postJson(m_url, body, {m_config.apiKey, m_config.requestTimeoutMs, context.isCancelled});
    if (reply.status > 0)
        m_limiter->observe(parseRateLimitHeaders(reply.headers));
    if (!reply.isSuccess()) {
        if (base64 && refusesBase64(reply)) {
            qCInfo(lcNet) << "the embedding service refused base64 vectors; asking for floats from now on";
            m_floatOnly.store(true);
        }
        const StageError error = classifyFailure(reply, m_identity);
        if (error.code == QLatin1String("http_429"))
            m_limiter->rateLimited(error.retryAfterMs);
        return error;
    }
    auto answer = readEmbeddingAnswer(reply.body, int(texts.size()), m_dimensions.load(), m_identity);
    if (!answer)
        return answer.error();
    m_limiter->settle(tokens, answer.value().promptTokens);
    if (m_dimensions.load() == 0)
        m_dimensions.store(int(answer.value().vectors.constFirst().size()));
    return std::move(answer).value().vectors;
}

} // namespace Docpipe::Services
