// What the retrieval test costs: 100,000 current chunks of 384 dimensions (1,000 documents of 100
// chunks) in SQLite and, when DOCPIPE_TEST_PG_URL is set, PostgreSQL; the in-memory index's
// build time and memory, a whole query (sync check, local query embedding, exact scan, texts of
// the 10 found) and its parts, and following one new document. Then the scan alone at 1536
// dimensions (OpenAI's text-embedding-3-small), in memory. Prints figures; not a test.
//     bench_search [chunks, default 100000] [dims, default 384]
#include "search/retrieval.h"
#include "stages/embedding/lexicalhashembedder.h"
#include "stages/embedding/vectorcodec.h"
#include "store/currentvectors.h"
#include "testdatabase.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTextStream>

#include <algorithm>
#include <functional>

using namespace Docpipe;
using namespace Docpipe::Search;

namespace {

constexpr int kChunksPerDocument = 100;
const QString kModel = QStringLiteral("docpipe-lexical-hash-v1");

qint64 rssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

void exec(QSqlQuery &query, const QString &what)
{
    if (!query.exec())
        qFatal("%s: %s", qPrintable(what), qPrintable(query.lastError().text()));
}

// One document (document, source, job) with `chunks` chunks of random unit-length vectors.
void addDocument(const Store::Database &db, int n, int chunks, int dims, QRandomGenerator &random)
{
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral("INSERT INTO documents (sha256, size_bytes, mime_type, created_at) VALUES (:sha, "
                                 "100, 'text/plain', 0)"));
    query.bindValue(QStringLiteral(":sha"), QStringLiteral("sha-%1").arg(n));
    exec(query, QStringLiteral("document"));
    const qint64 documentId = query.lastInsertId().toLongLong();
    query.prepare(QStringLiteral("INSERT INTO sources (source_key, latest_version) VALUES (:key, 1)"));
    query.bindValue(QStringLiteral(":key"), QStringLiteral("/in/doc-%1.txt").arg(n));
    exec(query, QStringLiteral("source"));
    const qint64 sourceId = query.lastInsertId().toLongLong();
    query.prepare(QStringLiteral(
        "INSERT INTO jobs (document_id, name, source_path, stage, status, created_at, updated_at, stage_started_at, "
        "source_id, version) VALUES (:doc, :name, :path, 'embedded', 'done', 0, 0, 0, :source, 1)"));
    query.bindValue(QStringLiteral(":doc"), documentId);
    query.bindValue(QStringLiteral(":name"), QStringLiteral("doc-%1.txt").arg(n));
    query.bindValue(QStringLiteral(":path"), QStringLiteral("/in/doc-%1.txt").arg(n));
    query.bindValue(QStringLiteral(":source"), sourceId);
    exec(query, QStringLiteral("job"));
    const qint64 jobId = query.lastInsertId().toLongLong();
    query.prepare(QStringLiteral("UPDATE sources SET current_job_id = :job WHERE id = :source"));
    query.bindValue(QStringLiteral(":job"), jobId);
    query.bindValue(QStringLiteral(":source"), sourceId);
    exec(query, QStringLiteral("current"));

    query.prepare(QStringLiteral(
        "INSERT INTO chunks (job_id, document_id, idx, text, tokens, page_start, page_end, char_start, char_end, "
        "model, dims, vector, created_at) VALUES (:job, :doc, :idx, :text, 400, 1, 1, 0, 1800, :model, :dims, "
        ":vector, 0)"));
    const QString text = QStringLiteral("A chunk of about four hundred tokens of ordinary prose. ").repeated(32);
    Vector vector(dims);
    for (int i = 0; i < chunks; ++i) {
        for (float &x : vector)
            x = float(random.generateDouble() * 2 - 1);
        query.bindValue(QStringLiteral(":job"), jobId);
        query.bindValue(QStringLiteral(":doc"), documentId);
        query.bindValue(QStringLiteral(":idx"), i);
        query.bindValue(QStringLiteral(":text"), text);
        query.bindValue(QStringLiteral(":model"), kModel);
        query.bindValue(QStringLiteral(":dims"), dims);
        query.bindValue(QStringLiteral(":vector"), Stages::encodeVector(vector));
        exec(query, QStringLiteral("chunk"));
    }
}

double ms(const std::function<void()> &work)
{
    QElapsedTimer timer;
    timer.start();
    work();
    return double(timer.nsecsElapsed()) / 1e6;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

QString fixed(double value, int decimals = 1)
{
    return QString::number(value, 'f', decimals);
}

void benchDatabase(const QString &backend, int chunks, int dims, QTextStream &out)
{
    Test::TestDatabase fixture(backend);
    if (!fixture.isReady()) {
        out << backend << ": skipped (" << fixture.skipReason() << ")\n";
        return;
    }
    const Store::Database db = fixture.database();
    QRandomGenerator random(1);
    const int documents = std::max(1, chunks / kChunksPerDocument);
    const double fillMs = ms([&] {
        Store::Transaction tx(db);
        for (int n = 0; n < documents; ++n)
            addDocument(db, n, kChunksPerDocument, dims, random);
        tx.commit();
    });
    out << backend << ": " << documents * kChunksPerDocument << " chunks of " << dims << " dimensions (filled in "
        << fixed(fillMs / 1000, 1) << " s)\n";

    SearchIndex index;
    const qint64 rssBefore = rssKb();
    const double bareScanMs
        = ms([&] { (void)Store::forEachChunkVector(db, std::nullopt, [](const Store::ChunkVectorRow &) {}); });
    const double buildMs = ms([&] {
        if (!index.sync(db))
            qFatal("sync failed");
    });
    out << "  index build (first sync): " << fixed(buildMs) << " ms, " << fixed(index.vectors().memoryBytes() / 1e6)
        << " MB held, RSS +" << fixed((rssKb() - rssBefore) / 1024.0) << " MB; a bare scan of the vectors, just before "
        << fixed(bareScanMs) << " ms\n";

    QList<double> syncMs, scanMs, wholeMs;
    Stages::LexicalHashEmbedder embedder(dims);
    for (int i = 0; i < 15; ++i) {
        syncMs << ms([&] { (void)index.sync(db); });
        const Vector query = embedder.embedText(QStringLiteral("ordinary prose number %1").arg(i));
        const std::vector<float> q(query.cbegin(), query.cend());
        scanMs << ms([&] { (void)index.vectors().nearest(kModel, q, 10); });
        wholeMs << ms([&] {
            auto answer = search(db, index, embedder, {QStringLiteral("ordinary prose number %1").arg(i), 10});
            if (!answer || answer.value().hits.size() != 10)
                qFatal("search failed");
        });
    }
    out << "  whole query (sync check + embed + scan + 10 texts): median " << fixed(median(wholeMs)) << " ms\n"
        << "    of which sync check (nothing changed): median " << fixed(median(syncMs)) << " ms\n"
        << "    of which exact scan, top 10: median " << fixed(median(scanMs)) << " ms\n";

    const double addMs = ms([&] {
        Store::Transaction tx(db);
        addDocument(db, documents, kChunksPerDocument, dims, random);
        tx.commit();
    });
    SyncReport report;
    const double followMs = ms([&] { report = index.sync(db).value(); });
    out << "  one new document of " << kChunksPerDocument << " chunks (stored in " << fixed(addMs) << " ms): next sync "
        << fixed(followMs) << " ms, read " << report.chunksRead << " chunk(s)\n";
    out.flush();
    db.closeThreadConnection();
}

void benchScanOnly(int chunks, int dims, QTextStream &out)
{
    QRandomGenerator random(2);
    VectorIndex index;
    std::vector<float> vector(static_cast<size_t>(dims));
    const double buildMs = ms([&] {
        for (int i = 0; i < chunks; ++i) {
            for (float &x : vector)
                x = float(random.generateDouble() * 2 - 1);
            index.add(kModel, dims, {i, i / kChunksPerDocument, i % kChunksPerDocument, 1, 1}, vector.data());
        }
    });
    QList<double> scanMs;
    for (int i = 0; i < 15; ++i) {
        for (float &x : vector)
            x = float(random.generateDouble() * 2 - 1);
        scanMs << ms([&] { (void)index.nearest(kModel, vector, 10); });
    }
    out << "in memory, " << chunks << " chunks of " << dims << " dimensions: " << fixed(index.memoryBytes() / 1e6)
        << " MB, added in " << fixed(buildMs) << " ms; exact scan, top 10: median " << fixed(median(scanMs)) << " ms\n";
    out.flush();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int chunks = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 100000;
    const int dims = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 384;
    QTextStream out(stdout);
    for (const char *backend : {"sqlite", "postgres"})
        benchDatabase(QString::fromLatin1(backend), chunks, dims, out);
    benchScanOnly(chunks, 384, out);
    benchScanOnly(chunks, 1536, out);
    return 0;
}
