// The building blocks of the dashboard's metrics: the bucket ring, percentiles, the reservoir.
#include "metrics/bucketring.h"
#include "metrics/percentile.h"

#include <QTest>

using namespace Docpipe::Metrics;

class tst_MetricsBuffers final : public QObject
{
    Q_OBJECT
private slots:
    void percentileIsNearestRank_data();
    void percentileIsNearestRank();
    void ringKeepsTheNewestBuckets();
    void ringFloorsTimesBeforeTheEpoch();
    void reservoirIsExactUntilFullThenBounded();
};

void tst_MetricsBuffers::percentileIsNearestRank_data()
{
    QTest::addColumn<QList<qint64>>("values");
    QTest::addColumn<double>("p");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("empty") << QList<qint64>{} << 50.0 << qint64(-1);
    QTest::newRow("one value p50") << QList<qint64>{7} << 50.0 << qint64(7);
    QTest::newRow("one value p95") << QList<qint64>{7} << 95.0 << qint64(7);
    QTest::newRow("ten p50") << QList<qint64>{1000, 100, 900, 200, 800, 300, 700, 400, 600, 500} << 50.0 << qint64(500);
    QTest::newRow("ten p95") << QList<qint64>{1000, 100, 900, 200, 800, 300, 700, 400, 600, 500} << 95.0
                             << qint64(1000);
    QTest::newRow("ten p90") << QList<qint64>{1000, 100, 900, 200, 800, 300, 700, 400, 600, 500} << 90.0 << qint64(900);
    QTest::newRow("four p50") << QList<qint64>{4, 1, 3, 2} << 50.0 << qint64(2);
    QTest::newRow("duplicates") << QList<qint64>{5, 5, 5, 9} << 50.0 << qint64(5);
    QTest::newRow("p100 is the maximum") << QList<qint64>{3, 8, 1} << 100.0 << qint64(8);
}

void tst_MetricsBuffers::percentileIsNearestRank()
{
    QFETCH(QList<qint64>, values);
    QFETCH(double, p);
    QFETCH(qint64, expected);
    QCOMPARE(percentile(values, p), expected);
}

void tst_MetricsBuffers::ringKeepsTheNewestBuckets()
{
    BucketRing<int> ring(1000, 4);
    *ring.slotFor(500) = 1; // bucket 0
    *ring.slotFor(1999) += 2; // bucket 1
    *ring.slotFor(1000) += 3; // bucket 1 again
    QCOMPARE(*ring.find(0), 1);
    QCOMPARE(*ring.find(1), 5);
    QVERIFY(!ring.find(2));

    QVERIFY(ring.slotFor(4200)); // bucket 4 takes bucket 0's slot, emptied
    QCOMPARE(*ring.slotFor(4200), 0);
    QVERIFY(!ring.find(0));
    QVERIFY(!ring.slotFor(100)); // bucket 0 has slid out: its slot holds a newer bucket

    QList<qint64> starts;
    QList<int> values;
    ring.forEach(4, 4, [&](qint64 start, const int *value) {
        starts << start;
        values << (value ? *value : -1);
    });
    QCOMPARE(starts, (QList<qint64>{1000, 2000, 3000, 4000}));
    QCOMPARE(values, (QList<int>{5, -1, -1, 0}));
}

void tst_MetricsBuffers::ringFloorsTimesBeforeTheEpoch()
{
    BucketRing<int> ring(1000, 3);
    QCOMPARE(ring.bucketOf(-1), qint64(-1));
    QCOMPARE(ring.bucketOf(-1000), qint64(-1));
    QCOMPARE(ring.bucketOf(-1001), qint64(-2));
    QCOMPARE(ring.bucketOf(999), qint64(0));
    *ring.slotFor(-1) = 4;
    QCOMPARE(*ring.find(-1), 4);
}

void tst_MetricsBuffers::reservoirIsExactUntilFullThenBounded()
{
    SampleReservoir exact(8);
    for (qint64 v = 1; v <= 8; ++v)
        exact.add(v);
    QCOMPARE(exact.values(), (QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8}));

    SampleReservoir bounded(256);
    for (qint64 v = 1; v <= 100000; ++v)
        bounded.add(v);
    QCOMPARE(bounded.values().size(), 256);
    QCOMPARE(bounded.seen(), qint64(100000));
    // A fair sample of 1..100000: its median lies near 50000 (deterministic, so no flakiness).
    const qint64 median = percentile(bounded.values(), 50);
    QVERIFY2(median > 40000 && median < 60000, qPrintable(QString::number(median)));
    // Later values were kept too, not just the first ones.
    QVERIFY(std::any_of(bounded.values().begin(), bounded.values().end(), [](qint64 v) { return v > 90000; }));
}

QTEST_GUILESS_MAIN(tst_MetricsBuffers)
#include "tst_metricsbuffers.moc"
