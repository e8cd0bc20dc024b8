#include "servicecheck.h"

namespace Docpipe::Services {

namespace {

ServiceCheck localCheck(const QString &service, const QString &message)
{
    return {service, QStringLiteral("local"), true, message, -1};
}

// Until the remote clients land, a remote kind is reported as not checkable rather than healthy.
ServiceCheck notYetCheckable(const QString &service, const QString &kind)
{
    return {service, kind, false, QStringLiteral("%1 cannot be checked by this build").arg(kind), -1};
}

} // namespace

ServiceCheck checkParserService(const ParserConfig &config)
{
    if (config.kind == QLatin1String("local"))
        return localCheck(QStringLiteral("parser"), QStringLiteral("local parser (no network)"));
    return notYetCheckable(QStringLiteral("parser"), config.kind);
}

ServiceCheck checkEmbedderService(const EmbedderConfig &config)
{
    if (config.kind == QLatin1String("local"))
        return localCheck(QStringLiteral("embedder"), QStringLiteral("local lexical embedder (no network)"));
    return notYetCheckable(QStringLiteral("embedder"), config.kind);
}

} // namespace Docpipe::Services
