// API keys in the system keychain (QtKeychain), with the ecosystem's environment variables as
// the fallback when reading; never in the INI file. Asynchronous, like the keychain itself:
// every call returns a QFuture to continue with .then(context, ...) on the caller's thread.
#pragma once

#include "config/config.h"

#include <QFuture>
#include <QObject>
#include <QString>

namespace Docpipe::Ui {

class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    // The keys Docpipe keeps.
    static constexpr char OpenAiKey[] = "openai_api_key";
    static constexpr char LlamaCloudKey[] = "llamaparse_api_key";

    enum class Source { Keychain, Environment, None };

    struct ReadResult
    {
        QString name;
        QString value;
        Source source = Source::None;
        QString keychainError; // why the keychain could not answer (empty when it did, or had no entry)
    };

    struct WriteResult
    {
        QString name;
        bool ok = false;
        QString error; // for a person; never contains the key
    };

    // `service` names Docpipe's entries in the keychain (tests use their own).
    explicit SecretStore(const QString &service = QStringLiteral("Docpipe"), QObject *parent = nullptr);

    QString service() const { return m_service; }
    // OPENAI_API_KEY for OpenAiKey, LLAMA_CLOUD_API_KEY for LlamaCloudKey.
    static QString environmentVariable(const QString &name);

    // The keychain's entry, else the environment variable, else nothing.
    QFuture<ReadResult> read(const QString &name);
    // Stores `value` in the keychain; an empty value removes the entry.
    QFuture<WriteResult> write(const QString &name, const QString &value);
    // `config` with both keys read (keychain first, then the environment).
    QFuture<Config> loadKeys(const Config &config);

private:
    QString m_service;
};

} // namespace Docpipe::Ui
