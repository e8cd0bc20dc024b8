// `docpipe-cli search` through the real binary, on SQLite and PostgreSQL: JSON results best first
// with document, job, chunk index, pages and text; the document filter; the lexical label; a
// clear refusal to compare the query with chunks of another embedding model; usage errors.
#include "clirunner.h"
#include "phrasecorpus.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

class tst_SearchCli final : public QObject
{
    Q_OBJECT
private slots:
    void searchCommand_data() { addBackendRows(); }
    void searchCommand();
};

void tst_SearchCli::searchCommand()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QStringList db{u"--db"_s, fixture.url()};
    const QString dir = fixture.tempPath() + u"/docs"_s;
    const QList<PhraseDocument> corpus = writePhraseCorpus(dir, 4, 21, 3);
    const CliResult ingested = runCli(db + QStringList{u"ingest"_s, u"--wait"_s, dir});
    QVERIFY2(ingested.exitCode == 0, qPrintable(ingested.describe()));
    QMap<QString, qint64> jobOf; // document name -> job id
    for (const QJsonValue &job : runCli(db + QStringList{u"jobs"_s, u"--json"_s}).json().array())
        jobOf.insert(job.toObject().value(u"document"_s).toString(), job.toObject().value(u"id"_s).toInteger());

    for (const PhraseDocument &document : corpus) {
        const CliResult found = runCli(db + QStringList{u"search"_s, document.phrase, u"-k"_s, u"3"_s, u"--json"_s});
        QVERIFY2(found.exitCode == 0, qPrintable(found.describe()));
        const QJsonArray results = found.json().object().value(u"results"_s).toArray();
        QCOMPARE(results.size(), 3);
        const QJsonObject best = results.first().toObject();
        QCOMPARE(best.value(u"document"_s).toString(), document.name);
        QCOMPARE(best.value(u"job"_s).toInteger(), jobOf.value(document.name, -1));
        QVERIFY(best.value(u"index"_s).toInt(-1) >= 0);
        QCOMPARE(best.value(u"page_start"_s).toInt(), 1);
        QCOMPARE(best.value(u"page_end"_s).toInt(), 1);
        QVERIFY(best.value(u"text"_s).toString().contains(document.phrase));
        QVERIFY(best.value(u"score"_s).toDouble() > results.at(1).toObject().value(u"score"_s).toDouble());
        QVERIFY(found.json().object().value(u"lexical"_s).toBool());
    }

    const CliResult filtered
        = runCli(db + QStringList{u"search"_s, corpus.at(0).phrase, u"--document"_s, corpus.at(3).name, u"--json"_s});
    QCOMPARE(filtered.exitCode, 0);
    const QJsonArray only = filtered.json().object().value(u"results"_s).toArray();
    QVERIFY(!only.isEmpty());
    for (const QJsonValue &hit : only)
        QCOMPARE(hit.toObject().value(u"document"_s).toString(), corpus.at(3).name);

    const CliResult table = runCli(db + QStringList{u"search"_s, corpus.at(2).phrase});
    QCOMPARE(table.exitCode, 0);
    QVERIFY2(table.out.contains("lexical search"), table.out.constData());
    QVERIFY(table.out.contains(corpus.at(2).name.toUtf8()));

    // Chunks of the local embedder cannot be compared with an OpenAI model's query vector. The
    // refusal comes before any request (the base URL points at nothing).
    qputenv("OPENAI_API_KEY", "sk-test-not-a-real-key-0123456789");
    qputenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
    const CliResult refused = runCli(db + QStringList{u"--embedder"_s, u"openai"_s, u"search"_s, corpus.at(0).phrase});
    qunsetenv("OPENAI_API_KEY");
    qunsetenv("OPENAI_BASE_URL");
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("cannot be compared") && refused.err.contains("docpipe-lexical-hash-v1")
                 && refused.err.contains("text-embedding-3-small"),
             qPrintable(refused.describe()));

    QCOMPARE(runCli(db + QStringList{u"search"_s}).exitCode, 2);
    QCOMPARE(runCli(db + QStringList{u"search"_s, u"x"_s, u"-k"_s, u"0"_s}).exitCode, 2);
}

QTEST_GUILESS_MAIN(tst_SearchCli)
#include "tst_searchcli.moc"
