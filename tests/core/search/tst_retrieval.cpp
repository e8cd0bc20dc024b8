// The retrieval test over what the real pipeline stored, on SQLite and PostgreSQL: a corpus whose
// documents each hold a distinctive phrase is embedded with the local embedder or through the mock
// OpenAI server (real HTTP on loopback), and searching each phrase returns its document first.
// Vectors of another model or dimension count are refused, and the index follows new versions.
#include "engine/stagefactory.h"
#include "phrasecorpus.h"
#include "pipelinerun.h"
#include "search/retrieval.h"
#include "services/openaiembedder.h"
#include "servicetesthelpers.h"
#include "stages/embedding/lexicalhashembedder.h"
#include "store/currentchunks.h"
#include "testdatabase.h"

#include <QFile>
#include <QtConcurrent/QtConcurrentRun>
#include <QTest>

#include <algorithm>

using namespace Docpipe;
using namespace Docpipe::Search;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int kDocuments = 12;

// Small chunks, so a phrase is a fair share of the chunk it is in.
Config corpusConfig(const QString &url)
{
    Config config = fastTestConfig(url);
    config.chunking.chunkTokens = 64;
    config.chunking.overlapTokens = 8;
    return config;
}

// Off the test's thread: the mock server answers on this one, and the OpenAI client blocks.
Result<SearchAnswer> searchFor(const Store::Database &db, SearchIndex &index, const Stages::Embedder &embedder,
                               const SearchRequest &request)
{
    auto future = QtConcurrent::run([&] {
        auto answer = search(db, index, embedder, request);
        db.closeThreadConnection();
        return answer ? std::pair(std::optional(answer.value()), StageError())
                      : std::pair(std::optional<SearchAnswer>(), answer.error());
    });
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 30000))
        qFatal("search did not finish");
    const auto [answer, error] = future.result();
    if (answer)
        return *answer;
    return error;
}

qsizetype currentChunkCount(const Store::Database &db)
{
    return Store::forEachCurrentChunk(db, {}, [](const Store::StoredChunk &) { return true; }).value();
}

} // namespace

class tst_Retrieval final : public QObject
{
    Q_OBJECT
private slots:
    void phraseFindsItsDocument_data();
    void phraseFindsItsDocument();
    void documentFilter_data() { addBackendRows(); }
    void documentFilter();
    void refusesOtherModels_data() { addBackendRows(); }
    void refusesOtherModels();
    void followsNewVersions_data() { addBackendRows(); }
    void followsNewVersions();
};

void tst_Retrieval::phraseFindsItsDocument_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("remote");
    for (const QString &backend : {u"sqlite"_s, u"postgres"_s}) {
        QTest::newRow(qPrintable(backend + u", local embedder"_s)) << backend << false;
        QTest::newRow(qPrintable(backend + u", mock OpenAI"_s)) << backend << true;
    }
}

void tst_Retrieval::phraseFindsItsDocument()
{
    DOCPIPE_TEST_DATABASE(fixture);
    QFETCH(bool, remote);
    const auto mock = startMock();
    Config config = corpusConfig(fixture.url());
    if (remote)
        config.embedder = embedderConfig(*mock);
    const QList<PhraseDocument> corpus = writePhraseCorpus(fixture.tempPath() + u"/docs"_s, kDocuments, 11, 4);
    const QString failure = runPipelineToEnd(config, {fixture.tempPath() + u"/docs"_s}, 120000);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QVERIFY(currentChunkCount(fixture.database()) > 2 * kDocuments); // several chunks each: not trivially found

    const auto embedder = makeEmbedder(config);
    SearchIndex index;
    for (const PhraseDocument &document : corpus) {
        auto answer = searchFor(fixture.database(), index, *embedder, {document.phrase, 5});
        QVERIFY2(answer, qPrintable(answer ? QString() : answer.error().message));
        const QList<SearchHit> &hits = answer.value().hits;
        QCOMPARE(hits.size(), 5);
        QCOMPARE(hits.first().document, document.name);
        // The chunk that holds the whole phrase is among the hits; the first may be its neighbour,
        // whose overlap begins inside the phrase's sentence.
        QVERIFY2(std::any_of(hits.cbegin(), hits.cend(),
                             [&](const SearchHit &hit) {
                                 return hit.document == document.name && hit.text.contains(document.phrase);
                             }),
                 qPrintable(hits.first().text));
        for (int i = 1; i < hits.size(); ++i)
            QVERIFY(hits.at(i - 1).score >= hits.at(i).score);
        QVERIFY(hits.first().score > hits.at(1).score);
        QCOMPARE(answer.value().lexical, !remote);
        QCOMPARE(answer.value().model, embedder->model());
    }
    if (remote) // the chunks' vectors and one per query, nothing else
        QVERIFY(mock->stats().embeddedInputs >= currentChunkCount(fixture.database()) + kDocuments);
}

void tst_Retrieval::documentFilter()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QList<PhraseDocument> corpus = writePhraseCorpus(fixture.tempPath() + u"/docs"_s, 4, 5, 3);
    const QString failure = runPipelineToEnd(corpusConfig(fixture.url()), {fixture.tempPath() + u"/docs"_s});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    Stages::LexicalHashEmbedder embedder;
    SearchIndex index;
    auto answer = searchFor(fixture.database(), index, embedder, {corpus.at(0).phrase, 10, corpus.at(2).name});
    QVERIFY(answer);
    QVERIFY(!answer.value().hits.isEmpty());
    for (const SearchHit &hit : answer.value().hits)
        QCOMPARE(hit.document, corpus.at(2).name);
    auto none = searchFor(fixture.database(), index, embedder, {corpus.at(0).phrase, 10, u"no such document"_s});
    QVERIFY(none);
    QVERIFY(none.value().hits.isEmpty());
    auto empty = searchFor(fixture.database(), index, embedder, {u"   "_s, 10});
    QVERIFY(!empty);
    QCOMPARE(empty.error().code, u"empty_query"_s);
}

void tst_Retrieval::refusesOtherModels()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QList<PhraseDocument> corpus = writePhraseCorpus(fixture.tempPath() + u"/docs"_s, 2, 3, 3);
    const QString failure = runPipelineToEnd(corpusConfig(fixture.url()), {fixture.tempPath() + u"/docs"_s});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    SearchIndex index;

    // The same model at another dimension count.
    Stages::LexicalHashEmbedder narrower(128);
    auto refused = searchFor(fixture.database(), index, narrower, {corpus.at(0).phrase});
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, u"search_model_mismatch"_s);
    QVERIFY2(refused.error().message.contains(u"docpipe-lexical-hash-v1 (384 dimensions)"_s)
                 && refused.error().message.contains(u"(128 dimensions)"_s),
             qPrintable(refused.error().message));

    // Another model: refused before the service is asked for a vector.
    const auto mock = startMock();
    Services::OpenAiEmbedder remote(embedderConfig(*mock));
    refused = searchFor(fixture.database(), index, remote, {corpus.at(0).phrase});
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, u"search_model_mismatch"_s);
    QVERIFY2(refused.error().message.contains(u"text-embedding-3-small"_s), qPrintable(refused.error().message));
    QCOMPARE(mock->stats().embeddedInputs, 0);
}

void tst_Retrieval::followsNewVersions()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString dir = fixture.tempPath() + u"/docs"_s;
    const QList<PhraseDocument> corpus = writePhraseCorpus(dir, 3, 9, 3);
    const Config config = corpusConfig(fixture.url());
    QString failure = runPipelineToEnd(config, {dir});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    Stages::LexicalHashEmbedder embedder;
    SearchIndex index;
    auto before = searchFor(fixture.database(), index, embedder, {corpus.at(1).phrase, 3});
    QVERIFY(before);
    QCOMPARE(before.value().hits.first().document, corpus.at(1).name);
    QCOMPARE(index.chunkCount(), currentChunkCount(fixture.database()));

    // Document 1 changes: its new version replaces the old chunks, and the same index follows.
    const QString newPhrase = distinctivePhrase(kDocuments + 5);
    QFile file(corpus.at(1).path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QStringLiteral("A short note. The %1 at noon.").arg(newPhrase).toUtf8());
    file.close();
    failure = runPipelineToEnd(config, {corpus.at(1).path});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));

    auto after = searchFor(fixture.database(), index, embedder, {newPhrase, 3});
    QVERIFY(after);
    QCOMPARE(after.value().hits.first().document, corpus.at(1).name);
    QCOMPARE(index.chunkCount(), currentChunkCount(fixture.database()));
    auto old = searchFor(fixture.database(), index, embedder, {corpus.at(1).phrase, 50, corpus.at(1).name});
    QVERIFY(old);
    for (const SearchHit &hit : old.value().hits)
        QVERIFY2(!hit.text.contains(corpus.at(1).phrase), "a replaced version's chunk was found");
}

QTEST_GUILESS_MAIN(tst_Retrieval)
#include "tst_retrieval.moc"
