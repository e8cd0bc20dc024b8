// Embeds through any OpenAI-compatible POST {base}/v1/embeddings (OpenAI, Ollama, llama.cpp's
// server, vLLM, text-embeddings-inference). Inputs over the per-input token limit are failed
// before anything is sent; requests wait for the endpoint's shared rate limiter; answers are
// checked before a vector is returned. Base64 encoding, falling back to float for servers that
// refuse it. Safe to call from several worker threads at once (each call has its own session).
#pragma once

#include "config/config.h"
#include "ratelimiter.h"
#include "serviceerror.h"
#include "stages/embedding/embedder.h"

#include <QUrl>

#include <atomic>
#include <memory>

namespace Docpipe::Services {

class OpenAiEmbedder final : public Stages::Embedder
{
public:
    static constexpr char kDefaultModel[] = "text-embedding-3-small";

    explicit OpenAiEmbedder(const EmbedderConfig &config);

    QString model() const override { return m_model; }
    // Configured, else the model's published default, else learnt from the first answer (0 before).
    int dimensions() const override { return m_dimensions.load(); }
    int maxBatchSize() const override;
    int maxBatchTokens() const override;
    // Errors: empty_input, input_too_long (nothing sent); cancelled; those of classifyFailure();
    // malformed_response, dimension_mismatch.
    Result<QList<Vector>> embed(const QStringList &texts, const StageContext &context) const override;

    // 1536 for text-embedding-3-small and ada-002, 3072 for -3-large, 0 for models we do not know.
    static int defaultDimensions(const QString &model);

private:
    Result<qint64> checkInputs(const QStringList &texts) const;
    Result<QList<Vector>> send(const QStringList &texts, qint64 tokens, bool base64, const StageContext &context) const;

    EmbedderConfig m_config;
    QString m_model;
    QUrl m_url;
    ServiceIdentity m_identity;
    std::shared_ptr<RateLimiter> m_limiter;
    bool m_configuredDimensions;
    mutable std::atomic<int> m_dimensions;
    mutable std::atomic<bool> m_floatOnly;
};

} // namespace Docpipe::Services
