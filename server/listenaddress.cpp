#include "listenaddress.h"

#include <QHostInfo>

namespace Docpipe::Server {

QString ListenAddress::toString() const
{
    const QString hostText
        = host.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + host.toString() + u']' : host.toString();
    return hostText + u':' + QString::number(port);
}

std::optional<ListenAddress> parseListenAddress(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    const qsizetype colon = trimmed.lastIndexOf(u':');
    QString hostText = colon < 0 ? QString() : trimmed.left(colon);
    const QString portText = colon < 0 ? trimmed : trimmed.mid(colon + 1);
    bool ok = false;
    const int port = portText.toInt(&ok);
    if (!ok || port < 0 || port > 65535) {
        *error = QStringLiteral("'%1' is not [HOST:]PORT (the port must be 0..65535)").arg(text);
        return std::nullopt;
    }
    if (hostText.startsWith(u'[') && hostText.endsWith(u']'))
        hostText = hostText.mid(1, hostText.size() - 2);
    ListenAddress address;
    address.port = quint16(port);
    if (hostText.isEmpty()) {
        address.host = QHostAddress(QHostAddress::LocalHost);
    } else if (hostText == QLatin1String("*")) {
        address.host = QHostAddress(QHostAddress::Any);
    } else if (!address.host.setAddress(hostText)) {
        const QHostInfo info = QHostInfo::fromName(hostText); // "localhost", a host name of this machine
        if (info.addresses().isEmpty()) {
            *error = QStringLiteral("unknown host '%1' in '%2'").arg(hostText, text);
            return std::nullopt;
        }
        address.host = info.addresses().constFirst();
    }
    return address;
}

} // namespace Docpipe::Server
