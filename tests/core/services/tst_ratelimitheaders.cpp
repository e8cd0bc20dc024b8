// What servers say about their limits, read the way OpenAI's SDK reads it: Go durations,
// Retry-After in seconds or as a date, retry-after-ms first, the "try again in" sentence.
#include "services/ratelimitheaders.h"
#include "services/ratewindow.h"

#include <QDateTime>
#include <QTest>

using namespace Docpipe::Services;

class tst_RateLimitHeaders final : public QObject
{
    Q_OBJECT
private slots:
    void goDurations_data();
    void goDurations();
    void formatsWhatItParses_data();
    void formatsWhatItParses();
    void retryAfter_data();
    void retryAfter();
    void retryAfterMsWinsOverRetryAfter();
    void openAiHeaders();
    void messageSaysWhen_data();
    void messageSaysWhen();
    void windowFitsAndRefills();
    void clientMayStartAnOversizedRequestOnlyWhenFull();
};

void tst_RateLimitHeaders::goDurations_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("ms") << QByteArray("176ms") << qint64(176);
    QTest::newRow("seconds") << QByteArray("1s") << qint64(1000);
    QTest::newRow("fraction") << QByteArray("1.5s") << qint64(1500);
    QTest::newRow("minutes and seconds") << QByteArray("6m0s") << qint64(360000);
    QTest::newRow("hours") << QByteArray("2h1m") << qint64(7260000);
    QTest::newRow("microseconds round up") << QByteArray("500us") << qint64(1);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("spaces") << QByteArray(" 20s ") << qint64(20000);
    QTest::newRow("no unit") << QByteArray("12") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    QTest::newRow("trailing garbage") << QByteArray("1s!") << qint64(-1);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
}

void tst_RateLimitHeaders::goDurations()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, ms);
    QCOMPARE(parseGoDuration(text), ms);
}

void tst_RateLimitHeaders::formatsWhatItParses_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("zero") << qint64(0) << QByteArray("0s");
    QTest::newRow("ms") << qint64(176) << QByteArray("176ms");
    QTest::newRow("seconds") << qint64(1500) << QByteArray("1.5s");
    QTest::newRow("minutes") << qint64(360000) << QByteArray("6m0s");
    QTest::newRow("hours") << qint64(3723000) << QByteArray("1h2m3s");
}

void tst_RateLimitHeaders::formatsWhatItParses()
{
    QFETCH(qint64, ms);
    QFETCH(QByteArray, text);
    QCOMPARE(formatGoDuration(ms), text);
    QCOMPARE(parseGoDuration(formatGoDuration(ms)), ms);
}

void tst_RateLimitHeaders::retryAfter_data()
{
    const qint64 now = QDateTime(QDate(2026, 3, 1), QTime(12, 0, 0), Qt::UTC).toMSecsSinceEpoch();
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("seconds") << QByteArray("20") << now << qint64(20000);
    QTest::newRow("fractional seconds") << QByteArray("0.25") << now << qint64(250);
    QTest::newRow("http date") << QByteArray("Sun, 01 Mar 2026 12:00:30 GMT") << now << qint64(30000);
    QTest::newRow("date in the past") << QByteArray("Sun, 01 Mar 2026 11:00:00 GMT") << now << qint64(0);
    QTest::newRow("negative") << QByteArray("-3") << now << qint64(-1);
    QTest::newRow("garbage") << QByteArray("later") << now << qint64(-1);
    QTest::newRow("absent") << QByteArray() << now << qint64(-1);
}

void tst_RateLimitHeaders::retryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, now);
    QFETCH(qint64, ms);
    QCOMPARE(parseRetryAfter(value, now), ms);
}

void tst_RateLimitHeaders::retryAfterMsWinsOverRetryAfter()
{
    const RateLimitInfo info = parseRateLimitHeaders({{"Retry-After", "2"}, {"retry-after-ms", "176.5"}});
    QCOMPARE(info.retryAfterMs, qint64(177));
    QCOMPARE(parseRateLimitHeaders({{"RETRY-AFTER", "2"}}).retryAfterMs, qint64(2000));
}

void tst_RateLimitHeaders::openAiHeaders()
{
    const RateLimitInfo info = parseRateLimitHeaders({{"x-ratelimit-limit-requests", "3000"},
                                                      {"x-ratelimit-limit-tokens", "1000000"},
                                                      {"x-ratelimit-remaining-requests", "2999"},
                                                      {"x-ratelimit-remaining-tokens", "999500"},
                                                      {"x-ratelimit-reset-requests", "20ms"},
                                                      {"x-ratelimit-reset-tokens", "30ms"}});
    QCOMPARE(info.limitRequests, qint64(3000));
    QCOMPARE(info.limitTokens, qint64(1000000));
    QCOMPARE(info.remainingRequests, qint64(2999));
    QCOMPARE(info.remainingTokens, qint64(999500));
    QCOMPARE(info.resetRequestsMs, qint64(20));
    QCOMPARE(info.resetTokensMs, qint64(30));
    QCOMPARE(info.retryAfterMs, qint64(-1));
    QVERIFY(!parseRateLimitHeaders({{"content-type", "application/json"}}).saysAnything());
}

void tst_RateLimitHeaders::messageSaysWhen_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("openai tpm") << QStringLiteral(
        "Rate limit reached for text-embedding-3-small in organization org-x on tokens per min (TPM): "
        "Limit 1000000, Used 999000, Requested 2000. Please try again in 176ms. Visit ...")
                                << qint64(176);
    QTest::newRow("seconds") << QStringLiteral("Please try again in 1.5s.") << qint64(1500);
    QTest::newRow("minutes") << QStringLiteral("Please try again in 6m0s.") << qint64(360000);
    QTest::newRow("nothing") << QStringLiteral("You exceeded your current quota.") << qint64(-1);
}

void tst_RateLimitHeaders::messageSaysWhen()
{
    QFETCH(QString, message);
    QFETCH(qint64, ms);
    QCOMPARE(retryAfterFromMessage(message), ms);
}

void tst_RateLimitHeaders::windowFitsAndRefills()
{
    // 600 per minute with 1 s of allowance: 10 at once, then one per 100 ms.
    RateWindow window{600, 1000, 0};
    QCOMPARE(window.capacity(), 10.0);
    for (int i = 0; i < 10; ++i) {
        QVERIFY2(window.fits(0, 1), qPrintable(QString::number(i)));
        window.charge(0, 1);
    }
    QVERIFY(!window.fits(0, 1));
    QCOMPARE(window.remaining(0), 0.0);
    QCOMPARE(window.backlogMs(0), 1000.0);
    QCOMPARE(window.earliest(0, 1), 100.0);
    QVERIFY(window.fits(100, 1));
    QCOMPARE(window.remaining(500), 5.0);
    QVERIFY(!window.fits(500, 6));
    window.adjust(-2); // the server counted two fewer
    QCOMPARE(window.backlogMs(0), 800.0);
    QVERIFY(RateWindow{}.fits(0, 1e9)); // unlimited
}

void tst_RateLimitHeaders::clientMayStartAnOversizedRequestOnlyWhenFull()
{
    RateWindow window{600, 1000, 0};
    QVERIFY(!window.fits(0, 20)); // the server never takes it at once
    QCOMPARE(window.earliest(0, 20), 0.0); // the client sends it into a full bucket
    window.charge(0, 20);
    QCOMPARE(window.earliest(0, 1), 1100.0); // and then waits its cost out
}

QTEST_GUILESS_MAIN(tst_RateLimitHeaders)
#include "tst_ratelimitheaders.moc"
