// Configuration: what an INI file and the environment give, what is written back, and which
// values are refused with a reason tied to their key.
#include "config/config.h"
#include "config/settingstable.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Docpipe;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(std::function<void(Docpipe::Config &)>)

class tst_Config final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void problemsNameTheirKey_data();
    void problemsNameTheirKey();
    void defaultsAreValid();
    void saveAndLoadRoundTripWithoutKeys();
    void environmentSuppliesKeysAndUrls();
    void unreadableNumbersAreReported();
    void everySettingRoundTrips();
    void chunksAreCountedInTheModelsTokens_data();
    void chunksAreCountedInTheModelsTokens();
};

void tst_Config::init()
{
    for (const char *name :
         {"OPENAI_API_KEY", "OPENAI_BASE_URL", "LLAMA_CLOUD_API_KEY", "LLAMA_CLOUD_BASE_URL", "DOCPIPE_DB"})
        qunsetenv(name);
}

void tst_Config::problemsNameTheirKey_data()
{
    using Change = std::function<void(Config &)>;
    QTest::addColumn<Change>("change");
    QTest::addColumn<QString>("key");
    QTest::newRow("postgres url without database")
        << Change([](Config &c) { c.databaseUrl = QStringLiteral("postgresql://u:p@host"); })
        << QStringLiteral("database/url");
    QTest::newRow("sqlite in a missing folder")
        << Change([](Config &c) { c.databaseUrl = QStringLiteral("/no/such/folder/x.sqlite"); })
        << QStringLiteral("database/url");
    QTest::newRow("tiny chunks") << Change([](Config &c) {
        c.chunking.chunkTokens = 8;
        c.chunking.overlapTokens = 2;
    }) << QStringLiteral("chunking/chunk_tokens");
    QTest::newRow("overlap half the chunk")
        << Change([](Config &c) { c.chunking.overlapTokens = 256; }) << QStringLiteral("chunking/overlap_tokens");
    QTest::newRow("no parse threads") << Change([](Config &c) { c.engine.parseConcurrency = 0; })
                                      << QStringLiteral("engine/parse_concurrency");
    QTest::newRow("too many embed threads")
        << Change([](Config &c) { c.engine.embedConcurrency = 1000; }) << QStringLiteral("engine/embed_concurrency");
    QTest::newRow("memory budget under 16 MB")
        << Change([](Config &c) { c.engine.memoryBudgetMb = 8; }) << QStringLiteral("engine/memory_budget_mb");
    QTest::newRow("zero attempts") << Change([](Config &c) { c.retry.maxAttempts = 0; })
                                   << QStringLiteral("retry/max_attempts");
    QTest::newRow("unknown parser") << Change([](Config &c) { c.parser.kind = QStringLiteral("ocr"); })
                                    << QStringLiteral("parser/kind");
    QTest::newRow("unknown embedder") << Change([](Config &c) { c.embedder.kind = QStringLiteral("magic"); })
                                      << QStringLiteral("embedder/kind");
    QTest::newRow("llamaparse ftp url") << Change([](Config &c) {
        c.parser.kind = QStringLiteral("llamaparse");
        c.parser.llamaApiKey = QStringLiteral("llx-test");
        c.parser.llamaBaseUrl = QStringLiteral("ftp://example.com");
    }) << QStringLiteral("parser/llamaparse_base_url");
    QTest::newRow("llamaparse unknown tier") << Change([](Config &c) {
        c.parser.kind = QStringLiteral("llamaparse");
        c.parser.llamaApiKey = QStringLiteral("llx-test");
        c.parser.llamaTier = QStringLiteral("premium");
    }) << QStringLiteral("parser/llamaparse_tier");
    QTest::newRow("llamaparse version not a date") << Change([](Config &c) {
        c.parser.kind = QStringLiteral("llamaparse");
        c.parser.llamaApiKey = QStringLiteral("llx-test");
        c.parser.llamaVersion = QStringLiteral("2026-8-19");
    }) << QStringLiteral("parser/llamaparse_version");
    QTest::newRow("llamaparse api v3") << Change([](Config &c) {
        c.parser.kind = QStringLiteral("llamaparse");
        c.parser.llamaApiKey = QStringLiteral("llx-test");
        c.parser.llamaApi = QStringLiteral("v3");
    }) << QStringLiteral("parser/llamaparse_api");
    QTest::newRow("llamaparse without key") << Change([](Config &c) { c.parser.kind = QStringLiteral("llamaparse"); })
                                            << QStringLiteral("parser/llamaparse_api_key");
    QTest::newRow("embedder url not http") << Change([](Config &c) {
        c.embedder.kind = QStringLiteral("openai");
        c.embedder.baseUrl = QStringLiteral("localhost:11434");
    }) << QStringLiteral("embedder/base_url");
    QTest::newRow("batch of 5000") << Change([](Config &c) {
        c.embedder.kind = QStringLiteral("openai");
        c.embedder.batchSize = 5000;
    }) << QStringLiteral("embedder/batch_size");
    QTest::newRow("negative dimensions") << Change([](Config &c) {
        c.embedder.kind = QStringLiteral("openai");
        c.embedder.dimensions = -3;
    }) << QStringLiteral("embedder/dimensions");
    QTest::newRow("ocr at 1200 dpi") << Change([](Config &c) { c.ocr.dpi = 1200; }) << QStringLiteral("ocr/dpi");
    QTest::newRow("ocr languages with a comma")
        << Change([](Config &c) { c.ocr.languages = QStringLiteral("eng,deu"); }) << QStringLiteral("ocr/languages");
    QTest::newRow("ocr languages empty") << Change([](Config &c) { c.ocr.languages.clear(); })
                                         << QStringLiteral("ocr/languages");
    QTest::newRow("ocr confidence 101%") << Change([](Config &c) { c.ocr.minConfidence = 101; })
                                         << QStringLiteral("ocr/min_confidence");
    QTest::newRow("ocr text threshold 0")
        << Change([](Config &c) { c.ocr.minTextChars = 0; }) << QStringLiteral("ocr/min_text_chars");
}

void tst_Config::problemsNameTheirKey()
{
    QFETCH(std::function<void(Config &)>, change);
    QFETCH(QString, key);
    QTemporaryDir dir;
    Config config;
    config.databaseUrl = dir.filePath(QStringLiteral("ok.sqlite"));
    change(config);
    const QList<ConfigProblem> problems = config.problems();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().key, key);
    QVERIFY(problems.first().message.size() > 10);
    QCOMPARE(config.validate(), QStringList{problems.first().message});
}

void tst_Config::defaultsAreValid()
{
    QTemporaryDir dir;
    Config config;
    config.databaseUrl = dir.filePath(QStringLiteral("docpipe.sqlite"));
    QVERIFY2(config.problems().isEmpty(), qPrintable(config.validate().join(u'\n')));
    QCOMPARE(config.chunking.chunkTokens, 512);
    QCOMPARE(config.chunking.overlapTokens, 64);
    QCOMPARE(config.retry.maxAttempts, 5);
    QCOMPARE(config.parser.kind, QStringLiteral("local"));
    QCOMPARE(config.embedder.kind, QStringLiteral("local"));
    QVERIFY(config.ocr.enabled);
    QCOMPARE(config.ocr.languages, QStringLiteral("eng"));
    QCOMPARE(config.ocr.dpi, 300);
    // OCR is the local parser's: its settings do not concern LlamaParse, nor a switched-off OCR.
    config.ocr.dpi = 5000;
    config.ocr.enabled = false;
    QVERIFY(config.problems().isEmpty());
    config.ocr.enabled = true;
    config.parser.kind = QStringLiteral("llamaparse");
    config.parser.llamaApiKey = QStringLiteral("k");
    QVERIFY2(config.problems().isEmpty(), qPrintable(config.validate().join(u'\n')));
    config.ocr.languages = QStringLiteral("eng+chi_sim+script/Latin");
    config.parser.kind = QStringLiteral("local");
    config.ocr.dpi = 300;
    QVERIFY2(config.problems().isEmpty(), qPrintable(config.validate().join(u'\n')));
}

void tst_Config::saveAndLoadRoundTripWithoutKeys()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("docpipe.ini"));
    Config config;
    config.databaseUrl = QStringLiteral("postgresql://docpipe@db.example:5432/docs");
    config.chunking.chunkTokens = 300;
    config.chunking.overlapTokens = 30;
    config.engine.embedConcurrency = 8;
    config.retry.maxAttempts = 7;
    config.embedder.kind = QStringLiteral("openai");
    config.embedder.model = QStringLiteral("text-embedding-3-small");
    config.embedder.apiKey = QStringLiteral("sk-secret-never-on-disk");
    config.parser.llamaApiKey = QStringLiteral("llx-secret-never-on-disk");
    config.save(ini);

    QFile file(ini);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.readAll();
    QVERIFY(!written.contains("secret-never-on-disk"));

    const Config loaded = Config::load(ini);
    QCOMPARE(loaded.databaseUrl, config.databaseUrl);
    QCOMPARE(loaded.chunking.chunkTokens, 300);
    QCOMPARE(loaded.chunking.overlapTokens, 30);
    QCOMPARE(loaded.engine.embedConcurrency, 8);
    QCOMPARE(loaded.retry.maxAttempts, 7);
    QCOMPARE(loaded.embedder.kind, QStringLiteral("openai"));
    QCOMPARE(loaded.embedder.model, QStringLiteral("text-embedding-3-small"));
    QVERIFY(loaded.embedder.apiKey.isEmpty());
    QVERIFY(loaded.parser.llamaApiKey.isEmpty());
}

void tst_Config::environmentSuppliesKeysAndUrls()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("docpipe.ini"));
    {
        QSettings settings(ini, QSettings::IniFormat);
        settings.setValue(QStringLiteral("embedder/base_url"), QStringLiteral("http://from-ini:1/v1"));
    }
    qputenv("OPENAI_API_KEY", "sk-from-env");
    qputenv("OPENAI_BASE_URL", "http://from-env:2");
    qputenv("LLAMA_CLOUD_API_KEY", "llx-from-env");
    qputenv("DOCPIPE_DB", "/tmp/from-env.sqlite");
    const Config config = Config::load(ini);
    QCOMPARE(config.embedder.apiKey, QStringLiteral("sk-from-env"));
    QCOMPARE(config.embedder.baseUrl, QStringLiteral("http://from-env:2"));
    QCOMPARE(config.parser.llamaApiKey, QStringLiteral("llx-from-env"));
    QCOMPARE(config.databaseUrl, QStringLiteral("/tmp/from-env.sqlite"));
    init();
}

void tst_Config::unreadableNumbersAreReported()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("docpipe.ini"));
    {
        QSettings settings(ini, QSettings::IniFormat);
        settings.setValue(QStringLiteral("engine/lease_seconds"), QStringLiteral("abc"));
        settings.setValue(QStringLiteral("retry/max_attempts"), QStringLiteral("7"));
        settings.setValue(QStringLiteral("database/url"), dir.filePath(QStringLiteral("x.sqlite")));
    }
    const Config config = Config::load(ini);
    QCOMPARE(config.engine.leaseSeconds, Config().engine.leaseSeconds); // the default stays
    QCOMPARE(config.retry.maxAttempts, 7);
    const QList<ConfigProblem> problems = config.problems();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().key, QStringLiteral("engine/lease_seconds"));
    QVERIFY2(problems.first().message.contains(QLatin1String("'abc'")), qPrintable(problems.first().message));
    QVERIFY2(problems.first().message.contains(QLatin1String("not a number")), qPrintable(problems.first().message));
}

// Every row of the settings table is written by save() and read back by load(): a setting added
// to the table cannot be forgotten by either.
void tst_Config::everySettingRoundTrips()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("docpipe.ini"));
    Config changed;
    for (const Setting &setting : settingsTable()) {
        const QVariant value = setting.value(changed);
        if (std::holds_alternative<Setting::StringField>(setting.field))
            QVERIFY(setting.assign(changed, QString(value.toString() + QStringLiteral("-x"))));
        else if (std::holds_alternative<Setting::BoolField>(setting.field))
            QVERIFY(setting.assign(changed, !value.toBool()));
        else
            QVERIFY(setting.assign(changed, value.toLongLong() + 3));
    }
    changed.save(ini);
    const Config loaded = Config::load(ini);
    for (const Setting &setting : settingsTable())
        QCOMPARE(setting.value(loaded), setting.value(changed));
}

void tst_Config::chunksAreCountedInTheModelsTokens_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("exact");
    QTest::newRow("local embedder") << u"local"_s << QString() << true;
    QTest::newRow("openai default model") << u"openai"_s << QString() << true;
    QTest::newRow("text-embedding-3-large") << u"openai"_s << u"text-embedding-3-large"_s << true;
    QTest::newRow("ada-002") << u"openai"_s << u"text-embedding-ada-002"_s << true;
    QTest::newRow("ollama model") << u"openai"_s << u"nomic-embed-text"_s << false;
}

// Exact cl100k_base where the model counts in it; the estimate (an upper bound) elsewhere.
void tst_Config::chunksAreCountedInTheModelsTokens()
{
    QFETCH(QString, kind);
    QFETCH(QString, model);
    QFETCH(bool, exact);
    Config config;
    config.embedder.kind = kind;
    config.embedder.model = model;
    config.chunking.chunkTokens = 300;
    const ChunkingConfig chunking = config.effectiveChunking();
    QCOMPARE(chunking.chunkTokens, 300);
    QCOMPARE(chunking.counting, exact ? TokenCounting::Cl100k : TokenCounting::Estimate);
}

QTEST_GUILESS_MAIN(tst_Config)
#include "tst_config.moc"
