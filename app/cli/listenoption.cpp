#include "listenoption.h"

namespace Docpipe::Cli {

void addListenOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("listen"),
                      QStringLiteral("Serve /healthz, /readyz, /metrics and the /v1 API on [HOST:]PORT (no host: "
                                     "127.0.0.1; INI server/listen). Other than loopback needs DOCPIPE_API_TOKEN."),
                      QStringLiteral("address")});
}

QString listenAddress(const QCommandLineParser &parser, const Context &context)
{
    return parser.isSet(QStringLiteral("listen")) ? parser.value(QStringLiteral("listen"))
                                                  : context.config.server.listen;
}

std::unique_ptr<Server::ServiceHost> startHttpService(const QString &address, const Context &context,
                                                      const QString &role)
{
    QString error;
    const auto parsed = Server::parseListenAddress(address, &error);
    if (!parsed) {
        fail(QStringLiteral("--listen: ") + error, 2);
        return nullptr;
    }
    Server::ServiceOptions options;
    options.config = context.config;
    options.address = *parsed;
    options.role = role;
    auto host = std::make_unique<Server::ServiceHost>(options);
    if (!host->start(&error)) {
        fail(error, 2);
        return nullptr;
    }
    err() << "serving http://" << host->address() << " (/healthz, /readyz, /metrics, /v1)" << Qt::endl;
    return host;
}

} // namespace Docpipe::Cli
