// The mock's /v1/embeddings: reads a request as OpenAI does (input as a string, strings, token
// arrays; model; dimensions; encoding_format), refusing what OpenAI refuses with its error
// shapes and limits (2048 inputs, 8192 tokens per input, 300,000 per request, no empty
// strings), and answers with mockEmbedding() vectors in float or base64.
#pragma once

#include "mockanswer.h"
#include "mockfaults.h"

#include <QStringList>

#include <variant>

namespace Docpipe::Services {

struct MockEmbeddingsRequest
{
    QString model;
    QStringList inputs;
    int dimensions = 0;
    bool base64 = false;
    qint64 tokens = 0; // what the rate limit counts
};

inline constexpr int kMockMaxInputs = 2048;
inline constexpr int kMockMaxInputTokens = 8192;
inline constexpr int kMockMaxRequestTokens = 300000;

// `base64Supported` false: refuse encoding_format "base64" as a server without it does.
std::variant<MockEmbeddingsRequest, MockAnswer> readEmbeddingsRequest(const QByteArray &body, int defaultDimensions,
                                                                      bool base64Supported = true);
// `fault`: WrongCount, WrongDimensions or NonFinite bend the answer; anything else is ignored.
MockAnswer embeddingsAnswer(const MockEmbeddingsRequest &request, MockFault fault);

} // namespace Docpipe::Services
