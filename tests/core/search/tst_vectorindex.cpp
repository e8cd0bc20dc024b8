// The in-memory vector index: the nearest rows by cosine similarity, exactly as a brute-force
// ranking gives them, best first; spaces of different models or dimensions never mix; dropping a
// job's rows leaves the others intact.
#include "search/vectorindex.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace Docpipe::Search;
using namespace Qt::Literals::StringLiterals;

namespace {

std::vector<float> randomVector(QRandomGenerator &random, int dims)
{
    std::vector<float> v(static_cast<size_t>(dims));
    for (float &x : v)
        x = float(random.generateDouble() * 2 - 1);
    return v;
}

double cosine(const std::vector<float> &a, const std::vector<float> &b)
{
    double dot = 0, na = 0, nb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        dot += double(a[i]) * b[i];
        na += double(a[i]) * a[i];
        nb += double(b[i]) * b[i];
    }
    return dot / std::sqrt(na * nb);
}

} // namespace

class tst_VectorIndex final : public QObject
{
    Q_OBJECT
private slots:
    void nearestMatchesBruteForce_data();
    void nearestMatchesBruteForce();
    void scaleDoesNotMatter();
    void spacesStayApart();
    void removeJobsKeepsTheRest();
    void onlyJobsFilters();
};

void tst_VectorIndex::nearestMatchesBruteForce_data()
{
    QTest::addColumn<int>("dims");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("k");
    QTest::newRow("384 dims, k 10") << 384 << 2000 << 10;
    QTest::newRow("odd dims (tail loop)") << 13 << 500 << 7;
    QTest::newRow("k above rows") << 16 << 5 << 10;
}

void tst_VectorIndex::nearestMatchesBruteForce()
{
    QFETCH(int, dims);
    QFETCH(int, rows);
    QFETCH(int, k);
    QRandomGenerator random(42);
    VectorIndex index;
    std::vector<std::vector<float>> stored;
    for (int i = 0; i < rows; ++i) {
        stored.push_back(randomVector(random, dims));
        index.add(u"m"_s, dims, {i + 1, i % 17, i, 1, 1}, stored.back().data());
    }
    const std::vector<float> query = randomVector(random, dims);
    std::vector<std::pair<double, qint64>> expected;
    for (int i = 0; i < rows; ++i)
        expected.emplace_back(cosine(query, stored[size_t(i)]), i + 1);
    std::sort(expected.begin(), expected.end(), [](auto a, auto b) { return a.first > b.first; });

    const QList<Hit> hits = index.nearest(u"m"_s, query, k);
    QCOMPARE(hits.size(), std::min(k, rows));
    for (int i = 0; i < hits.size(); ++i) {
        QCOMPARE(hits.at(i).chunk.chunkId, expected[size_t(i)].second);
        QVERIFY(std::abs(hits.at(i).score - expected[size_t(i)].first) < 1e-4);
    }
}

void tst_VectorIndex::scaleDoesNotMatter()
{
    VectorIndex index;
    const std::vector<float> a{3, 4};
    const std::vector<float> b{100, 0};
    index.add(u"m"_s, 2, {1, 1, 0, 1, 1}, a.data());
    index.add(u"m"_s, 2, {2, 2, 0, 1, 1}, b.data());
    const QList<Hit> hits = index.nearest(u"m"_s, {0.3f, 0.4f}, 2);
    QCOMPARE(hits.size(), 2);
    QCOMPARE(hits.at(0).chunk.chunkId, 1);
    QVERIFY(std::abs(hits.at(0).score - 1.0f) < 1e-6);
    QVERIFY(std::abs(hits.at(1).score - 0.6f) < 1e-6);
}

void tst_VectorIndex::spacesStayApart()
{
    VectorIndex index;
    const std::vector<float> v2{1, 0};
    const std::vector<float> v3{1, 0, 0};
    index.add(u"small"_s, 2, {1, 1, 0, 1, 1}, v2.data());
    index.add(u"small"_s, 3, {2, 2, 0, 1, 1}, v3.data());
    index.add(u"large"_s, 2, {3, 3, 0, 1, 1}, v2.data());
    QCOMPARE(index.spaces().size(), 3);
    QCOMPARE(index.size(), 3);
    const QList<Hit> hits = index.nearest(u"small"_s, {1, 0}, 10);
    QCOMPARE(hits.size(), 1);
    QCOMPARE(hits.at(0).chunk.chunkId, 1);
    QVERIFY(index.nearest(u"other"_s, {1, 0}, 10).isEmpty());
}

void tst_VectorIndex::removeJobsKeepsTheRest()
{
    QRandomGenerator random(7);
    VectorIndex index;
    std::vector<std::vector<float>> stored;
    for (int i = 0; i < 300; ++i) {
        stored.push_back(randomVector(random, 8));
        index.add(u"m"_s, 8, {i, i % 3, i, 1, 1}, stored.back().data());
    }
    index.removeJobs({1});
    QCOMPARE(index.size(), 200);
    // Every surviving row still scores exactly against its own vector: rows and values moved together.
    for (int i = 0; i < 300; i += 29) {
        const QList<Hit> hits = index.nearest(u"m"_s, stored[size_t(i)], 1);
        QCOMPARE(hits.size(), 1);
        if (i % 3 == 1) {
            QVERIFY(hits.at(0).chunk.chunkId != i);
        } else {
            QCOMPARE(hits.at(0).chunk.chunkId, i);
            QVERIFY(std::abs(hits.at(0).score - 1.0f) < 1e-5);
        }
    }
    index.removeJobs({0, 2});
    QCOMPARE(index.size(), 0);
    QVERIFY(index.spaces().isEmpty());
    QCOMPARE(index.memoryBytes(), 0);
}

void tst_VectorIndex::onlyJobsFilters()
{
    VectorIndex index;
    const std::vector<float> best{1, 0};
    const std::vector<float> worse{1, 1};
    index.add(u"m"_s, 2, {1, 10, 0, 1, 1}, best.data());
    index.add(u"m"_s, 2, {2, 20, 0, 1, 1}, worse.data());
    const QList<Hit> hits = index.nearest(u"m"_s, {1, 0}, 5, {20});
    QCOMPARE(hits.size(), 1);
    QCOMPARE(hits.at(0).chunk.jobId, 20);
}

QTEST_GUILESS_MAIN(tst_VectorIndex)
#include "tst_vectorindex.moc"
