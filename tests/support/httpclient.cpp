#include "httpclient.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>

namespace Docpipe::Test {

QString HttpAnswer::describe() const
{
    return QStringLiteral("HTTP %1 %2 %3").arg(status).arg(error, QString::fromUtf8(body.left(2000)));
}

HttpClient::HttpClient(const QUrl &base, const QByteArray &token)
    : m_base(base)
    , m_token(token)
{ }

QUrl HttpClient::url(const QString &path) const
{
    return QUrl(m_base.toString(QUrl::StripTrailingSlash) + path);
}

HttpAnswer HttpClient::send(const QByteArray &method, const QString &path, const QByteArray &body,
                            const QByteArray &contentType, int timeoutMs) const
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url(path));
    request.setTransferTimeout(timeoutMs);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = manager.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        answer.headers.insert(name.toLower(), value);
    if (answer.status == 0)
        answer.error = reply->errorString();
    delete reply;
    return answer;
}

HttpAnswer HttpClient::get(const QString &path, int timeoutMs) const
{
    return send("GET", path, {}, {}, timeoutMs);
}

HttpAnswer HttpClient::post(const QString &path, const QByteArray &body, const QByteArray &contentType,
                            int timeoutMs) const
{
    return send("POST", path, body, contentType, timeoutMs);
}

QByteArray HttpClient::multipartBody(const QList<UploadFile> &files, const QList<QPair<QByteArray, QByteArray>> &fields,
                                     const QByteArray &boundary)
{
    QByteArray body;
    for (const auto &[name, value] : fields)
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    for (const UploadFile &file : files)
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.name.toUtf8()
            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + file.content + "\r\n";
    body += "--" + boundary + "--\r\n";
    return body;
}

HttpAnswer HttpClient::upload(const QList<UploadFile> &files, const QList<QPair<QByteArray, QByteArray>> &fields,
                              int timeoutMs) const
{
    const QByteArray boundary = "docpipe-test-boundary-7MA4YWxkTrZu0gW";
    return send("POST", QStringLiteral("/v1/documents"), multipartBody(files, fields, boundary),
                "multipart/form-data; boundary=" + boundary, timeoutMs);
}

HttpAnswer HttpClient::raw(const QByteArray &bytes, int timeoutMs) const
{
    QTcpSocket socket;
    socket.connectToHost(m_base.host(), quint16(m_base.port()));
    HttpAnswer answer;
    if (!socket.waitForConnected(timeoutMs)) {
        answer.error = socket.errorString();
        return answer;
    }
    socket.write(bytes);
    socket.waitForBytesWritten(timeoutMs);
    QByteArray received;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] { received += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    if (socket.state() == QAbstractSocket::ConnectedState)
        loop.exec();
    received += socket.readAll();
    const qsizetype headEnd = received.indexOf("\r\n\r\n");
    const QList<QByteArray> statusLine = received.left(received.indexOf("\r\n")).split(' ');
    answer.status = statusLine.size() >= 2 ? statusLine.at(1).toInt() : 0;
    if (headEnd >= 0) {
        for (const QByteArray &line : received.left(headEnd).split('\n').mid(1)) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                answer.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
        }
        answer.body = received.mid(headEnd + 4);
    }
    if (answer.status == 0)
        answer.error = socket.state() == QAbstractSocket::ConnectedState ? QStringLiteral("no answer in time")
                                                                         : QStringLiteral("closed without an answer");
    return answer;
}

double PromExposition::sum(const QString &name, const QMap<QString, QString> &match) const
{
    double total = 0;
    for (const PromSample &sample : samples) {
        if (sample.name != name)
            continue;
        bool matches = true;
        for (auto it = match.cbegin(); it != match.cend() && matches; ++it)
            matches = sample.labels.value(it.key()) == it.value();
        if (matches)
            total += sample.value;
    }
    return total;
}

bool PromExposition::has(const QString &name) const
{
    for (const PromSample &sample : samples) {
        if (sample.name == name)
            return true;
    }
    return false;
}

PromExposition parsePrometheus(const QByteArray &text)
{
    static const QRegularExpression sampleLine(QStringLiteral("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? ([^ ]+)$"));
    static const QRegularExpression label(QStringLiteral("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?"));
    static const QRegularExpression typeLine(
        QStringLiteral("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$"));
    PromExposition exposition;
    for (const QByteArray &rawLine : text.split('\n')) {
        const QString line = QString::fromUtf8(rawLine);
        if (line.isEmpty())
            continue;
        if (line.startsWith(QLatin1String("# TYPE"))) {
            const auto match = typeLine.match(line);
            if (!match.hasMatch()) {
                exposition.error = line;
                return exposition;
            }
            exposition.types.insert(match.captured(1), match.captured(2));
            continue;
        }
        if (line.startsWith(u'#'))
            continue;
        const auto match = sampleLine.match(line);
        bool ok = false;
        PromSample sample;
        sample.name = match.captured(1);
        const QString value = match.captured(3);
        sample.value = value == QLatin1String("+Inf") ? qInf() : value.toDouble(&ok);
        if (!match.hasMatch() || (!ok && value != QLatin1String("+Inf"))) {
            exposition.error = line;
            return exposition;
        }
        auto labels = label.globalMatch(match.captured(2));
        while (labels.hasNext()) {
            const auto l = labels.next();
            QString labelValue = l.captured(2);
            labelValue.replace(QLatin1String("\\n"), QLatin1String("\n"))
                .replace(QLatin1String("\\\""), QLatin1String("\""))
                .replace(QLatin1String("\\\\"), QLatin1String("\\"));
            sample.labels.insert(l.captured(1), labelValue);
        }
        exposition.samples.append(sample);
    }
    return exposition;
}

} // namespace Docpipe::Test
