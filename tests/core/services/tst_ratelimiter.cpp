// The client's rate limiter, alone and against the mock: it paces every thread together to
// just under the limit it was given or learnt, sends nothing blind before the server has
// answered once, holds every caller through a Retry-After, and so, after a 429, sends nothing the
// server would refuse.
#include "services/openaiembedder.h"
#include "services/ratelimiter.h"
#include "servicetesthelpers.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QJsonArray>
#include <QMutex>
#include <QtConcurrent/QtConcurrentRun>
#include <QThreadPool>

#include <algorithm>
#include <atomic>

using namespace Docpipe;
using namespace Docpipe::Services;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

bool allFinished(const QList<QFuture<void>> &futures)
{
    return std::all_of(futures.cbegin(), futures.cend(), [](const QFuture<void> &f) { return f.isFinished(); });
}

// Acquires `perThread` permits on each of `threads` threads; returns when each was granted.
QList<double> grantTimes(RateLimiter &limiter, int threads, int perThread)
{
    QMutex mutex;
    QList<double> times;
    QThreadPool pool;
    pool.setMaxThreadCount(threads);
    QList<QFuture<void>> futures;
    for (int t = 0; t < threads; ++t) {
        futures << QtConcurrent::run(&pool, [&] {
            for (int i = 0; i < perThread; ++i) {
                const auto permit = limiter.acquire(0, {});
                const QMutexLocker locker(&mutex);
                times << RateLimiter::nowMs();
            }
        });
    }
    if (!QTest::qWaitFor([&] { return allFinished(futures); }, 60000))
        qFatal("permits were not granted");
    std::sort(times.begin(), times.end());
    return times;
}

int mostInAnyWindow(const QList<double> &times, double windowMs)
{
    int most = 0;
    for (qsizetype i = 0; i < times.size(); ++i) {
        const auto end = std::lower_bound(times.cbegin() + i, times.cend(), times.at(i) + windowMs);
        most = std::max(most, int(end - (times.cbegin() + i)));
    }
    return most;
}

} // namespace

class tst_RateLimiter final : public QObject
{
    Q_OBJECT
private slots:
    void pacesEveryThreadTogether();
    void firstRequestGoesAlone();
    void retryAfterHoldsEveryCaller();
    void followsWhatTheServerSaysIsLeft();
    void cancelledWhileWaiting();
    void learnsTheLimitFromTheServer();
    void afterA429NothingTheServerWouldRefuse();
    void oneLimiterPerEndpoint();
};

void tst_RateLimiter::pacesEveryThreadTogether()
{
    RateLimiter limiter({600, 0});
    limiter.observe({}); // the server has answered once: no more probing
    QElapsedTimer timer;
    timer.start();
    const QList<double> times = grantTimes(limiter, 3, 10);
    // 600/min less the headroom is 9.5/s, with one second's allowance at once.
    QVERIFY2(timer.elapsed() >= 1900, qPrintable(QString::number(timer.elapsed())));
    // A bucket of one second's allowance: at most 9.5 + 9.5 per second in any window.
    for (const double window : {500.0, 1000.0, 2000.0}) {
        const int most = mostInAnyWindow(times, window);
        QVERIFY2(most <= int(9.5 + 9.5 * window / 1000.0) + 1, qPrintable(u"%1 in %2 ms"_s.arg(most).arg(window)));
    }
    QCOMPARE(limiter.effectiveLimits().requestsPerMinute, 600 * RateLimiter::kHeadroom);
}

void tst_RateLimiter::firstRequestGoesAlone()
{
    RateLimiter limiter;
    std::optional<RateLimiter::Permit> first = limiter.acquire(0, {});
    QVERIFY(first);
    std::atomic<bool> secondGranted{false};
    QThreadPool pool;
    QFuture<void> second = QtConcurrent::run(&pool, [&] {
        const auto permit = limiter.acquire(0, {});
        secondGranted = true;
    });
    QVERIFY(!QTest::qWaitFor([&] { return secondGranted.load(); }, 300));
    limiter.observe({});
    first.reset();
    QVERIFY(QTest::qWaitFor([&] { return secondGranted.load(); }, 2000));
    QVERIFY(QTest::qWaitFor([&] { return second.isFinished(); }, 2000));
}

void tst_RateLimiter::retryAfterHoldsEveryCaller()
{
    RateLimiter limiter;
    limiter.observe({});
    const double blockedAt = RateLimiter::nowMs();
    limiter.rateLimited(600);
    const QList<double> times = grantTimes(limiter, 3, 1);
    for (const double granted : times)
        QVERIFY2(granted - blockedAt >= 599, qPrintable(QString::number(granted - blockedAt)));
}

void tst_RateLimiter::followsWhatTheServerSaysIsLeft()
{
    RateLimiter limiter;
    RateLimitInfo info;
    info.limitRequests = 600;
    info.remainingRequests = 0;
    info.resetRequestsMs = 1000;
    const double now = RateLimiter::nowMs();
    limiter.observe(info);
    const auto permit = limiter.acquire(0, {});
    QVERIFY2(RateLimiter::nowMs() - now >= 90, qPrintable(QString::number(RateLimiter::nowMs() - now)));
}

void tst_RateLimiter::cancelledWhileWaiting()
{
    RateLimiter limiter;
    limiter.observe({});
    limiter.rateLimited(60000);
    QElapsedTimer timer;
    timer.start();
    const auto permit = limiter.acquire(0, [&timer] { return timer.elapsed() > 100; });
    QVERIFY(!permit);
    QVERIFY(timer.elapsed() < 5000);
}

void tst_RateLimiter::learnsTheLimitFromTheServer()
{
    MockServerOptions options;
    options.requestsPerMinute = 600;
    options.burstSeconds = 1; // ten at once, then one per 100 ms
    const auto mock = startMock(options);
    const OpenAiEmbedder embedder(embedderConfig(*mock)); // no limits configured
    QThreadPool pool;
    pool.setMaxThreadCount(4);
    QList<QFuture<void>> futures;
    std::atomic<int> failures{0};
    QElapsedTimer timer;
    timer.start();
    for (int t = 0; t < 4; ++t) {
        futures << QtConcurrent::run(&pool, [&] {
            for (int i = 0; i < 10; ++i) {
                if (!embedder.embed({u"text %1"_s.arg(i)}, {}).ok())
                    ++failures;
            }
        });
    }
    QVERIFY(QTest::qWaitFor([&] { return allFinished(futures); }, 60000));
    QCOMPARE(failures.load(), 0);
    QCOMPARE(mock->stats().rateLimited, 0);
    QCOMPARE(mock->stats().requests, 40);
    QVERIFY2(timer.elapsed() >= 2500, qPrintable(QString::number(timer.elapsed()))); // the limit bound the run
}

void tst_RateLimiter::afterA429NothingTheServerWouldRefuse()
{
    MockServerOptions options;
    options.requestsPerMinute = 1200;
    options.burstSeconds = 1;
    const auto mock = startMock(options);
    mock->setFaults(QJsonArray{QJsonObject{{u"fault"_s, u"http_429"_s}, {u"count"_s, 1}, {u"retry_after_ms"_s, 800}}});
    const OpenAiEmbedder embedder(embedderConfig(*mock));
    QThreadPool pool;
    pool.setMaxThreadCount(4);
    QList<QFuture<void>> futures;
    std::atomic<int> retried{0};
    for (int t = 0; t < 4; ++t) {
        futures << QtConcurrent::run(&pool, [&, t] {
            for (int i = 0; i < 10; ++i) {
                // As the engine does: a transient error is tried again.
                while (!embedder.embed({u"thread %1 text %2"_s.arg(t).arg(i)}, {}).ok())
                    ++retried;
            }
        });
    }
    QVERIFY(QTest::qWaitFor([&] { return allFinished(futures); }, 60000));
    const MockStats stats = mock->stats();
    QCOMPARE(stats.byStatus.value(429), 1);
    QCOMPARE(stats.refusedAfterFirst429, 0);
    QCOMPARE(stats.rateLimited, 0);
    QCOMPARE(retried.load(), 1);
    QCOMPARE(stats.embeddedInputs, 40);
}

void tst_RateLimiter::oneLimiterPerEndpoint()
{
    const auto a = RateLimiter::forEndpoint(u"http://h:1/v1/embeddings"_s, {100, 0});
    const auto b = RateLimiter::forEndpoint(u"http://h:1/v1/embeddings"_s, {200, 0});
    const auto c = RateLimiter::forEndpoint(u"http://h:2/v1/embeddings"_s, {100, 0});
    QCOMPARE(a.get(), b.get());
    QVERIFY(a.get() != c.get());
    QCOMPARE(a->effectiveLimits().requestsPerMinute, 200 * RateLimiter::kHeadroom);
}

QTEST_GUILESS_MAIN(tst_RateLimiter)
#include "tst_ratelimiter.moc"
