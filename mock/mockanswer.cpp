#include "mockanswer.h"

#include <QJsonDocument>

namespace Docpipe::Services {

MockAnswer MockAnswer::json(const QJsonObject &object, int status)
{
    return {status, QJsonDocument(object).toJson(QJsonDocument::Compact), {}};
}

MockAnswer MockAnswer::openAiError(int status, const QString &message, const QString &type, const QString &code)
{
    const QJsonObject error{{QStringLiteral("message"), message},
                            {QStringLiteral("type"), type},
                            {QStringLiteral("param"), QJsonValue::Null},
                            {QStringLiteral("code"), code.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(code)}};
    return json({{QStringLiteral("error"), error}}, status);
}

MockAnswer MockAnswer::llamaError(int status, const QString &detail)
{
    return json({{QStringLiteral("detail"), detail}}, status);
}

} // namespace Docpipe::Services
