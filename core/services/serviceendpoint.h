// Where the clients send their requests, from the base URLs people already have configured:
// OPENAI_BASE_URL with or without the trailing /v1, LLAMA_CLOUD_BASE_URL as the host root.
#pragma once

#include <QString>
#include <QUrl>

namespace Docpipe::Services {

// {base without a trailing "/v1"}/v1/embeddings
QUrl embeddingsUrl(const QString &baseUrl);
// {base}{route}, route like "/api/v1/parsing/upload"
QUrl llamaParseUrl(const QString &baseUrl, const QString &route);
// "host:port", for messages
QString hostOf(const QUrl &url);
// scheme://host:port/path: one rate limiter per key
QString endpointKey(const QUrl &url);

} // namespace Docpipe::Services
