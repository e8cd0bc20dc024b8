// Each alert rule, through the monitor, against a real SQLite file and a real PostgreSQL
// database: it fires once when its condition holds, resolves once when it clears, and a webhook
// receiver on loopback gets exactly those notices, with no secret, file name or document text.
#include "alerts/alertmonitor.h"
#include "store/alertstore.h"
#include "store/workerregistry.h"
#include "testdatabase.h"
#include "webhookreceiver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Alerts;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr char kApiKey[] = "sk-test-SECRETSECRETSECRET0123456789";
constexpr char kWebhookToken[] = "T0KEN-in-the-webhook-path";
constexpr char kFileName[] = "confidential-merger-plan.pdf";

void exec(const Store::Database &db, const QString &sql, const QVariantMap &values = {})
{
    QSqlQuery query(db.sql());
    query.prepare(sql);
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        query.bindValue(it.key(), it.value());
    if (!query.exec())
        qFatal("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
}

QString now(const Store::Database &db)
{
    return Store::serverNowSql(db.dialect());
}

// A job in `stage` with `status` that entered the stage `ageMs` ago.
qint64 addJob(const Store::Database &db, const QString &stage, const QString &status, qint64 ageMs = 0)
{
    static int serial = 0;
    ++serial;
    exec(db, u"INSERT INTO documents (sha256, size_bytes, mime_type, created_at) VALUES (:sha, 1, 'text/plain', 0)"_s,
         {{u":sha"_s, u"sha-%1"_s.arg(serial)}});
    QSqlQuery query(db.sql());
    query.prepare(u"INSERT INTO jobs (document_id, name, source_path, stage, status, created_at, updated_at, "
                  "stage_started_at) SELECT id, :name, :path, :stage, :status, %1, %1, %1 - :age FROM documents "
                  "WHERE sha256 = :sha RETURNING id"_s.arg(now(db)));
    query.bindValue(u":name"_s, QString::fromLatin1(kFileName));
    query.bindValue(u":path"_s, QString(u"/srv/in/"_s + QString::fromLatin1(kFileName)));
    query.bindValue(u":stage"_s, stage);
    query.bindValue(u":status"_s, status);
    query.bindValue(u":age"_s, ageMs);
    query.bindValue(u":sha"_s, u"sha-%1"_s.arg(serial));
    if (!query.exec() || !query.next())
        qFatal("adding a job: %s", qPrintable(query.lastError().text()));
    return query.value(0).toLongLong();
}

void addEvent(const Store::Database &db, qint64 job, const QString &kind, const QString &from, const QString &to,
              const QString &code = {}, qint64 ageMs = 0)
{
    exec(db,
         u"INSERT INTO job_events (job_id, at, kind, from_stage, to_stage, code, message) "
         "VALUES (:job, %1 - :age, :kind, :from, :to, :code, 'quoted text of the document')"_s.arg(now(db)),
         {{u":job"_s, job},
          {u":age"_s, ageMs},
          {u":kind"_s, kind},
          {u":from"_s, from},
          {u":to"_s, to},
          {u":code"_s, code.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(code)}});
}

void addLiveWorker(const Store::Database &db, const QString &id = u"host-b:1:live"_s)
{
    exec(db,
         u"INSERT INTO workers (id, host, pid, started_at, heartbeat_at, state) VALUES (:id, 'host-b', 1, %1, %1, "
         "'running')"_s.arg(now(db)),
         {{u":id"_s, id}});
}

Config testConfig(const Test::TestDatabase &fixture, const QUrl &webhook)
{
    Config config;
    config.databaseUrl = fixture.url();
    config.embedder.kind = u"openai"_s;
    config.embedder.baseUrl = u"http://127.0.0.1:9/v1"_s;
    config.embedder.apiKey = QString::fromLatin1(kApiKey);
    config.alerts.minFreeDiskMb = 0; // only the disk scenario watches the disk
    config.alerts.webhookUrl = webhook.toString();
    config.alerts.webhookTimeoutMs = 5000;
    return config;
}

// One check, waited for; returns what this monitor noticed in it.
QList<AlertNotice> check(AlertMonitor &monitor)
{
    QSignalSpy checked(&monitor, &AlertMonitor::checked);
    QSignalSpy noticed(&monitor, &AlertMonitor::noticed);
    monitor.checkNow();
    // A check that finished before checkNow() returned (Qt runs the continuation of a future that
    // is already done at once) has already been counted.
    if (checked.isEmpty() && !checked.wait(20000))
        qFatal("no check");
    if (!monitor.lastCheck().ok)
        qFatal("check failed: %s", qPrintable(monitor.lastCheck().error));
    QList<AlertNotice> notices;
    for (const QList<QVariant> &args : std::as_const(noticed))
        notices << args.at(0).value<AlertNotice>();
    return notices;
}

QStringList describe(const QList<AlertNotice> &notices)
{
    QStringList lines;
    for (const AlertNotice &n : notices)
        lines << (n.firing ? u"fired "_s : u"resolved "_s) + n.alert.key;
    return lines;
}

} // namespace

class TestAlertMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firesAndResolvesOnce_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("key");
        for (const char *backend : {"sqlite", "postgres"}) {
            const QList<std::pair<const char *, const char *>> scenarios{
                {"failure_rate", "failure_rate"},       {"stuck", "stuck_jobs"},
                {"no_worker", "no_live_worker"},        {"disk", "disk_low@"},
                {"quota", "quota_exhausted:embedding"}, {"outage", "service_outage:embedding"},
                {"queue", "queue_growing:embedding"},
            };
            for (const auto &[scenario, key] : scenarios)
                QTest::addRow("%s/%s", backend, scenario)
                    << QString::fromLatin1(backend) << QString::fromLatin1(scenario) << QString::fromLatin1(key);
        }
    }

    void firesAndResolvesOnce()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, key);
        DOCPIPE_TEST_DATABASE(fixture);
        const Store::Database db = fixture.database();
        QVERIFY(db.migrate());
        Test::WebhookReceiver receiver;
        Config config = testConfig(fixture, receiver.url(u"/hooks/"_s + QString::fromLatin1(kWebhookToken)));
        if (scenario != u"no_worker")
            addLiveWorker(db);
        if (scenario == u"disk")
            config.alerts.minFreeDiskMb = std::numeric_limits<qint32>::max(); // 2 PB: more than any disk here
        AlertMonitor monitor(config, u"test-host:1:monitor"_s);
        monitor.setDiskPaths({fixture.tempPath()});
        if (scenario == u"queue")
            monitor.setQueueGrowthSpanMs(1200);
        const QList<AlertNotice> first = check(monitor);
        if (scenario == u"disk") // the disk is already "low"
            QVERIFY2(first.size() == 1 && first.at(0).alert.key.startsWith(key),
                     qPrintable(describe(first).join(u", ")));
        else
            QCOMPARE(describe(first), QStringList());

        // The condition.
        if (scenario == u"failure_rate") {
            for (int i = 0; i < 6; ++i)
                addEvent(db, addJob(db, u"parsing"_s, u"failed"_s), u"failed"_s, u"parsing"_s, u"parsing"_s,
                         u"corrupt_pdf"_s, 60'000);
            for (int i = 0; i < 4; ++i)
                addEvent(db, addJob(db, u"embedded"_s, u"done"_s), u"transition"_s, u"embedding"_s, u"embedded"_s);
        } else if (scenario == u"stuck") {
            addJob(db, u"parse_validated"_s, u"queued"_s, 2 * 3600 * 1000);
        } else if (scenario == u"no_worker") {
            addJob(db, u"uploaded"_s, u"queued"_s);
        } else if (scenario == u"quota") {
            addEvent(db, addJob(db, u"embedding"_s, u"failed"_s), u"failed"_s, u"embedding"_s, u"embedding"_s,
                     u"insufficient_quota"_s);
        } else if (scenario == u"outage") {
            const qint64 job = addJob(db, u"chunks_buffered"_s, u"queued"_s);
            for (const char *code : {"timeout", "connection_refused", "server_error"})
                addEvent(db, job, u"retry"_s, u"embedding"_s, u"chunks_buffered"_s, QString::fromLatin1(code));
        }
        QList<AlertNotice> fired;
        if (scenario == u"queue") {
            // One more job waits for embedding at every check, until the trend covers the span.
            QVERIFY(QTest::qWaitFor(
                [&] {
                    addJob(db, u"chunks_buffered"_s, u"queued"_s);
                    fired += check(monitor);
                    return !fired.isEmpty();
                },
                20000));
        } else if (scenario != u"disk") {
            fired = check(monitor);
        } else {
            QCOMPARE(describe(check(monitor)), QStringList()); // fires once
            QCOMPARE(Store::firingAlerts(db).value().size(), 1);
        }
        if (scenario != u"disk") {
            QCOMPARE(fired.size(), 1);
            QVERIFY2(fired.at(0).firing && fired.at(0).alert.key == key, qPrintable(describe(fired).join(u", ")));
            if (scenario == u"queue") // still growing
                addJob(db, u"chunks_buffered"_s, u"queued"_s);
            QCOMPARE(describe(check(monitor)), QStringList()); // fires once
        }
        QCOMPARE(monitor.lastCheck().firing.size(), 1);
        QVERIFY(monitor.lastCheck().firing.at(0).key.startsWith(key));

        // The condition clears.
        if (scenario == u"failure_rate")
            exec(db, u"UPDATE job_events SET at = at - 3600000"_s);
        else if (scenario == u"stuck")
            exec(db, u"UPDATE jobs SET stage_started_at = %1"_s.arg(now(db)));
        else if (scenario == u"no_worker")
            addLiveWorker(db);
        else if (scenario == u"disk") {
            config.alerts.minFreeDiskMb = 0;
            monitor.reconfigure(config);
        } else if (scenario == u"quota" || scenario == u"outage") {
            QTest::qWait(5); // the success comes after the last error on the server's clock
            addEvent(db, addJob(db, u"embedded"_s, u"done"_s), u"transition"_s, u"embedding"_s, u"embedded"_s);
        } else if (scenario == u"queue")
            exec(db, u"DELETE FROM jobs WHERE status = 'queued'"_s);
        const QList<AlertNotice> resolved = check(monitor);
        QCOMPARE(resolved.size(), 1);
        QVERIFY(!resolved.at(0).firing);
        QVERIFY(resolved.at(0).alert.key.startsWith(key));
        QCOMPARE(describe(check(monitor)), QStringList()); // resolves once
        QCOMPARE(monitor.lastCheck().firing.size(), 0);

        // The ledger: one fired and one resolved event; the webhook got exactly those two bodies.
        auto events = Store::listFleetEvents(db);
        QVERIFY(events);
        QCOMPARE(events.value().size(), 2);
        QCOMPARE(events.value().at(0).kind, u"alert_fired"_s);
        QCOMPARE(events.value().at(1).kind, u"alert_resolved"_s);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.bodies.size(), 2, 10000);
        QCOMPARE(receiver.lastPath, QByteArray("/hooks/") + kWebhookToken);
        const QStringList statuses{u"firing"_s, u"resolved"_s};
        for (int i = 0; i < 2; ++i) {
            const QByteArray &body = receiver.bodies.at(i);
            const QJsonObject json = QJsonDocument::fromJson(body).object();
            QCOMPARE(json.value(u"status"_s).toString(), statuses.at(i));
            QVERIFY(json.value(u"alert"_s).toString().startsWith(key));
            QVERIFY(!json.value(u"text"_s).toString().isEmpty());
            for (const char *secret : {kApiKey, kWebhookToken, kFileName, "quoted text of the document", "testpw"})
                QVERIFY2(!body.contains(secret), body.constData());
        }
        QCOMPARE(receiver.requests, 2);
    }

    void ledgerIsCompareAndSet_data() { Test::addBackendRows(); }
    void ledgerIsCompareAndSet()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        const Store::Database db = fixture.database();
        QVERIFY(db.migrate());
        const Store::AlertRecord alert{
            u"stuck_jobs"_s, u"stuck_jobs"_s, u"firing"_s, u"warning"_s, u"1 job"_s, 0, 0, {}};
        QCOMPARE(Store::fireAlert(db, alert, u"a"_s).value(), true);
        QCOMPARE(Store::fireAlert(db, alert, u"b"_s).value(), false); // already firing: b lost
        QCOMPARE(Store::resolveAlert(db, alert.key, u"b"_s).value(), true);
        QCOMPARE(Store::resolveAlert(db, alert.key, u"a"_s).value(), false);
        QCOMPARE(Store::fireAlert(db, alert, u"b"_s).value(), true); // fires again after it resolved
        const auto events = Store::listFleetEvents(db).value();
        QCOMPARE(events.size(), 3);
        QCOMPARE(events.at(0).worker, u"a"_s);
        QCOMPARE(events.at(1).kind, u"alert_resolved"_s);
        QCOMPARE(events.at(2).worker, u"b"_s);
        QCOMPARE(Store::firingAlerts(db).value().size(), 1);
    }

    void twoWorkersFireOnce_data() { Test::addBackendRows(); }
    void twoWorkersFireOnce()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        const Store::Database db = fixture.database();
        QVERIFY(db.migrate());
        Test::WebhookReceiver receiver;
        const Config config = testConfig(fixture, receiver.url(u"/hook"_s));
        addJob(db, u"uploaded"_s, u"queued"_s); // waits, and no worker is alive
        AlertMonitor first(config, u"host-a:1:first"_s);
        AlertMonitor second(config, u"host-b:2:second"_s);
        QSignalSpy firstNoticed(&first, &AlertMonitor::noticed);
        QSignalSpy secondNoticed(&second, &AlertMonitor::noticed);
        QSignalSpy firstChecked(&first, &AlertMonitor::checked);
        QSignalSpy secondChecked(&second, &AlertMonitor::checked);
        for (int round = 0; round < 3; ++round) {
            first.checkNow();
            second.checkNow();
            QTRY_COMPARE_WITH_TIMEOUT(firstChecked.size(), round + 1, 20000);
            QTRY_COMPARE_WITH_TIMEOUT(secondChecked.size(), round + 1, 20000);
            QVERIFY(first.lastCheck().ok && second.lastCheck().ok);
        }
        QCOMPARE(firstNoticed.size() + secondNoticed.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.bodies.size(), 1, 10000);
        QCOMPARE(Store::listFleetEvents(db).value().size(), 1);

        addLiveWorker(db);
        first.checkNow();
        second.checkNow();
        QTRY_COMPARE_WITH_TIMEOUT(firstChecked.size(), 4, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(secondChecked.size(), 4, 20000);
        QCOMPARE(firstNoticed.size() + secondNoticed.size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.bodies.size(), 2, 10000);
    }

    void webhookRetriesThenGivesUp()
    {
        Test::WebhookReceiver receiver(/*failFirst=*/2);
        WebhookNotifier webhook(receiver.url(u"/hook"_s), 5000, 3);
        webhook.setRetryDelayMs(10);
        QSignalSpy delivered(&webhook, &WebhookNotifier::delivered);
        AlertNotice notice;
        notice.alert = {u"failure_rate"_s, u"failure_rate"_s, u"firing"_s, u"warning"_s, u"6 of 10 failed"_s, 1, 0, {}};
        webhook.send(notice);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 10000);
        QCOMPARE(delivered.at(0).at(1).toInt(), 3); // two 500s, then delivered
        QCOMPARE(receiver.bodies.size(), 1);
        QCOMPARE(QJsonDocument::fromJson(receiver.bodies.at(0)).object().value(u"text"_s).toString(),
                 u"[FIRING] Docpipe Failure rate high: 6 of 10 failed (failure_rate)"_s);

        Test::WebhookReceiver down(/*failFirst=*/100);
        WebhookNotifier stubborn(down.url(u"/hook"_s), 5000, 2);
        stubborn.setRetryDelayMs(10);
        QSignalSpy givenUp(&stubborn, &WebhookNotifier::givenUp);
        stubborn.send(notice);
        QTRY_COMPARE_WITH_TIMEOUT(givenUp.size(), 1, 10000);
        QCOMPARE(down.requests, 2);
        QCOMPARE(stubborn.pending(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAlertMonitor)
#include "tst_alertmonitor.moc"
