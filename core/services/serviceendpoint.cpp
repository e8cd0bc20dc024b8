#include "serviceendpoint.h"

namespace Docpipe::Services {

namespace {

QString withoutTrailingSlashes(QString text)
{
    while (text.endsWith(u'/'))
        text.chop(1);
    return text;
}

} // namespace

QUrl embeddingsUrl(const QString &baseUrl)
{
    QString base = withoutTrailingSlashes(baseUrl.trimmed());
    if (base.endsWith(QLatin1String("/v1")))
        base.chop(3);
    return QUrl(base + QStringLiteral("/v1/embeddings"));
}

QUrl llamaParseUrl(const QString &baseUrl, const QString &route)
{
    return QUrl(withoutTrailingSlashes(baseUrl.trimmed()) + route);
}

QString hostOf(const QUrl &url)
{
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    return QStringLiteral("%1:%2").arg(url.host()).arg(port);
}

QString endpointKey(const QUrl &url)
{
    return url.scheme() + QStringLiteral("://") + hostOf(url) + url.path();
}

} // namespace Docpipe::Services
