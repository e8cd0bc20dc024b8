// Turns a failed exchange with a remote service into the StageError that the retry policy and a
// person read. Connection problems, timeouts, 408/409, 429 and 5xx are transient (with the
// server's Retry-After); insufficient_quota and every other 4xx are permanent, with a sentence
// naming the cause. Messages never contain a secret: the server's own words are redacted.
#pragma once

#include "httpsession.h"
#include "model/stageerror.h"

#include <QString>
#include <QStringList>

namespace Docpipe::Services {

struct ServiceIdentity
{
    QString service; // "the embedding service", "LlamaParse"
    QString host; // "api.openai.com:443"
    QString keyVariable; // "OPENAI_API_KEY": named when the key is rejected
    QString model; // named when the model is not found; may be empty
    QString secret; // the API key, removed from anything quoted from the server
};

StageError classifyFailure(const HttpReply &reply, const ServiceIdentity &identity);

// The server's own sentence: OpenAI's error.message, FastAPI's detail (string or list), a flat
// message; empty when the body has none.
QString serverMessage(const QByteArray &body);
// OpenAI's error.code (or error.type), a flat code; empty when none.
QString serverErrorCode(const QByteArray &body);
// `text` with the secret and anything shaped like an API key (sk-..., llx-...) masked.
QString redactSecrets(QString text, const QString &secret);

// A transient "malformed_response" naming the service and what was wrong (a garbled answer is
// usually a hiccup; the attempt limit ends a server that keeps sending them).
StageError malformedResponse(const ServiceIdentity &identity, const QString &what);

} // namespace Docpipe::Services
