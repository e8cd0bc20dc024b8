// Blocking HTTP for stage code on worker threads. Each session owns its QNetworkAccessManager,
// made and used in the calling thread, which waits in a local QEventLoop: stages are synchronous
// calls on pool threads, and a QNAM must never be shared across threads. A request is aborted
// when no byte moves for its timeout, or when `cancelled` turns true (checked every 100 ms).
#pragma once

#include "ratelimitheaders.h"

#include <QByteArray>
#include <QNetworkReply>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QHttpMultiPart;
class QNetworkAccessManager;
QT_END_NAMESPACE

namespace Docpipe::Services {

struct HttpReply
{
    int status = 0; // 0: no HTTP answer (see error)
    RawHeaders headers;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorText; // Qt's description of a transport error
    bool timedOut = false;
    bool cancelled = false;

    bool isSuccess() const { return status >= 200 && status < 300 && !timedOut && !cancelled; }
    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
};

struct HttpOptions
{
    QString bearerToken; // sent only as "Authorization: Bearer ..."
    int timeoutMs = 60000; // without a byte moving
    std::function<bool()> cancelled;
};

class HttpSession final
{
public:
    HttpSession();
    ~HttpSession();
    Q_DISABLE_COPY_MOVE(HttpSession)

    HttpReply get(const QUrl &url, const HttpOptions &options);
    HttpReply postJson(const QUrl &url, const QByteArray &json, const HttpOptions &options);
    // The session takes the form and deletes it with the reply.
    HttpReply postMultipart(const QUrl &url, QHttpMultiPart *form, const HttpOptions &options);

    // Waits `ms` (between polls); false when `cancelled` turned true first.
    static bool pause(qint64 ms, const std::function<bool()> &cancelled);

private:
    QNetworkRequest requestFor(const QUrl &url, const HttpOptions &options) const;
    HttpReply finish(QNetworkReply *reply, const HttpOptions &options);

    std::unique_ptr<QNetworkAccessManager> m_manager;
};

} // namespace Docpipe::Services
