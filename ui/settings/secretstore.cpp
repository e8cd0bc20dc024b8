#include "secretstore.h"

#include <qt6keychain/keychain.h>

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>

namespace Docpipe::Ui {

namespace {

// Resolves `promise` with `make(job)` when the keychain job finishes.
template <typename T, typename Make>
QFuture<T> whenFinished(QKeychain::Job *job, Make make)
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    QObject::connect(job, &QKeychain::Job::finished, job, [promise, make](QKeychain::Job *finished) {
        promise->addResult(make(finished));
        promise->finish();
    });
    job->start();
    return promise->future();
}

} // namespace

SecretStore::SecretStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{ }

QString SecretStore::environmentVariable(const QString &name)
{
    if (name == QLatin1String(OpenAiKey))
        return QStringLiteral("OPENAI_API_KEY");
    if (name == QLatin1String(LlamaCloudKey))
        return QStringLiteral("LLAMA_CLOUD_API_KEY");
    return {};
}

QFuture<SecretStore::ReadResult> SecretStore::read(const QString &name)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(name);
    return whenFinished<ReadResult>(job, [name](QKeychain::Job *finished) {
        ReadResult result;
        result.name = name;
        const auto *reader = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (finished->error() == QKeychain::NoError && !reader->textData().isEmpty()) {
            result.value = reader->textData();
            result.source = Source::Keychain;
            return result;
        }
        if (finished->error() != QKeychain::NoError && finished->error() != QKeychain::EntryNotFound)
            result.keychainError = finished->errorString();
        const QString variable = environmentVariable(name);
        result.value = variable.isEmpty() ? QString() : qEnvironmentVariable(variable.toLatin1().constData());
        result.source = result.value.isEmpty() ? Source::None : Source::Environment;
        return result;
    });
}

QFuture<SecretStore::WriteResult> SecretStore::write(const QString &name, const QString &value)
{
    QKeychain::Job *job = nullptr;
    if (value.isEmpty()) {
        job = new QKeychain::DeletePasswordJob(m_service, this);
    } else {
        auto *writer = new QKeychain::WritePasswordJob(m_service, this);
        writer->setTextData(value);
        job = writer;
    }
    job->setAutoDelete(true);
    job->setKey(name);
    const bool removing = value.isEmpty();
    return whenFinished<WriteResult>(job, [name, removing](QKeychain::Job *finished) {
        WriteResult result;
        result.name = name;
        // Removing an entry that is not there leaves the keychain as asked.
        result.ok
            = finished->error() == QKeychain::NoError || (removing && finished->error() == QKeychain::EntryNotFound);
        if (!result.ok)
            result.error = finished->errorString();
        return result;
    });
}

QFuture<Config> SecretStore::loadKeys(const Config &config)
{
    QFuture<ReadResult> openAi = read(QString::fromLatin1(OpenAiKey));
    QFuture<ReadResult> llama = read(QString::fromLatin1(LlamaCloudKey));
    return openAi
        .then(this,
              [config, llama](const ReadResult &openAiKey) mutable {
                  return llama.then([config, openAiKey](const ReadResult &llamaKey) {
                      Config withKeys = config;
                      withKeys.embedder.apiKey = openAiKey.value;
                      withKeys.parser.llamaApiKey = llamaKey.value;
                      return withKeys;
                  });
              })
        .unwrap();
}

} // namespace Docpipe::Ui
