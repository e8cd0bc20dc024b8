// SecretStore against a real keychain (a D-Bus session with gnome-keyring, as packaging/test.sh
// provides), and without one (ctest's tst_secretstore_nokeychain points D-Bus nowhere): keys
// round-trip through the keychain, and reads fall back to the environment cleanly.
// DOCPIPE_TEST_KEYCHAIN=required fails instead of skipping when no keychain answers;
// DOCPIPE_TEST_KEYCHAIN=absent checks the fallback.
#include "settings/secretstore.h"

#include <QElapsedTimer>
#include <QTest>
#include <QUuid>

using namespace Docpipe;
using namespace Docpipe::Ui;

namespace {

template <typename T>
T await(QFuture<T> future)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 20000))
        qFatal("the keychain did not answer in 20 s");
    return future.result();
}

QString keychainMode()
{
    return qEnvironmentVariable("DOCPIPE_TEST_KEYCHAIN");
}

} // namespace

class tst_SecretStore final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void roundTripsThroughTheKeychain();
    void fallsBackToTheEnvironmentWithoutKeychain();

private:
    QString uniqueService() const
    {
        return QStringLiteral("DocpipeTest-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    }
    // Whether a keychain answers here: a write to a throwaway service.
    bool keychainAnswers();
};

void tst_SecretStore::init()
{
    qunsetenv("OPENAI_API_KEY");
    qunsetenv("LLAMA_CLOUD_API_KEY");
}

bool tst_SecretStore::keychainAnswers()
{
    SecretStore probe(uniqueService());
    const QString name = QString::fromLatin1(SecretStore::OpenAiKey);
    const bool ok = await(probe.write(name, QStringLiteral("probe"))).ok;
    if (ok)
        await(probe.write(name, QString()));
    return ok;
}

void tst_SecretStore::roundTripsThroughTheKeychain()
{
    if (keychainMode() == QLatin1String("absent"))
        QSKIP("this run has no keychain on purpose");
    if (!keychainAnswers()) {
        if (keychainMode() == QLatin1String("required"))
            QFAIL("no keychain answered, but DOCPIPE_TEST_KEYCHAIN=required");
        QSKIP("no keychain here (run through packaging/test.sh for one)");
    }
    SecretStore secrets(uniqueService());
    const QString openAi = QString::fromLatin1(SecretStore::OpenAiKey);
    const QString llama = QString::fromLatin1(SecretStore::LlamaCloudKey);

    const SecretStore::WriteResult written = await(secrets.write(openAi, QStringLiteral("sk-round-trip")));
    QVERIFY2(written.ok, qPrintable(written.error));
    const SecretStore::ReadResult read = await(secrets.read(openAi));
    QCOMPARE(read.source, SecretStore::Source::Keychain);
    QCOMPARE(read.value, QStringLiteral("sk-round-trip"));
    QVERIFY(read.keychainError.isEmpty());

    // The keychain wins over the environment; the environment fills in what it lacks.
    qputenv("OPENAI_API_KEY", "sk-from-env");
    qputenv("LLAMA_CLOUD_API_KEY", "llx-from-env");
    QCOMPARE(await(secrets.read(openAi)).value, QStringLiteral("sk-round-trip"));
    const SecretStore::ReadResult fallback = await(secrets.read(llama));
    QCOMPARE(fallback.source, SecretStore::Source::Environment);
    QCOMPARE(fallback.value, QStringLiteral("llx-from-env"));
    const Config withKeys = await(secrets.loadKeys(Config()));
    QCOMPARE(withKeys.embedder.apiKey, QStringLiteral("sk-round-trip"));
    QCOMPARE(withKeys.parser.llamaApiKey, QStringLiteral("llx-from-env"));

    // Replacing and removing.
    QVERIFY(await(secrets.write(openAi, QStringLiteral("sk-replaced"))).ok);
    QCOMPARE(await(secrets.read(openAi)).value, QStringLiteral("sk-replaced"));
    QVERIFY(await(secrets.write(openAi, QString())).ok);
    QCOMPARE(await(secrets.read(openAi)).source, SecretStore::Source::Environment);
    QVERIFY(await(secrets.write(openAi, QString())).ok); // removing what is not there is fine
    qunsetenv("OPENAI_API_KEY");
    QCOMPARE(await(secrets.read(openAi)).source, SecretStore::Source::None);
}

void tst_SecretStore::fallsBackToTheEnvironmentWithoutKeychain()
{
    if (keychainMode() != QLatin1String("absent"))
        QSKIP("needs DOCPIPE_TEST_KEYCHAIN=absent (ctest's tst_secretstore_nokeychain)");
    SecretStore secrets(uniqueService());
    const QString openAi = QString::fromLatin1(SecretStore::OpenAiKey);

    QElapsedTimer timer;
    timer.start();
    const SecretStore::WriteResult written = await(secrets.write(openAi, QStringLiteral("sk-nowhere")));
    QVERIFY(!written.ok);
    QVERIFY(!written.error.isEmpty());
    QVERIFY(!written.error.contains(QStringLiteral("sk-nowhere")));
    QVERIFY2(timer.elapsed() < 5000, "a missing keychain must fail fast, not hang");

    qputenv("OPENAI_API_KEY", "sk-from-env");
    const SecretStore::ReadResult read = await(secrets.read(openAi));
    QCOMPARE(read.source, SecretStore::Source::Environment);
    QCOMPARE(read.value, QStringLiteral("sk-from-env"));
    QVERIFY(!read.keychainError.isEmpty()); // the dialog says why the keychain was not used
    QCOMPARE(await(secrets.loadKeys(Config())).embedder.apiKey, QStringLiteral("sk-from-env"));

    qunsetenv("OPENAI_API_KEY");
    const SecretStore::ReadResult none = await(secrets.read(openAi));
    QCOMPARE(none.source, SecretStore::Source::None);
    QVERIFY(none.value.isEmpty());
}

QTEST_MAIN(tst_SecretStore)
#include "tst_secretstore.moc"
