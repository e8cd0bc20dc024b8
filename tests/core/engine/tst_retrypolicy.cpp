#include "engine/retrypolicy.h"

#include <QTest>

using namespace Docpipe;

class tst_RetryPolicy final : public QObject
{
    Q_OBJECT
private slots:
    void decide_data();
    void decide();
    void backoffGrowsAndIsCapped();
};

void tst_RetryPolicy::decide_data()
{
    QTest::addColumn<bool>("transient");
    QTest::addColumn<int>("failedBefore");
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::addColumn<bool>("retry");
    QTest::addColumn<qint64>("minDelay");
    QTest::addColumn<qint64>("maxDelay");
    // base 1000 ms, cap 60000 ms, 5 attempts
    QTest::newRow("permanent never retries") << false << 0 << qint64(-1) << false << qint64(0) << qint64(0);
    QTest::newRow("first transient: 0.5-1 s") << true << 0 << qint64(-1) << true << qint64(500) << qint64(1000);
    QTest::newRow("third transient: 2-4 s") << true << 2 << qint64(-1) << true << qint64(2000) << qint64(4000);
    QTest::newRow("fifth failure gives up") << true << 4 << qint64(-1) << false << qint64(0) << qint64(0);
    QTest::newRow("Retry-After honoured") << true << 0 << qint64(7000) << true << qint64(7000) << qint64(7700);
    QTest::newRow("Retry-After capped") << true << 0 << qint64(600000) << true << qint64(60000) << qint64(60000);
}

void tst_RetryPolicy::decide()
{
    QFETCH(bool, transient);
    QFETCH(int, failedBefore);
    QFETCH(qint64, retryAfterMs);
    QFETCH(bool, retry);
    QFETCH(qint64, minDelay);
    QFETCH(qint64, maxDelay);
    RetryConfig config;
    config.maxAttempts = 5;
    config.baseDelayMs = 1000;
    config.maxDelayMs = 60000;
    const RetryPolicy policy(config);
    const StageError error = transient
        ? StageError::transient(QStringLiteral("http_503"), QStringLiteral("x"), retryAfterMs)
        : StageError::permanent(QStringLiteral("corrupt_pdf"), QStringLiteral("x"));
    for (const double random : {0.0, 0.5, 0.999}) {
        const RetryDecision decision = policy.decide(error, failedBefore, random);
        QCOMPARE(decision.retry, retry);
        if (retry) {
            QVERIFY2(decision.delayMs >= minDelay && decision.delayMs <= maxDelay,
                     qPrintable(
                         QStringLiteral("delay %1 not in [%2, %3]").arg(decision.delayMs).arg(minDelay).arg(maxDelay)));
        }
    }
}

void tst_RetryPolicy::backoffGrowsAndIsCapped()
{
    RetryConfig config;
    config.baseDelayMs = 1000;
    config.maxDelayMs = 10000;
    const RetryPolicy policy(config);
    qint64 previous = 0;
    for (int attempt = 1; attempt <= 4; ++attempt) {
        const qint64 delay = policy.backoffMs(attempt, -1, 0.999);
        QVERIFY(delay > previous);
        previous = delay;
    }
    QCOMPARE(policy.backoffMs(30, -1, 0.999), qint64(9995)); // cap 10000 x (0.5 + 0.5 x 0.999)
}

QTEST_GUILESS_MAIN(tst_RetryPolicy)
#include "tst_retrypolicy.moc"
