#include "httpsession.h"

#include "logging.h"
#include "metrics/processcounters.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHttpMultiPart>
#include <QNetworkAccessManager>
#include <QThread>
#include <QTimer>

namespace Docpipe::Services {

namespace {

constexpr int kCancelCheckMs = 100;

QByteArray userAgent()
{
    return QByteArrayLiteral("docpipe/" DOCPIPE_VERSION);
}

} // namespace

HttpSession::HttpSession()
    : m_manager(std::make_unique<QNetworkAccessManager>())
{
    // A redirect to another origin must not carry the API key along.
    m_manager->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
}

HttpSession::~HttpSession() = default;

QNetworkRequest HttpSession::requestFor(const QUrl &url, const HttpOptions &options) const
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::UserAgentHeader, userAgent());
    request.setRawHeader("Accept", "application/json");
    if (!options.bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + options.bearerToken.toUtf8());
    request.setTransferTimeout(std::max(1, options.timeoutMs));
    return request;
}

HttpReply HttpSession::get(const QUrl &url, const HttpOptions &options)
{
    return finish(m_manager->get(requestFor(url, options)), options);
}

HttpReply HttpSession::postJson(const QUrl &url, const QByteArray &json, const HttpOptions &options)
{
    QNetworkRequest request = requestFor(url, options);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    return finish(m_manager->post(request, json), options);
}

HttpReply HttpSession::postMultipart(const QUrl &url, QHttpMultiPart *form, const HttpOptions &options)
{
    QNetworkReply *reply = m_manager->post(requestFor(url, options), form);
    form->setParent(reply);
    return finish(reply, options);
}

HttpReply HttpSession::finish(QNetworkReply *reply, const HttpOptions &options)
{
    std::unique_ptr<QNetworkReply> owner(reply);
    HttpReply result;
    QEventLoop loop;
    QTimer cancelCheck;
    cancelCheck.setInterval(kCancelCheckMs);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&cancelCheck, &QTimer::timeout, &loop, [&] {
        if (options.cancelled && options.cancelled()) {
            result.cancelled = true;
            reply->abort();
        }
    });
    QElapsedTimer elapsed;
    elapsed.start();
    if (!reply->isFinished()) {
        cancelCheck.start();
        loop.exec();
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.error = reply->error();
    // Qt reports its transfer timeout as a cancelled operation; we know when we cancelled.
    if (result.error == QNetworkReply::OperationCanceledError && !result.cancelled)
        result.timedOut = true;
    if (result.error == QNetworkReply::TimeoutError)
        result.timedOut = true;
    if (result.error != QNetworkReply::NoError)
        result.errorText = reply->errorString();
    result.headers = reply->rawHeaderPairs();
    Metrics::count(
        Metrics::Counter::RemoteRequests,
        {{QStringLiteral("service"), reply->url().host()}, {QStringLiteral("status"), QString::number(result.status)}});
    if (reply->isOpen())
        result.body = reply->readAll();
    qCDebug(lcNet).noquote() << reply->operation() << reply->url().toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)
                             << "->" << result.status
                             << (result.timedOut        ? "timed out"
                                     : result.cancelled ? "cancelled"
                                                        : "")
                             << result.body.size() << "bytes in" << elapsed.elapsed() << "ms";
    return result;
}

bool HttpSession::pause(qint64 ms, const std::function<bool()> &cancelled)
{
    const QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        if (cancelled && cancelled())
            return false;
        QThread::msleep(std::min<qint64>(kCancelCheckMs, std::max<qint64>(1, deadline.remainingTime())));
    }
    return !(cancelled && cancelled());
}

} // namespace Docpipe::Services
