// The TCP front of the HTTP service. Qt 6.4's QHttpServer reads every request whole into memory
// and has no limits, so connections come here first: at most server/max_connections at once, a
// request head of at most 16 KiB read within the idle limit (a slow client is cut off), bodies
// only with a Content-Length, at most 1 MiB for ordinary requests. POST /v1/documents is handed
// to the upload receiver, which streams its body to disk; every other request is passed, unread,
// to QHttpServer (which then parses it from the socket's buffer). Connections left idle are closed.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QMap>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace Docpipe::Server {

struct RequestHead
{
    QByteArray method; // "POST"
    QByteArray target; // "/v1/documents?x=1"
    QByteArray path; // "/v1/documents"
    QMap<QByteArray, QByteArray> headers; // names in lower case
    qint64 contentLength = -1; // -1: none given
    qint64 headBytes = 0; // request line and headers, up to and including the empty line
    QHostAddress peer;

    QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
};

struct GateLimits
{
    int maxConnections = 64;
    qint64 maxHeadBytes = 16 * 1024;
    qint64 maxBodyBytes = 1024 * 1024; // for requests QHttpServer reads (JSON, not uploads)
    int idleTimeoutMs = 30000;
};

// An answer written by the gate itself (errors before QHttpServer sees the request); closes the
// connection once written.
void answerAndClose(QTcpSocket *socket, int status, const QByteArray &contentType, const QByteArray &body,
                    const QList<QPair<QByteArray, QByteArray>> &headers = {});
void answerErrorAndClose(QTcpSocket *socket, int status, const QString &code, const QString &message);

class RequestGate final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestGate)

public:
    // Takes over a socket whose head is read (still in the socket's buffer).
    using StreamHandler = std::function<void(QTcpSocket *socket, const RequestHead &head)>;

    explicit RequestGate(const GateLimits &limits, QObject *parent = nullptr);

    // Requests for `method` `path` go to `handler` instead of QHttpServer.
    void streamRoute(const QByteArray &method, const QByteArray &path, StreamHandler handler);
    int openConnections() const { return m_open; }

protected:
    void incomingConnection(qintptr handle) override;

private:
    void readHead(QTcpSocket *socket);
    void passToHttpServer(QTcpSocket *socket);

    GateLimits m_limits;
    int m_open = 0;
    QMap<QPair<QByteArray, QByteArray>, StreamHandler> m_streamRoutes;
};

} // namespace Docpipe::Server
