// encodeVector/decodeVector: exact round trips and rejection of blobs that are not vectors.
#include "stages/embedding/vectorcodec.h"

#include <QTest>

#include <limits>

using Docpipe::Vector;
using namespace Docpipe::Stages;

class TestVectorCodec final : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void isLittleEndianFloat32();
    void rejectsBadBlobs_data();
    void rejectsBadBlobs();
    void base64();
};

void TestVectorCodec::roundTrip_data()
{
    QTest::addColumn<Vector>("vector");
    QTest::newRow("one") << Vector{1.0f};
    QTest::newRow("mixed") << Vector{
        0.0f, -0.0f, 1.5f, -2.25f, 1e-30f, 3.4e38f, std::numeric_limits<float>::denorm_min()};
    Vector big(3072);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = float(i) / 3.0f - 500.0f;
    QTest::newRow("3072") << big;
}

void TestVectorCodec::roundTrip()
{
    QFETCH(Vector, vector);
    const QByteArray bytes = encodeVector(vector);
    QCOMPARE(bytes.size(), vector.size() * 4);
    const auto decoded = decodeVector(bytes, int(vector.size()));
    QVERIFY(decoded.ok());
    QCOMPARE(decoded.value(), vector);
    QVERIFY(decodeVector(bytes).ok());
}

void TestVectorCodec::isLittleEndianFloat32()
{
    QCOMPARE(encodeVector({1.0f}), QByteArray::fromHex("0000803f"));
    QCOMPARE(decodeVector(QByteArray::fromHex("000000c0")).value(), Vector{-2.0f});
}

void TestVectorCodec::rejectsBadBlobs_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("expectedDimensions");
    QTest::newRow("empty") << QByteArray() << 0;
    QTest::newRow("not a multiple of 4") << QByteArray(7, '\0') << 0;
    QTest::newRow("wrong dimensions") << QByteArray(12, '\0') << 4;
    QTest::newRow("NaN") << QByteArray::fromHex("0000803f0000c07f") << 2;
    QTest::newRow("infinity") << QByteArray::fromHex("0000807f") << 1;
    QTest::newRow("minus infinity") << QByteArray::fromHex("000080ff") << 0;
}

void TestVectorCodec::rejectsBadBlobs()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, expectedDimensions);
    const auto decoded = decodeVector(bytes, expectedDimensions);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().code, QStringLiteral("bad_vector"));
    QVERIFY(!decoded.error().isTransient());
    QVERIFY(!decoded.error().message.isEmpty());
}

void TestVectorCodec::base64()
{
    const Vector vector{0.25f, -1.0f, 42.0f};
    const auto decoded = decodeVectorBase64(encodeVector(vector).toBase64(), 3);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded.value(), vector);
    QVERIFY(!decodeVectorBase64("not base64!!", 0).ok());
    QVERIFY(!decodeVectorBase64(encodeVector(vector).toBase64(), 4).ok());
}

QTEST_GUILESS_MAIN(TestVectorCodec)
#include "tst_vectorcodec.moc"
