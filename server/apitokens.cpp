#include "apitokens.h"

#include <QCryptographicHash>
#include <QRegularExpression>

namespace Docpipe::Server {

namespace {

QByteArray digestOf(const QByteArray &secret)
{
    return QCryptographicHash::hash(secret, QCryptographicHash::Sha256);
}

bool sameDigest(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

} // namespace

ApiTokens ApiTokens::parse(const QString &text)
{
    static const QRegularExpression labelled(QStringLiteral("^([A-Za-z0-9_.-]{1,32}):(.+)$"));
    ApiTokens tokens;
    const QStringList entries = text.split(u',', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString entry = entries.at(i).trimmed();
        if (entry.isEmpty())
            continue;
        const auto match = labelled.match(entry);
        const QString label = match.hasMatch() ? match.captured(1) : QStringLiteral("token%1").arg(i + 1);
        const QString secret = match.hasMatch() ? match.captured(2) : entry;
        tokens.m_tokens.append({label, digestOf(secret.toUtf8())});
    }
    return tokens;
}

std::optional<QString> ApiTokens::labelFor(const QByteArray &authorizationHeader) const
{
    const QByteArray value = authorizationHeader.trimmed();
    if (!value.left(7).toLower().startsWith("bearer "))
        return std::nullopt;
    const QByteArray presented = digestOf(value.mid(7).trimmed());
    std::optional<QString> found;
    for (const Token &token : m_tokens) { // every token is compared, so timing does not tell which matched
        if (sameDigest(token.digest, presented) && !found)
            found = token.label;
    }
    return found;
}

} // namespace Docpipe::Server
