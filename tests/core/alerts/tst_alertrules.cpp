// The alert rules as plain functions: thresholds at their edges, and the queue trend.
#include "alerts/alertrules.h"

#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Alerts;
using namespace Qt::Literals::StringLiterals;

namespace {

bool fires(const Verdicts &v, const QString &key)
{
    for (const AlertCondition &c : v.firing) {
        if (c.key == key)
            return true;
    }
    return false;
}

RuleInputs calm()
{
    RuleInputs in;
    in.fleet.now = 10'000'000;
    in.fleet.liveWorkers = 1;
    in.host = QStringLiteral("host-a");
    return in;
}

} // namespace

class TestAlertRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void failureRate_data()
    {
        QTest::addColumn<int>("failed");
        QTest::addColumn<int>("ended");
        QTest::addColumn<bool>("fires");
        QTest::newRow("5 of 24: over 20%") << 5 << 24 << true;
        QTest::newRow("5 of 25: exactly 20% is not over") << 5 << 25 << false;
        QTest::newRow("4 of 4: fewer than 5 failures") << 4 << 4 << false;
        QTest::newRow("50 of 100") << 50 << 100 << true;
        QTest::newRow("nothing ended") << 0 << 0 << false;
    }
    void failureRate()
    {
        QFETCH(int, failed);
        QFETCH(int, ended);
        QFETCH(bool, fires);
        RuleInputs in = calm();
        in.fleet.failedJobs = failed;
        in.fleet.endedJobs = ended;
        const Verdicts v = evaluateRules(in, AlertsConfig{});
        QCOMPARE(::fires(v, u"failure_rate"_s), fires);
        QCOMPARE(v.clear.contains(u"failure_rate"_s), !fires);
    }

    void everyRuleClearWhenCalm()
    {
        RuleInputs in = calm();
        in.disks = {{QStringLiteral("/"), 50LL << 30, 100LL << 30}};
        in.queueGrowing = {{Stage::Parsing, false}, {Stage::Chunking, false}, {Stage::Embedding, std::nullopt}};
        const Verdicts v = evaluateRules(in, AlertsConfig{});
        QVERIFY(v.firing.isEmpty());
        QVERIFY(v.clear.contains(u"no_live_worker"_s));
        QVERIFY(v.clear.contains(u"disk_low@host-a:/"_s));
        QVERIFY(v.clear.contains(u"queue_growing:parsing"_s));
        // A queue not watched for long enough is neither firing nor clear: another worker may know.
        QVERIFY(!v.clear.contains(u"queue_growing:embedding"_s));
    }

    void noLiveWorkerOnlyWhileJobsWait()
    {
        RuleInputs in = calm();
        in.fleet.liveWorkers = 0;
        QVERIFY(!fires(evaluateRules(in, AlertsConfig{}), u"no_live_worker"_s));
        in.fleet.waitingJobs = 3;
        QVERIFY(fires(evaluateRules(in, AlertsConfig{}), u"no_live_worker"_s));
    }

    void diskBelowLimit()
    {
        RuleInputs in = calm();
        AlertsConfig config;
        config.minFreeDiskMb = 100;
        in.disks = {{QStringLiteral("/data"), 99LL << 20, 1LL << 30}, {QStringLiteral("/"), 100LL << 20, 1LL << 30}};
        const Verdicts v = evaluateRules(in, config);
        QVERIFY(fires(v, u"disk_low@host-a:/data"_s));
        QVERIFY(v.clear.contains(u"disk_low@host-a:/"_s));
    }

    void servicesUntilTheStageSucceedsAgain()
    {
        RuleInputs in = calm();
        in.embedderService = QStringLiteral("the embedding API (api.example.com)");
        Store::ServiceErrors errors;
        errors.quotaErrors = 1;
        errors.lastQuotaAt = 500;
        errors.outageErrors = 3;
        errors.lastOutageAt = 400;
        errors.lastOutageCode = QStringLiteral("timeout");
        in.fleet.services.insert(Stage::Embedding, errors);
        Verdicts v = evaluateRules(in, AlertsConfig{});
        QVERIFY(fires(v, u"quota_exhausted:embedding"_s));
        QVERIFY(fires(v, u"service_outage:embedding"_s));
        QVERIFY(v.clear.contains(u"service_outage:parsing"_s));
        for (const AlertCondition &c : v.firing)
            QVERIFY2(c.summary.contains(u"api.example.com"_s), qPrintable(c.summary));

        in.fleet.services[Stage::Embedding].lastSuccessAt = 450; // after the outage, before the quota error
        v = evaluateRules(in, AlertsConfig{});
        QVERIFY(fires(v, u"quota_exhausted:embedding"_s));
        QVERIFY(v.clear.contains(u"service_outage:embedding"_s));

        in.fleet.services[Stage::Embedding].outageErrors = 2; // fewer than alerts/outage_min_errors
        in.fleet.services[Stage::Embedding].lastSuccessAt = 0;
        QVERIFY(!fires(evaluateRules(in, AlertsConfig{}), u"service_outage:embedding"_s));
    }

    void queueTrend_data()
    {
        QTest::addColumn<QList<int>>("depths"); // one sample a minute, span 3 minutes
        QTest::addColumn<int>("expected"); // -1 unknown, 0 no, 1 yes
        QTest::newRow("too short to tell") << QList<int>{1, 2, 3} << -1;
        QTest::newRow("steady growth") << QList<int>{1, 2, 3, 4} << 1;
        QTest::newRow("growth then a plateau") << QList<int>{1, 2, 3, 4, 4} << 0;
        QTest::newRow("a burst being drained") << QList<int>{0, 900, 600, 300} << 0;
        QTest::newRow("flat") << QList<int>{5, 5, 5, 5} << 0;
        QTest::newRow("old history forgotten") << QList<int>{50, 40, 1, 2, 3, 4} << 1;
    }
    void queueTrend()
    {
        QFETCH(QList<int>, depths);
        QFETCH(int, expected);
        QueueTrend trend(3 * 60 * 1000);
        qint64 at = 1'000'000;
        for (const int depth : depths) {
            trend.add(at, depth);
            at += 60 * 1000;
        }
        const std::optional<bool> growing = trend.growing();
        QCOMPARE(growing ? int(*growing) : -1, expected);
    }

    void queueTrendMemoryIsBounded()
    {
        QueueTrend trend(60 * 1000);
        for (int i = 0; i < 100'000; ++i)
            trend.add(qint64(i) * 1000, i);
        QVERIFY(trend.sampleCount() <= 62);
        QCOMPARE(trend.growing(), std::optional<bool>(true));
    }
};

QTEST_GUILESS_MAIN(TestAlertRules)
#include "tst_alertrules.moc"
