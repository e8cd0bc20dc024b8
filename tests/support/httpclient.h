// A blocking HTTP client for tests of the HTTP service: real requests over loopback with
// QNetworkAccessManager (waiting in a local event loop), plus a raw socket for what a well-behaved
// client never sends (half a body, huge heads). And a reader of Prometheus text exposition.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

namespace Docpipe::Test {

struct HttpAnswer
{
    int status = 0; // 0: no answer (connection refused, timeout)
    QByteArray body;
    QMap<QByteArray, QByteArray> headers; // lower-case names
    QString error;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString describe() const; // for failure messages
};

struct UploadFile
{
    QString name; // the filename in the form (sent as given, also when it is a trick)
    QByteArray content;
};

class HttpClient final
{
public:
    explicit HttpClient(const QUrl &base, const QByteArray &token = {});

    HttpAnswer get(const QString &path, int timeoutMs = 30000) const;
    HttpAnswer post(const QString &path, const QByteArray &body = {},
                    const QByteArray &contentType = "application/json", int timeoutMs = 30000) const;
    HttpAnswer send(const QByteArray &method, const QString &path, const QByteArray &body = {},
                    const QByteArray &contentType = {}, int timeoutMs = 30000) const;
    // POST /v1/documents with the files as `file` fields and the extra plain fields.
    HttpAnswer upload(const QList<UploadFile> &files, const QList<QPair<QByteArray, QByteArray>> &fields = {},
                      int timeoutMs = 60000) const;
    static QByteArray multipartBody(const QList<UploadFile> &files, const QList<QPair<QByteArray, QByteArray>> &fields,
                                    const QByteArray &boundary);

    // Writes `bytes` on a raw connection, then reads what comes back until the server closes or
    // `timeoutMs` pass; with `keepOpen` false the client closes its side after writing.
    HttpAnswer raw(const QByteArray &bytes, int timeoutMs = 10000) const;

    QUrl url(const QString &path) const;
    void setToken(const QByteArray &token) { m_token = token; }

private:
    QUrl m_base;
    QByteArray m_token;
};

// One sample of a Prometheus exposition.
struct PromSample
{
    QString name;
    QMap<QString, QString> labels;
    double value = 0;
};

struct PromExposition
{
    QList<PromSample> samples;
    QMap<QString, QString> types; // family -> counter | gauge | histogram
    QString error; // the first line that is not valid text format; empty when it all parsed

    // Sum of the samples named `name` whose labels include `match`.
    double sum(const QString &name, const QMap<QString, QString> &match = {}) const;
    bool has(const QString &name) const;
};

PromExposition parsePrometheus(const QByteArray &text);

} // namespace Docpipe::Test
