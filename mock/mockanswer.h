// One answer of the mock server, before latency and transport faults are applied to it, in the
// shapes the real services use: OpenAI's {"error":{message,type,param,code}} and LlamaParse's
// (FastAPI's) {"detail": ...}.
#pragma once

#include "services/ratelimitheaders.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Docpipe::Services {

struct MockAnswer
{
    int status = 200;
    QByteArray body;
    RawHeaders headers;

    static MockAnswer json(const QJsonObject &object, int status = 200);
    static MockAnswer openAiError(int status, const QString &message, const QString &type, const QString &code = {});
    static MockAnswer llamaError(int status, const QString &detail);
};

} // namespace Docpipe::Services
