// Small helpers shared by the services tests: an in-process mock server, configurations that
// point the clients at it, and raw HTTP calls shaped by the test itself.
#pragma once

#include "config/config.h"
#include "services/httpsession.h"
#include "mockserver.h"
#include "store/database.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

#include <memory>

namespace Docpipe::Test {

inline std::unique_ptr<Services::MockServer> startMock(const Services::MockServerOptions &options = {})
{
    auto server = std::make_unique<Services::MockServer>(options);
    QString error;
    if (!server->listen(&error))
        qFatal("mock server: %s", qPrintable(error));
    return server;
}

inline EmbedderConfig embedderConfig(const Services::MockServer &mock,
                                     const QString &key = QStringLiteral("sk-test-key-0123456789"))
{
    EmbedderConfig config;
    config.kind = QStringLiteral("openai");
    config.baseUrl = mock.url().toString() + QStringLiteral("/v1");
    config.apiKey = key;
    config.requestTimeoutMs = 5000;
    return config;
}

inline ParserConfig parserConfig(const Services::MockServer &mock,
                                 const QString &key = QStringLiteral("llx-test-key-0123456789"))
{
    ParserConfig config;
    config.kind = QStringLiteral("llamaparse");
    config.llamaBaseUrl = mock.url().toString();
    config.llamaApiKey = key;
    config.llamaPollIntervalMs = 20;
    config.llamaTimeoutSeconds = 20;
    config.llamaRequestTimeoutMs = 5000;
    return config;
}

inline Services::HttpReply postJson(const QUrl &base, const QString &path, const QByteArray &body,
                                    const QString &key = {})
{
    Services::HttpSession session;
    return session.postJson(base.resolved(QUrl(path)), body, {key, 5000, {}});
}

inline Services::HttpReply get(const QUrl &base, const QString &path, const QString &key = {})
{
    Services::HttpSession session;
    return session.get(base.resolved(QUrl(path)), {key, 5000, {}});
}

inline QJsonObject jsonOf(const Services::HttpReply &reply)
{
    return QJsonDocument::fromJson(reply.body).object();
}

inline QString errorMessageOf(const Services::HttpReply &reply)
{
    return jsonOf(reply).value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
}

// Every value of every table, as text, for searching (for secrets).
inline QByteArray everythingStored(const Store::Database &db)
{
    QByteArray all;
    const QSqlDatabase sql = db.sql();
    for (const QString &table : sql.tables()) {
        QSqlQuery query(sql);
        if (!query.exec(QStringLiteral("SELECT * FROM ") + table))
            qFatal("cannot read %s", qPrintable(table));
        while (query.next()) {
            for (int i = 0; i < query.record().count(); ++i)
                all += query.value(i).toByteArray() + '\n';
        }
    }
    return all;
}

// The key, or a telling piece of it (as a server's masked echo might leave), in `text`.
inline bool containsKey(const QByteArray &text, const QString &key)
{
    const QByteArray whole = key.toUtf8();
    return text.contains(whole) || text.contains(whole.mid(4, 16));
}

} // namespace Docpipe::Test
