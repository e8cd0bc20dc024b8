// The bearer tokens the /v1 API accepts, from server/api_token or DOCPIPE_API_TOKEN (or the
// window's keychain): "SECRET", or labelled "LABEL:SECRET" entries separated by commas. A label
// names the token in the audit trail (events say "api:LABEL@client"); the secret never leaves
// this object, and comparison takes the same time however much of a guess matches.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Docpipe::Server {

class ApiTokens final
{
public:
    ApiTokens() = default;
    static ApiTokens parse(const QString &text);

    bool isEmpty() const { return m_tokens.isEmpty(); }
    // The label of the token in an "Authorization: Bearer ..." header value; nullopt if none matches.
    std::optional<QString> labelFor(const QByteArray &authorizationHeader) const;

private:
    struct Token
    {
        QString label;
        QByteArray digest; // SHA-256 of the secret: compared in constant time
    };
    QList<Token> m_tokens;
};

} // namespace Docpipe::Server
