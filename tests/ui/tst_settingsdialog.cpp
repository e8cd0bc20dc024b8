// The settings dialog: invalid values are shown beside their field with the reason and nothing
// is written; a good configuration round-trips through the INI file (keys never in it); the
// connection and service tests really connect, off the GUI thread.
#include "settings/databasepage.h"
#include "settings/secretstore.h"
#include "settings/servicespage.h"
#include "settings/settingsdialog.h"
#include "testdatabase.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Docpipe;
using namespace Docpipe::Ui;

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

template <typename T>
T *field(const SettingsDialog &dialog, const QString &key)
{
    T *widget = dialog.findChild<T *>(key);
    if (!widget)
        qFatal("no field %s", qPrintable(key));
    return widget;
}

void setText(const SettingsDialog &dialog, const QString &key, const QString &text)
{
    field<QLineEdit>(dialog, key)->setText(text);
}

void setNumber(const SettingsDialog &dialog, const QString &key, int value)
{
    field<QSpinBox>(dialog, key)->setValue(value);
}

void choose(const SettingsDialog &dialog, const QString &key, const QString &data)
{
    QComboBox *combo = field<QComboBox>(dialog, key);
    combo->setCurrentIndex(combo->findData(data));
}

void usePostgres(const SettingsDialog &dialog, const QString &url)
{
    const auto radios = dialog.databasePage()->findChildren<QRadioButton *>();
    radios.at(1)->setChecked(true);
    setText(dialog, QStringLiteral("database/url"), url);
}

// One way of getting a field wrong.
using Breakage = std::function<void(const SettingsDialog &)>;

} // namespace

class tst_SettingsDialog final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void rejectsInvalidValuesAndWritesNothing_data();
    void rejectsInvalidValuesAndWritesNothing();
    void saveFollowsValidity();
    void goodConfigurationRoundTrips();
    void keysGoToTheKeychainNeverTheIni();
    void testConnectionReallyConnects_data() { Test::addBackendRows(); }
    void testConnectionReallyConnects();
    void testConnectionReportsFailuresWithoutThePassword();
    void serviceTestsAnswer();

private:
    QTemporaryDir m_dir;
    QString m_ini;
    Config m_valid;
};

void tst_SettingsDialog::initTestCase()
{
    // The environment must not fill in what the test leaves empty.
    for (const char *name :
         {"OPENAI_API_KEY", "LLAMA_CLOUD_API_KEY", "OPENAI_BASE_URL", "LLAMA_CLOUD_BASE_URL", "DOCPIPE_DB"})
        qunsetenv(name);
}

void tst_SettingsDialog::init()
{
    m_ini = m_dir.filePath(QStringLiteral("docpipe-%1.ini")
                               .arg(QString::fromLatin1(QTest::currentDataTag() ? QTest::currentDataTag() : "x")));
    QFile::remove(m_ini);
    m_valid = Config();
    m_valid.databaseUrl = m_dir.filePath(QStringLiteral("docpipe.sqlite"));
    m_valid.save(m_ini);
}

void tst_SettingsDialog::rejectsInvalidValuesAndWritesNothing_data()
{
    QTest::addColumn<Breakage>("breakage");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("reason"); // part of the message shown beside the field

    const auto text = [](const char *key, const QString &value) -> Breakage {
        return [=](const SettingsDialog &d) { setText(d, QString::fromLatin1(key), value); };
    };
    const auto number = [](const char *key, int value) -> Breakage {
        return [=](const SettingsDialog &d) { setNumber(d, QString::fromLatin1(key), value); };
    };
    const auto openAi = [](const Breakage &then) -> Breakage {
        return [=](const SettingsDialog &d) {
            choose(d, QStringLiteral("embedder/kind"), QStringLiteral("openai"));
            then(d);
        };
    };
    QTest::newRow("PostgreSQL URL of another scheme")
        << Breakage([](const SettingsDialog &d) { usePostgres(d, QStringLiteral("mysql://u:p@h/db")); })
        << QStringLiteral("database/url") << QStringLiteral("postgresql://");
    QTest::newRow("PostgreSQL URL without host")
        << Breakage([](const SettingsDialog &d) { usePostgres(d, QStringLiteral("postgresql:///")); })
        << QStringLiteral("database/url") << QStringLiteral("must look like postgresql://user:pass@host:port/db");
    QTest::newRow("SQLite file in a missing folder")
        << text("database/sqlite_path", QStringLiteral("/no/such/folder/docpipe.sqlite"))
        << QStringLiteral("database/sqlite_path") << QStringLiteral("Database folder does not exist");
    QTest::newRow("chunk size too small")
        << number("chunking/chunk_tokens", 8) << QStringLiteral("chunking/chunk_tokens")
        << QStringLiteral("between 16 and 8192 tokens (is 8)");
    QTest::newRow("chunk size too large") << number("chunking/chunk_tokens", 9000)
                                          << QStringLiteral("chunking/chunk_tokens") << QStringLiteral("(is 9000)");
    QTest::newRow("overlap half the chunk")
        << number("chunking/overlap_tokens", 256) << QStringLiteral("chunking/overlap_tokens")
        << QStringLiteral("less than half the chunk size");
    QTest::newRow("no parsing at all") << number("engine/parse_concurrency", 0)
                                       << QStringLiteral("engine/parse_concurrency")
                                       << QStringLiteral("between 1 and 256");
    QTest::newRow("embedding concurrency too high")
        << number("engine/embed_concurrency", 1000) << QStringLiteral("engine/embed_concurrency")
        << QStringLiteral("(is 1000)");
    QTest::newRow("memory budget too small")
        << number("engine/memory_budget_mb", 8) << QStringLiteral("engine/memory_budget_mb")
        << QStringLiteral("between 16 and 1048576 MB (is 8)");
    QTest::newRow("OCR languages with a comma")
        << text("ocr/languages", QStringLiteral("eng, deu")) << QStringLiteral("ocr/languages")
        << QStringLiteral("Tesseract language codes joined by '+'");
    QTest::newRow("OCR at 1200 dpi") << number("ocr/dpi", 1200) << QStringLiteral("ocr/dpi")
                                     << QStringLiteral("between 70 and 600 dpi (is 1200)");
    QTest::newRow("zero attempts") << number("retry/max_attempts", 0) << QStringLiteral("retry/max_attempts")
                                   << QStringLiteral("between 1 and 100");
    QTest::newRow("first delay beyond the longest") << Breakage([](const SettingsDialog &d) {
        field<QDoubleSpinBox>(d, QStringLiteral("retry/base_delay_ms"))->setValue(600);
    }) << QStringLiteral("retry/base_delay_ms") << QStringLiteral("cannot be longer");
    QTest::newRow("embedding URL not http") << openAi(text("embedder/base_url", QStringLiteral("ftp://example.com/v1")))
                                            << QStringLiteral("embedder/base_url") << QStringLiteral("http(s) URL");
    QTest::newRow("embedding URL not a URL") << openAi(text("embedder/base_url", QStringLiteral("just words")))
                                             << QStringLiteral("embedder/base_url") << QStringLiteral("http(s) URL");
    QTest::newRow("batch too large") << openAi(number("embedder/batch_size", 5000))
                                     << QStringLiteral("embedder/batch_size") << QStringLiteral("between 1 and 2048");
    QTest::newRow("batch of nothing") << openAi(number("embedder/batch_size", 0))
                                      << QStringLiteral("embedder/batch_size") << QStringLiteral("(is 0)");
    QTest::newRow("too many dimensions") << openAi(number("embedder/dimensions", 20000))
                                         << QStringLiteral("embedder/dimensions")
                                         << QStringLiteral("between 0 and 16384");
    QTest::newRow("LlamaParse without a key") << Breakage([](const SettingsDialog &d) {
        choose(d, QStringLiteral("parser/kind"), QStringLiteral("llamaparse"));
    }) << QStringLiteral("parser/llamaparse_api_key")
                                              << QStringLiteral("needs an API key");
    QTest::newRow("LlamaParse URL not http") << Breakage([](const SettingsDialog &d) {
        choose(d, QStringLiteral("parser/kind"), QStringLiteral("llamaparse"));
        setText(d, QStringLiteral("parser/llamaparse_base_url"), QStringLiteral("file:///etc/passwd"));
    }) << QStringLiteral("parser/llamaparse_base_url")
                                             << QStringLiteral("http(s) URL");
    QTest::newRow("LlamaParse version not a date") << Breakage([](const SettingsDialog &d) {
        choose(d, QStringLiteral("parser/kind"), QStringLiteral("llamaparse"));
        field<QLineEdit>(d, QStringLiteral("parser/llamaparse_api_key"))->setText(QStringLiteral("llx-test"));
        setText(d, QStringLiteral("parser/llamaparse_version"), QStringLiteral("yesterday"));
    }) << QStringLiteral("parser/llamaparse_version")
                                                   << QStringLiteral("'latest' or a date");
    QTest::newRow("a number field left empty") << Breakage([](const SettingsDialog &d) {
        QLineEdit *edit = field<QSpinBox>(d, QStringLiteral("chunking/chunk_tokens"))->findChild<QLineEdit *>();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
    }) << QStringLiteral("chunking/chunk_tokens")
                                               << QStringLiteral("Enter a number from 0 to 1000000");
}

void tst_SettingsDialog::rejectsInvalidValuesAndWritesNothing()
{
    QFETCH(Breakage, breakage);
    QFETCH(QString, key);
    QFETCH(QString, reason);
    const QByteArray before = readFile(m_ini);
    QVERIFY(!before.isEmpty());

    SettingsDialog dialog(m_valid, nullptr);
    dialog.setConfigPath(m_ini);
    QSignalSpy saved(&dialog, &SettingsDialog::configSaved);
    dialog.show();
    QVERIFY(dialog.canSave());
    QVERIFY(dialog.problems().isEmpty());

    breakage(dialog);
    QVERIFY2(dialog.problemMessage(key).contains(reason), qPrintable(dialog.problemMessage(key)));
    QVERIFY(!dialog.canSave());
    QVERIFY(!dialog.save());
    QCOMPARE(saved.size(), 0);
    QCOMPARE(readFile(m_ini), before); // nothing invalid reached the disk
    QVERIFY(dialog.isVisible());
}

void tst_SettingsDialog::saveFollowsValidity()
{
    SettingsDialog dialog(m_valid, nullptr);
    dialog.show();
    auto *tabs = dialog.findChild<QTabWidget *>();
    QVERIFY(tabs->tabIcon(2).isNull());
    setNumber(dialog, QStringLiteral("chunking/chunk_tokens"), 4);
    QVERIFY(!dialog.canSave());
    QVERIFY(!tabs->tabIcon(2).isNull()); // the page with the problem is marked
    QVERIFY(tabs->tabIcon(0).isNull());
    setNumber(dialog, QStringLiteral("chunking/chunk_tokens"), 400);
    QVERIFY(dialog.canSave());
    QVERIFY(dialog.problemMessage(QStringLiteral("chunking/chunk_tokens")).isEmpty());
    QVERIFY(tabs->tabIcon(2).isNull());
}

void tst_SettingsDialog::goodConfigurationRoundTrips()
{
    SettingsDialog dialog(m_valid, nullptr);
    dialog.setConfigPath(m_ini);
    QSignalSpy saved(&dialog, &SettingsDialog::configSaved);
    QSignalSpy language(&dialog, &SettingsDialog::languageChosen);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.show();

    usePostgres(dialog, QStringLiteral("postgresql://docpipe:secret@db.example.com:5433/docs"));
    choose(dialog, QStringLiteral("parser/kind"), QStringLiteral("llamaparse"));
    setText(dialog, QStringLiteral("parser/llamaparse_base_url"), QStringLiteral("https://llama.example.com"));
    choose(dialog, QStringLiteral("parser/llamaparse_tier"), QStringLiteral("agentic_plus"));
    setText(dialog, QStringLiteral("parser/llamaparse_version"), QStringLiteral("2026-08-19"));
    field<QLineEdit>(dialog, QStringLiteral("parser/llamaparse_api_key"))
        ->setText(QStringLiteral("llx-not-in-the-ini"));
    choose(dialog, QStringLiteral("embedder/kind"), QStringLiteral("openai"));
    setText(dialog, QStringLiteral("embedder/base_url"), QStringLiteral("http://localhost:11434/v1"));
    setText(dialog, QStringLiteral("embedder/model"), QStringLiteral("nomic-embed-text"));
    setNumber(dialog, QStringLiteral("embedder/dimensions"), 768);
    setNumber(dialog, QStringLiteral("embedder/batch_size"), 64);
    setNumber(dialog, QStringLiteral("embedder/requests_per_minute"), 3000);
    setNumber(dialog, QStringLiteral("embedder/tokens_per_minute"), 1000000);
    setNumber(dialog, QStringLiteral("chunking/chunk_tokens"), 800);
    setNumber(dialog, QStringLiteral("chunking/overlap_tokens"), 100);
    setNumber(dialog, QStringLiteral("engine/parse_concurrency"), 3);
    setNumber(dialog, QStringLiteral("engine/chunk_concurrency"), 4);
    setNumber(dialog, QStringLiteral("engine/embed_concurrency"), 16);
    setNumber(dialog, QStringLiteral("engine/memory_budget_mb"), 300);
    field<QCheckBox>(dialog, QStringLiteral("ingest/follow_symlinks"))->setChecked(true);
    setNumber(dialog, QStringLiteral("retry/max_attempts"), 7);
    field<QDoubleSpinBox>(dialog, QStringLiteral("retry/base_delay_ms"))->setValue(0.25);
    field<QDoubleSpinBox>(dialog, QStringLiteral("retry/max_delay_ms"))->setValue(90);
    setText(dialog, QStringLiteral("ocr/languages"), QStringLiteral("eng+deu"));
    setNumber(dialog, QStringLiteral("ocr/dpi"), 200);
    setNumber(dialog, QStringLiteral("ocr/min_confidence"), 75);
    dialog.setLanguage(QStringLiteral("de"));
    QVERIFY2(dialog.canSave(), qPrintable(dialog.problems().isEmpty() ? QString() : dialog.problems().first().message));

    QVERIFY(dialog.save());
    QCOMPARE(saved.size(), 1);
    QCOMPARE(language.size(), 1);
    QCOMPARE(language.first().first().toString(), QStringLiteral("de"));
    QCOMPARE(accepted.size(), 1); // no keychain to wait for

    const Config loaded = Config::load(m_ini);
    QCOMPARE(loaded.databaseUrl, QStringLiteral("postgresql://docpipe:secret@db.example.com:5433/docs"));
    QCOMPARE(loaded.parser.kind, QStringLiteral("llamaparse"));
    QCOMPARE(loaded.parser.llamaBaseUrl, QStringLiteral("https://llama.example.com"));
    QCOMPARE(loaded.parser.llamaApi, QStringLiteral("v2"));
    QCOMPARE(loaded.parser.llamaTier, QStringLiteral("agentic_plus"));
    QCOMPARE(loaded.parser.llamaVersion, QStringLiteral("2026-08-19"));
    QCOMPARE(loaded.embedder.kind, QStringLiteral("openai"));
    QCOMPARE(loaded.embedder.baseUrl, QStringLiteral("http://localhost:11434/v1"));
    QCOMPARE(loaded.embedder.model, QStringLiteral("nomic-embed-text"));
    QCOMPARE(loaded.embedder.dimensions, 768);
    QCOMPARE(loaded.embedder.batchSize, 64);
    QCOMPARE(loaded.embedder.requestsPerMinute, 3000);
    QCOMPARE(loaded.embedder.tokensPerMinute, 1000000);
    QCOMPARE(loaded.chunking.chunkTokens, 800);
    QCOMPARE(loaded.chunking.overlapTokens, 100);
    QCOMPARE(loaded.engine.parseConcurrency, 3);
    QCOMPARE(loaded.engine.chunkConcurrency, 4);
    QCOMPARE(loaded.engine.embedConcurrency, 16);
    QCOMPARE(loaded.engine.memoryBudgetMb, 300);
    QVERIFY(loaded.ingest.followSymlinks);
    QCOMPARE(loaded.retry.maxAttempts, 7);
    QCOMPARE(loaded.retry.baseDelayMs, 250);
    QCOMPARE(loaded.retry.maxDelayMs, 90000);
    QCOMPARE(loaded.ocr.languages, QStringLiteral("eng+deu"));
    QCOMPARE(loaded.ocr.dpi, 200);
    QCOMPARE(loaded.ocr.minConfidence, 75);
    QVERIFY(loaded.problems().isEmpty() || loaded.problems().first().key == QLatin1String("parser/llamaparse_api_key"));
    // What the dialog says it saved is the form, key included (in memory only).
    const Config signalled = saved.first().first().value<Config>();
    QCOMPARE(signalled.parser.llamaApiKey, QStringLiteral("llx-not-in-the-ini"));
    QCOMPARE(dialog.config().embedder.model, QStringLiteral("nomic-embed-text"));
    QVERIFY(!readFile(m_ini).contains("llx-not-in-the-ini"));
    // Settings the dialog does not show pass through unchanged.
    QCOMPARE(loaded.engine.leaseSeconds, m_valid.engine.leaseSeconds);
}

void tst_SettingsDialog::keysGoToTheKeychainNeverTheIni()
{
    const QString service = QStringLiteral("DocpipeTest-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    SecretStore secrets(service);
    SettingsDialog dialog(m_valid, &secrets);
    dialog.setConfigPath(m_ini);
    QSignalSpy stored(&dialog, &SettingsDialog::keysStored);
    dialog.show();
    choose(dialog, QStringLiteral("embedder/kind"), QStringLiteral("openai"));
    field<QLineEdit>(dialog, QStringLiteral("embedder/api_key"))->setText(QStringLiteral("sk-test-keychain-only"));
    QVERIFY(dialog.save());
    QVERIFY(stored.wait(10000));
    QVERIFY(!readFile(m_ini).contains("sk-test-keychain-only"));
    QCOMPARE(dialog.config().embedder.apiKey, QStringLiteral("sk-test-keychain-only"));

    if (stored.first().first().toBool()) {
        // A keychain answered: the key is there, and the dialog closed.
        QVERIFY(!dialog.isVisible());
        auto read = secrets.read(QString::fromLatin1(SecretStore::OpenAiKey));
        QVERIFY(QTest::qWaitFor([&] { return read.isFinished(); }, 10000));
        QCOMPARE(read.result().source, SecretStore::Source::Keychain);
        QCOMPARE(read.result().value, QStringLiteral("sk-test-keychain-only"));
        auto removed = secrets.write(QString::fromLatin1(SecretStore::OpenAiKey), QString());
        QVERIFY(QTest::qWaitFor([&] { return removed.isFinished(); }, 10000));
    } else {
        // None: the dialog says so and stays open; the configuration was saved all the same.
        QVERIFY(dialog.isVisible());
        const auto summary = dialog.findChildren<QLabel *>();
        QVERIFY(std::any_of(summary.begin(), summary.end(), [](const QLabel *label) {
            return label->text().contains(QStringLiteral("did not store the key"))
                && label->text().contains(QStringLiteral("OPENAI_API_KEY"));
        }));
        QCOMPARE(Config::load(m_ini).embedder.kind, QStringLiteral("openai"));
    }
}

void tst_SettingsDialog::testConnectionReallyConnects()
{
    DOCPIPE_TEST_DATABASE(fixture);
    Config config = m_valid;
    config.databaseUrl = fixture.url();
    SettingsDialog dialog(config, nullptr);
    dialog.show();
    dialog.databasePage()->testConnection();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.databasePage()->testResult().startsWith(QStringLiteral("OK: connected")), 15000);
    const QString expected
        = fixture.url().startsWith(QLatin1String("postgres")) ? QStringLiteral("PostgreSQL") : QStringLiteral("SQLite");
    QVERIFY2(dialog.databasePage()->testResult().contains(expected), qPrintable(dialog.databasePage()->testResult()));
}

void tst_SettingsDialog::testConnectionReportsFailuresWithoutThePassword()
{
    // A SQLite file that is not there yet is not created by testing it.
    SettingsDialog dialog(m_valid, nullptr);
    dialog.show();
    const QString fresh = m_dir.filePath(QStringLiteral("not-yet.sqlite"));
    setText(dialog, QStringLiteral("database/sqlite_path"), fresh);
    dialog.databasePage()->testConnection();
    QTRY_VERIFY_WITH_TIMEOUT(
        dialog.databasePage()->testResult().startsWith(QStringLiteral("OK: a new database will be created")), 15000);
    QVERIFY(!QFile::exists(fresh));

    // Nothing listens on this port: a clear failure, and the password is never shown.
    usePostgres(dialog, QStringLiteral("postgresql://someone:hunter2-secret@127.0.0.1:1/docs"));
    dialog.databasePage()->testConnection();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.databasePage()->testResult().startsWith(QStringLiteral("Failed:")), 15000);
    QVERIFY(!dialog.databasePage()->testResult().contains(QStringLiteral("hunter2")));

    const QString pg = qEnvironmentVariable("DOCPIPE_TEST_PG_URL");
    if (pg.isEmpty())
        return;
    QUrl wrong(pg);
    wrong.setPassword(QStringLiteral("wrong-password-xyz"));
    setText(dialog, QStringLiteral("database/url"), wrong.toString());
    dialog.databasePage()->testConnection();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.databasePage()->testResult().startsWith(QStringLiteral("Failed:")), 15000);
    QVERIFY(dialog.databasePage()->testResult().contains(QStringLiteral("password authentication failed")));
    QVERIFY(!dialog.databasePage()->testResult().contains(QStringLiteral("wrong-password-xyz")));
}

void tst_SettingsDialog::serviceTestsAnswer()
{
    SettingsDialog dialog(m_valid, nullptr);
    dialog.show();
    dialog.servicesPage()->testParser();
    dialog.servicesPage()->testEmbedder();
    QTRY_VERIFY(dialog.servicesPage()->parserTestResult().startsWith(QStringLiteral("OK: local parser")));
    QTRY_VERIFY(dialog.servicesPage()->embedderTestResult().startsWith(QStringLiteral("OK: local lexical embedder")));
}

QTEST_MAIN(tst_SettingsDialog)
#include "tst_settingsdialog.moc"
