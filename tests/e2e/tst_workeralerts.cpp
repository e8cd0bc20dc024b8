// A real `docpipe-cli worker` raises and resolves an alert: its log (stderr) says so and the
// webhook named by DOCPIPE_ALERT_WEBHOOK (a receiver on loopback) gets the two notices, with
// neither the API key nor the webhook's token in them. On SQLite and PostgreSQL.
#include "../core/alerts/webhookreceiver.h"
#include "clirunner.h"
#include "testdatabase.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QTest>

#include <csignal>

using namespace Docpipe;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr char kApiKey[] = "sk-test-WORKERALERTSECRET0123456789";
constexpr char kToken[] = "hook-T0KEN-4711";

// Runs a worker until `done` holds, then stops it with SIGTERM; returns its stderr.
QByteArray runWorker(const QStringList &args, const std::function<bool()> &done, QObject *parent)
{
    QProcess *worker = startCli(args + QStringList{u"worker"_s}, parent);
    if (!worker->waitForStarted())
        qFatal("worker did not start");
    const bool reached = QTest::qWaitFor(done, 30000);
    ::kill(pid_t(worker->processId()), SIGTERM);
    worker->waitForFinished(20000);
    const QByteArray err = worker->readAllStandardError();
    if (!reached)
        qWarning("worker stderr:\n%s", err.constData());
    return reached ? err : QByteArray();
}

} // namespace

class TestWorkerAlerts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workerFiresAndResolves_data() { addBackendRows(); }
    void workerFiresAndResolves()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        WebhookReceiver receiver;
        qputenv("DOCPIPE_ALERT_WEBHOOK", receiver.url(u"/hooks/"_s + QString::fromLatin1(kToken)).toEncoded());
        qputenv("OPENAI_API_KEY", kApiKey);
        const QString ini = fixture.tempPath() + u"/alerts.ini"_s;
        const auto configure = [&](qint64 minFreeDiskMb) {
            QSettings settings(ini, QSettings::IniFormat);
            settings.setValue(u"alerts/check_interval_seconds"_s, 1);
            settings.setValue(u"alerts/min_free_disk_mb"_s, minFreeDiskMb);
        };
        const QStringList args{u"--db"_s, fixture.url(), u"--config"_s, ini};

        configure(2'000'000'000); // 2 PB: every disk here is "low"
        const QByteArray fired = runWorker(
            args, [&] { return receiver.bodies.size() >= 1; }, this);
        QVERIFY2(fired.contains("ALERT firing [disk_low@"), fired.constData());

        configure(0);
        const QByteArray resolved = runWorker(
            args, [&] { return receiver.bodies.size() >= 2; }, this);
        QVERIFY2(resolved.contains("ALERT resolved [disk_low@"), resolved.constData());
        QVERIFY(!resolved.contains("ALERT firing"));

        QCOMPARE(receiver.bodies.size(), 2);
        QCOMPARE(QJsonDocument::fromJson(receiver.bodies.at(0)).object().value(u"status"_s).toString(), u"firing"_s);
        QCOMPARE(QJsonDocument::fromJson(receiver.bodies.at(1)).object().value(u"status"_s).toString(), u"resolved"_s);
        for (const QByteArray &text : {receiver.bodies.at(0), receiver.bodies.at(1), fired, resolved}) {
            QVERIFY2(!text.contains(kApiKey), text.constData());
            QVERIFY2(!text.contains(kToken), text.constData());
        }
        qunsetenv("DOCPIPE_ALERT_WEBHOOK");
        qunsetenv("OPENAI_API_KEY");
    }
};

QTEST_GUILESS_MAIN(TestWorkerAlerts)
#include "tst_workeralerts.moc"
