// A webhook receiver on loopback for tests: a real HTTP server (QTcpServer) that records each
// POST body and answers 200, or 500 for the first `failFirst` requests (to exercise retries).
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

namespace Docpipe::Test {

class WebhookReceiver final : public QObject
{
public:
    explicit WebhookReceiver(int failFirst = 0)
        : m_failFirst(failFirst)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                serve(socket);
        });
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            qFatal("webhook receiver cannot listen");
    }

    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }
    // Bodies answered with 200, in arrival order; every request (also the failed ones).
    QList<QByteArray> bodies;
    int requests = 0;
    QByteArray lastPath;

private:
    void serve(QTcpSocket *socket)
    {
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const qsizetype headerEnd = buffer->indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            qsizetype length = 0;
            for (const QByteArray &line : buffer->left(headerEnd).split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer->size() < headerEnd + 4 + length)
                return;
            lastPath = buffer->left(buffer->indexOf("\r\n")).split(' ').value(1);
            const QByteArray body = buffer->mid(headerEnd + 4, length);
            buffer->clear();
            ++requests;
            const bool fail = requests <= m_failFirst;
            if (!fail)
                bodies.append(body);
            socket->write(fail ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                               : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            socket->disconnectFromHost();
        });
    }

    QTcpServer m_server;
    int m_failFirst;
};

} // namespace Docpipe::Test
