// "[HOST:]PORT" as given to --listen and server/listen: no host binds to loopback (127.0.0.1).
#pragma once

#include <QHostAddress>
#include <QString>

#include <optional>

namespace Docpipe::Server {

struct ListenAddress
{
    QHostAddress host;
    quint16 port = 0; // 0: any free port (tests)
    bool isLoopback() const { return host.isLoopback(); }
    QString toString() const;
};

// The address, or nullopt with `error` set ("port must be 1..65535", "unknown host 'x'").
std::optional<ListenAddress> parseListenAddress(const QString &text, QString *error);

} // namespace Docpipe::Server
