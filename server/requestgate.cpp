#include "requestgate.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

namespace Docpipe::Server {

namespace {

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 507:
        return "Insufficient Storage";
    default:
        return "Status";
    }
}

std::optional<RequestHead> parseHead(const QByteArray &bytes, qsizetype end, QString *problem)
{
    const QList<QByteArray> lines = bytes.left(end).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        *problem = QStringLiteral("the request line is not 'METHOD TARGET HTTP/1.x'");
        return std::nullopt;
    }
    RequestHead head;
    head.method = requestLine.at(0);
    head.target = requestLine.at(1);
    head.path = head.target.left(head.target.indexOf('?') < 0 ? head.target.size() : head.target.indexOf('?'));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            *problem = QStringLiteral("a header line has no name");
            return std::nullopt;
        }
        head.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    if (head.headers.contains("content-length")) {
        bool ok = false;
        head.contentLength = head.header("content-length").toLongLong(&ok);
        if (!ok || head.contentLength < 0) {
            *problem = QStringLiteral("Content-Length is not a number");
            return std::nullopt;
        }
    }
    head.headBytes = end + 4;
    return head;
}

} // namespace

void answerAndClose(QTcpSocket *socket, int status, const QByteArray &contentType, const QByteArray &body,
                    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    response += "Content-Type: " + contentType + "\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n";
    for (const auto &[name, value] : headers)
        response += name + ": " + value + "\r\n";
    response += "\r\n" + body;
    socket->write(response);
    socket->disconnectFromHost(); // after the bytes are written
}

void answerErrorAndClose(QTcpSocket *socket, int status, const QString &code, const QString &message)
{
    const QJsonObject error{
        {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}}}};
    answerAndClose(socket, status, "application/json", QJsonDocument(error).toJson(QJsonDocument::Compact));
}

RequestGate::RequestGate(const GateLimits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
{ }

void RequestGate::streamRoute(const QByteArray &method, const QByteArray &path, StreamHandler handler)
{
    m_streamRoutes.insert({method, path}, std::move(handler));
}

void RequestGate::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    ++m_open;
    connect(socket, &QObject::destroyed, this, [this] { --m_open; });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    if (m_open > m_limits.maxConnections) {
        answerErrorAndClose(
            socket, 503, QStringLiteral("too_many_connections"),
            QStringLiteral("the server has %1 connections open; try again").arg(m_limits.maxConnections));
        return;
    }
    // Whoever holds the socket, it is closed after this long without a byte in either direction.
    auto *idle = new QTimer(socket);
    idle->setSingleShot(true);
    idle->setInterval(m_limits.idleTimeoutMs);
    connect(idle, &QTimer::timeout, socket, [socket] { socket->abort(); });
    connect(socket, &QTcpSocket::readyRead, idle, qOverload<>(&QTimer::start));
    connect(socket, &QTcpSocket::bytesWritten, idle, qOverload<>(&QTimer::start));
    idle->start();
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readHead(socket); });
}

void RequestGate::readHead(QTcpSocket *socket)
{
    const QByteArray peeked = socket->peek(m_limits.maxHeadBytes + 4);
    const qsizetype end = peeked.indexOf("\r\n\r\n");
    if (end < 0) {
        if (peeked.size() > m_limits.maxHeadBytes) {
            disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
            answerErrorAndClose(socket, 431, QStringLiteral("header_too_large"),
                                QStringLiteral("the request head is over %1 bytes").arg(m_limits.maxHeadBytes));
        }
        return; // wait for more
    }
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    QString problem;
    std::optional<RequestHead> head = parseHead(peeked, end, &problem);
    if (!head) {
        answerErrorAndClose(socket, 400, QStringLiteral("bad_request"), problem);
        return;
    }
    head->peer = socket->peerAddress();
    if (head->header("transfer-encoding").size() > 0) {
        answerErrorAndClose(socket, 411, QStringLiteral("length_required"),
                            QStringLiteral("send the body with a Content-Length (chunked bodies are not accepted)"));
        return;
    }
    const auto stream = m_streamRoutes.constFind({head->method, head->path});
    if (stream != m_streamRoutes.constEnd()) {
        (*stream)(socket, *head);
        return;
    }
    if (head->contentLength > m_limits.maxBodyBytes) {
        answerErrorAndClose(socket, 413, QStringLiteral("body_too_large"),
                            QStringLiteral("the body is over %1 bytes").arg(m_limits.maxBodyBytes));
        return;
    }
    passToHttpServer(socket);
}

void RequestGate::passToHttpServer(QTcpSocket *socket)
{
    // Later requests on this connection go to QHttpServer directly: the read buffer bounds what
    // it can hold (a request over it never completes and the idle timer closes the connection).
    socket->setReadBufferSize(m_limits.maxHeadBytes + m_limits.maxBodyBytes + 4);
    addPendingConnection(socket); // QHttpServer takes it (pendingConnectionAvailable)
    // The bytes are already buffered, so no new readyRead would come: let it read them now.
    QMetaObject::invokeMethod(socket, &QTcpSocket::readyRead, Qt::QueuedConnection);
}

} // namespace Docpipe::Server
