// The window's alerts: the banner (hidden, amber, red; says which alerts appeared and cleared),
// the status bar's thresholds (free disk amber below twice the limit and red below it; workers red
// when jobs wait with none alive), and a window on a real database whose fleet has no live worker:
// the banner and a tray notice appear from the window's own alert check.
#include "alerts/alertbanner.h"
#include "mainwindow.h"
#include "notifications/traynotifier.h"
#include "statusbar/statusindicators.h"
#include "store/documentstore.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Ui;
using namespace Qt::Literals::StringLiterals;

namespace {

Store::AlertRecord alert(const QString &key, const QString &rule, const QString &severity, const QString &summary)
{
    return {key, rule, u"firing"_s, severity, summary, 1'700'000'000'000, 0, u"w"_s};
}

constexpr qint64 kMb = 1024 * 1024;

} // namespace

class TestAlertBanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bannerFollowsTheFiringAlerts()
    {
        AlertBanner banner;
        banner.show();
        QSignalSpy appeared(&banner, &AlertBanner::appeared);
        QSignalSpy cleared(&banner, &AlertBanner::cleared);
        banner.setAlerts({});
        QVERIFY(!banner.isVisible());
        QCOMPARE(banner.level(), AlertBanner::Level::None);

        const auto rate = alert(u"failure_rate"_s, u"failure_rate"_s, u"warning"_s, u"6 of 10 jobs failed"_s);
        banner.setAlerts({rate});
        QVERIFY(banner.isVisible());
        QCOMPARE(banner.level(), AlertBanner::Level::Warning);
        QVERIFY2(banner.text().contains(u"Failure rate high"_s) && banner.text().contains(u"6 of 10 jobs failed"_s),
                 qPrintable(banner.text()));
        QCOMPARE(appeared.size(), 1);

        const auto disk = alert(u"disk_low@h:/"_s, u"disk_low"_s, u"critical"_s, u"12 MB free"_s);
        banner.setAlerts({rate, disk});
        QCOMPARE(banner.level(), AlertBanner::Level::Critical);
        QCOMPARE(appeared.size(), 2); // only the new one
        QCOMPARE(banner.text().count(u'\n'), 1);

        banner.setAlerts({disk});
        QCOMPARE(cleared.size(), 1);
        QCOMPARE(cleared.at(0).at(0).value<Store::AlertRecord>().key, u"failure_rate"_s);
        banner.setAlerts({});
        QVERIFY(!banner.isVisible());
        QCOMPARE(cleared.size(), 2);
    }

    void diskThresholds_data()
    {
        QTest::addColumn<qint64>("freeMb");
        QTest::addColumn<QString>("health");
        QTest::newRow("plenty") << qint64(5000) << u"good"_s;
        QTest::newRow("under twice the limit: amber") << qint64(1500) << u"busy"_s;
        QTest::newRow("under the limit: red") << qint64(900) << u"bad"_s;
    }
    void diskThresholds()
    {
        QFETCH(qint64, freeMb);
        QFETCH(QString, health);
        StatusIndicators indicators;
        indicators.setDisks({{u"/data"_s, freeMb * kMb, 100'000 * kMb}, {u"/"_s, 90'000 * kMb, 100'000 * kMb}}, 1000);
        QCOMPARE(indicators.healthOf(u"diskIndicator"_s), health);
        QVERIFY2(indicators.diskText().startsWith(u"Disk: "_s), qPrintable(indicators.diskText()));
    }

    void processIndicatorFollowsTheMemoryLimit_data()
    {
        QTest::addColumn<double>("cpu");
        QTest::addColumn<qint64>("residentMb");
        QTest::addColumn<QString>("health");
        QTest::newRow("idle") << 0.05 << qint64(200) << u"good"_s;
        QTest::newRow("75% of the limit") << 0.05 << qint64(3072) << u"busy"_s;
        QTest::newRow("over the limit") << 0.05 << qint64(5000) << u"bad"_s;
        QTest::newRow("cores saturated") << 0.95 << qint64(200) << u"busy"_s;
    }
    void processIndicatorFollowsTheMemoryLimit()
    {
        QFETCH(double, cpu);
        QFETCH(qint64, residentMb);
        QFETCH(QString, health);
        StatusIndicators indicators;
        indicators.setProcess(cpu, residentMb * kMb, 4096);
        QCOMPARE(indicators.healthOf(u"processIndicator"_s), health);
        QVERIFY2(indicators.processText().startsWith(u"CPU %1%"_s.arg(qRound(cpu * 100))),
                 qPrintable(indicators.processText()));
    }

    void databaseSizeAgainstItsDisk()
    {
        StatusIndicators indicators;
        indicators.setDatabaseSize(10 * kMb, 1000 * kMb);
        QCOMPARE(indicators.healthOf(u"databaseSizeIndicator"_s), u"good"_s);
        QVERIFY2(indicators.databaseSizeText().startsWith(u"DB "_s), qPrintable(indicators.databaseSizeText()));
        indicators.setDatabaseSize(600 * kMb, 1000 * kMb);
        QCOMPARE(indicators.healthOf(u"databaseSizeIndicator"_s), u"busy"_s);
        indicators.setDatabaseSize(2000 * kMb, 1000 * kMb);
        QCOMPARE(indicators.healthOf(u"databaseSizeIndicator"_s), u"bad"_s);
        indicators.setDatabaseSize(2000 * kMb, -1); // PostgreSQL: its disk is not ours to judge
        QCOMPARE(indicators.healthOf(u"databaseSizeIndicator"_s), u"good"_s);
    }

    void workersRedWhenJobsWaitWithNoneAlive()
    {
        StatusIndicators indicators;
        indicators.setWorkers({});
        QCOMPARE(indicators.healthOf(u"workersIndicator"_s), u"neutral"_s);
        indicators.setWaitingJobs(3);
        QCOMPARE(indicators.healthOf(u"workersIndicator"_s), u"bad"_s);
        indicators.setWorkers({{u"h:1:a"_s, u"h"_s, 1, 0, 0, u"running"_s, QString()}});
        QCOMPARE(indicators.healthOf(u"workersIndicator"_s), u"good"_s);
    }

    void windowShowsAFleetWithoutWorkers()
    {
        QTemporaryDir dir;
        Config config;
        config.databaseUrl = dir.filePath(u"db.sqlite"_s);
        config.alerts.minFreeDiskMb = 0;
        const Store::Database db(config.databaseUrl);
        QVERIFY(db.migrate());
        QFile file(dir.filePath(u"waiting.txt"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("a document that waits for a worker");
        file.close();
        QVERIFY(Store::ingestFile(db, file.fileName(), {}));
        db.closeThreadConnection();

        MainWindow window({config, dir.filePath(u"w.ini"_s), nullptr}); // no engine: nobody works
        QSignalSpy noticed(window.notifier(), &TrayNotifier::noticed);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.alertBanner()->isVisible(), 10000);
        QCOMPARE(window.alertBanner()->level(), AlertBanner::Level::Critical);
        QVERIFY2(window.alertBanner()->text().contains(u"No live worker"_s), qPrintable(window.alertBanner()->text()));
        QTRY_COMPARE_WITH_TIMEOUT(noticed.size(), 1, 5000);
        const auto notice = noticed.at(0).at(0).value<Notice>();
        QCOMPARE(notice.kind, Notice::Kind::Alert);
        QCOMPARE(notice.title, u"Docpipe alert: No live worker"_s);
        QCOMPARE(window.indicators()->healthOf(u"workersIndicator"_s), u"bad"_s);
        QCOMPARE(window.indicators()->healthOf(u"diskIndicator"_s), u"good"_s);
        // This process's CPU and memory, and the database's size beside its disk.
        QTRY_VERIFY2(window.indicators()->processText().startsWith(u"CPU "_s),
                     qPrintable(window.indicators()->processText()));
        QTRY_VERIFY(window.indicators()->databaseSizeText().startsWith(u"DB "_s));
        QCOMPARE(window.indicators()->healthOf(u"databaseSizeIndicator"_s), u"good"_s);
        QVERIFY(window.close());
    }
};

QTEST_MAIN(TestAlertBanner)
#include "tst_alertbanner.moc"
