// A real `docpipe-cli worker --listen` and `docpipe-cli serve --listen`, driven over loopback HTTP
// as a load balancer, Prometheus and a script would: uploads reach embedded, /metrics agrees with
// `status --json` (and passes promtool), `check --json` gives the readiness checks, /readyz
// follows a PostgreSQL server that stops and comes back, and a real Prometheus scrapes the worker.
#include "clirunner.h"
#include "httpclient.h"
#include "testdatabase.h"

#include <QDir>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <csignal>

using namespace Docpipe;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

QByteArray text(int seed)
{
    QByteArray bytes = "# Upload " + QByteArray::number(seed) + "\n\n";
    for (int i = 0; i < 30; ++i)
        bytes += "Paragraph " + QByteArray::number(i) + " of upload " + QByteArray::number(seed)
            + " says something the chunker will keep together. ";
    return bytes;
}

// A running docpipe-cli with --listen 127.0.0.1:0; the port it chose, read from its log.
struct Served
{
    QProcess *process = nullptr;
    HttpClient client{QUrl()};
    QByteArray log;

    ~Served() { stop(); }
    void stop()
    {
        if (!process)
            return;
        if (process->processId() > 0) // never kill(0): that is this whole process group
            ::kill(pid_t(process->processId()), SIGTERM);
        if (!process->waitForFinished(30000))
            process->kill();
        log += process->readAllStandardError();
        delete process;
        process = nullptr;
    }
};

std::unique_ptr<Served> serve(const QStringList &arguments)
{
    auto served = std::make_unique<Served>();
    served->process = startCli(arguments + QStringList{u"--listen"_s, u"127.0.0.1:0"_s}, nullptr);
    static const QRegularExpression serving(u"serving http://127\\.0\\.0\\.1:(\\d+)"_s);
    int port = 0;
    (void)QTest::qWaitFor(
        [&] {
            served->process->waitForReadyRead(100);
            served->log += served->process->readAllStandardError();
            const auto match = serving.match(QString::fromUtf8(served->log));
            port = match.hasMatch() ? match.captured(1).toInt() : 0;
            return port > 0 || served->process->state() == QProcess::NotRunning;
        },
        30000);
    if (port == 0)
        qWarning("no port; log:\n%s", served->log.constData());
    served->client = HttpClient(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    return served;
}

int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// A PostgreSQL of this test's own (packaging/pg-throwaway.sh), which it may stop and start.
class PrivatePostgres final
{
public:
    PrivatePostgres()
    {
        // A port the kernel just handed out: no other test's server is on it.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DOCPIPE_PG_PORT"_s, QString::number(freePort()));
        QProcess shell;
        shell.setProcessEnvironment(env);
        shell.start(u"bash"_s,
                    {u"-c"_s,
                     u"source \"$0\" >/dev/null && pg_throwaway_start >/dev/null "
                     "&& echo \"$DOCPIPE_TEST_PG_URL\" && echo \"$PG_THROWAWAY_DIR\" && echo \"$PG_THROWAWAY_BIN\""_s,
                     QStringLiteral(DOCPIPE_SOURCE_DIR "/packaging/pg-throwaway.sh")});
        shell.waitForFinished(120000);
        const QStringList lines = QString::fromUtf8(shell.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        if (lines.size() == 3) {
            url = lines.at(0);
            m_dir = lines.at(1);
            m_bin = lines.at(2);
        }
    }
    ~PrivatePostgres()
    {
        if (m_dir.isEmpty())
            return;
        pgctl({u"stop"_s, u"-m"_s, u"fast"_s});
        QDir(m_dir).removeRecursively();
    }
    bool stop() { return pgctl({u"stop"_s, u"-m"_s, u"fast"_s}); }
    bool start()
    {
        const QString port = QUrl(url).port() > 0 ? QString::number(QUrl(url).port()) : QString();
        return pgctl({u"start"_s, u"-l"_s, m_dir + u"/server.log"_s, u"-o"_s,
                      u"-c listen_addresses=127.0.0.1 -p %1 -k %2 -c fsync=off"_s.arg(port, m_dir)});
    }

    QString url;

private:
    bool pgctl(const QStringList &arguments)
    {
        QStringList command{m_bin + u"/pg_ctl"_s, u"-D"_s, m_dir + u"/data"_s, u"-w"_s, u"-t"_s, u"60"_s};
        command += arguments;
        QProcess process;
        process.setWorkingDirectory(u"/"_s);
        if (geteuid() == 0)
            process.start(u"runuser"_s, QStringList{u"-u"_s, u"postgres"_s, u"--"_s} + command);
        else
            process.start(command.takeFirst(), command);
        return process.waitForFinished(90000) && process.exitCode() == 0;
    }

    QString m_dir;
    QString m_bin;
};

} // namespace

class TestWorkerHttp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The worker's app-data folder (uploads, disk readings) stays inside the test.
        qputenv("XDG_DATA_HOME", m_home.path().toUtf8());
    }

    void uploadsReachEmbedded_data() { addBackendRows(); }
    void uploadsReachEmbedded()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        auto worker = serve({u"--db"_s, fixture.url(), u"worker"_s});
        QVERIFY2(worker->client.get(u"/healthz"_s).status == 200, worker->log.constData());
        QCOMPARE(worker->client.get(u"/readyz"_s).status, 200);

        QList<qint64> ids;
        for (int i = 0; i < 20; ++i) {
            const HttpAnswer created = worker->client.upload({{u"upload-%1.md"_s.arg(i, 2, 10, QChar(u'0')), text(i)}});
            QVERIFY2(created.status == 201, qPrintable(created.describe()));
            ids << created.json().value(u"jobs"_s).toArray().at(0).toObject().value(u"id"_s).toInteger();
        }
        QTRY_COMPARE_WITH_TIMEOUT(
            worker->client.get(u"/v1/status"_s).json().value(u"stages"_s).toObject().value(u"embedded"_s).toInt(), 20,
            120000);
        const HttpAnswer duplicate = worker->client.upload({{u"copy.md"_s, text(3)}});
        QCOMPARE(duplicate.status, 200);
        QCOMPARE(duplicate.json().value(u"jobs"_s).toArray().at(0).toObject().value(u"id"_s).toInteger(), ids.at(3));
        const HttpAnswer chunks = worker->client.get(u"/v1/jobs/%1/chunks"_s.arg(ids.at(0)));
        QVERIFY(!chunks.json().value(u"chunks"_s).toArray().isEmpty());
        QVERIFY(chunks.json()
                    .value(u"chunks"_s)
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(u"text"_s)
                    .toString()
                    .contains(u"upload 0"_s));

        // /metrics against `docpipe-cli status --json` (a separate process reading the database).
        const HttpAnswer metricsAnswer = worker->client.get(u"/metrics"_s);
        const PromExposition metrics = parsePrometheus(metricsAnswer.body);
        QVERIFY2(metrics.error.isEmpty(), qPrintable(metrics.error));
        const CliResult status = runCli({u"--db"_s, fixture.url(), u"status"_s, u"--json"_s});
        QCOMPARE(status.exitCode, 0);
        const QJsonObject counts = status.json().object();
        QCOMPARE(int(metrics.sum(u"docpipe_jobs"_s)), counts.value(u"total"_s).toInt());
        const QJsonObject stages = counts.value(u"stages"_s).toObject();
        for (auto it = stages.begin(); it != stages.end(); ++it) {
            const double inStage = metrics.sum(u"docpipe_jobs"_s, {{u"stage"_s, it.key()}})
                - metrics.sum(u"docpipe_jobs"_s, {{u"stage"_s, it.key()}, {u"status"_s, u"failed"_s}})
                - metrics.sum(u"docpipe_jobs"_s, {{u"stage"_s, it.key()}, {u"status"_s, u"cancelled"_s}});
            QCOMPARE(int(inStage), it.value().toInt());
        }
        QCOMPARE(int(metrics.sum(u"docpipe_documents_embedded_total"_s)), 20);
        QCOMPARE(int(metrics.sum(u"docpipe_workers_live"_s)), 1);
        QVERIFY(metrics.sum(u"docpipe_chunks_processed_total"_s) >= 20); // this process embedded them
        QVERIFY(metrics.sum(u"docpipe_pages_processed_total"_s) >= 20);
        QVERIFY(metrics.sum(u"docpipe_tokens_processed_total"_s) > 1000);

        const QString promtool = QStandardPaths::findExecutable(u"promtool"_s);
        if (promtool.isEmpty()) {
            qWarning(
                "promtool is not installed (Debian package prometheus): exposition checked by the test's parser only");
        } else {
            QProcess check;
            check.start(promtool, {u"check"_s, u"metrics"_s});
            check.write(metricsAnswer.body);
            check.closeWriteChannel();
            QVERIFY(check.waitForFinished(30000));
            const QByteArray said = check.readAllStandardOutput() + check.readAllStandardError();
            QVERIFY2(check.exitCode() == 0, said.constData());
        }
    }

    void checkJson_data() { addBackendRows(); }
    void checkJson()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        const QString ini = fixture.tempPath() + u"/check.ini"_s;
        QSettings(ini, QSettings::IniFormat).setValue(u"alerts/min_free_disk_mb"_s, 0);
        const CliResult ready = runCli({u"--db"_s, fixture.url(), u"--config"_s, ini, u"check"_s, u"--json"_s});
        QVERIFY2(ready.exitCode == 0, qPrintable(ready.describe()));
        QCOMPARE(ready.json().object().value(u"ready"_s).toBool(), true);
        QCOMPARE(ready.json().object().value(u"failing"_s).toArray(), QJsonArray());
        {
            QSettings settings(ini, QSettings::IniFormat);
            settings.setValue(u"alerts/min_free_disk_mb"_s, 2'000'000'000);
        }
        const CliResult low = runCli({u"--db"_s, fixture.url(), u"--config"_s, ini, u"check"_s, u"--json"_s});
        QCOMPARE(low.exitCode, 1);
        QCOMPARE(low.json().object().value(u"failing"_s).toArray(), QJsonArray{u"disk"_s});
        // The same checks in the text form.
        const CliResult textForm = runCli({u"--db"_s, fixture.url(), u"--config"_s, ini, u"check"_s});
        QCOMPARE(textForm.exitCode, 1);
        QVERIFY2(textForm.out.contains("disk: FAILED"), qPrintable(textForm.describe()));
    }

    // /readyz turns 503 (naming the database) while a PostgreSQL server is down, and 200 again
    // once it is back. The server is this test's own; the shared one is never touched.
    void readyzFollowsPostgres()
    {
        if (QStandardPaths::findExecutable(u"runuser"_s).isEmpty() && geteuid() == 0)
            QSKIP("runuser is missing");
        PrivatePostgres postgres;
        QVERIFY2(!postgres.url.isEmpty(), "could not start a private PostgreSQL (packaging/pg-throwaway.sh)");
        QTemporaryDir dir;
        const QString ini = dir.filePath(u"serve.ini"_s);
        QSettings(ini, QSettings::IniFormat).setValue(u"alerts/min_free_disk_mb"_s, 0);
        auto node = serve({u"--db"_s, postgres.url, u"--config"_s, ini, u"serve"_s});
        QVERIFY2(node->client.get(u"/readyz"_s).status == 200, node->log.constData());

        QVERIFY(postgres.stop());
        const HttpAnswer down = node->client.get(u"/readyz"_s);
        QCOMPARE(down.status, 503);
        QVERIFY(down.json().value(u"failing"_s).toArray().contains(u"database"_s));
        QCOMPARE(node->client.get(u"/healthz"_s).status, 200); // alive all the same
        QCOMPARE(node->client.get(u"/metrics"_s).status, 503);

        QVERIFY(postgres.start());
        QTRY_COMPARE_WITH_TIMEOUT(node->client.get(u"/readyz"_s).status, 200, 30000);
        QCOMPARE(node->client.get(u"/metrics"_s).status, 200);
    }

    // A real Prometheus scrapes a worker every second; a PromQL query over its HTTP API returns
    // the number of documents embedded.
    void prometheusScrapesWorker()
    {
        const QString prometheus = QStandardPaths::findExecutable(u"prometheus"_s);
        if (prometheus.isEmpty())
            QSKIP("the Debian package 'prometheus' is not installed: no real Prometheus to scrape the worker");
        TestDatabase fixture(u"sqlite"_s);
        auto worker = serve({u"--db"_s, fixture.url(), u"worker"_s});
        QVERIFY2(worker->client.get(u"/healthz"_s).status == 200, worker->log.constData());

        QTemporaryDir dir;
        const int port = freePort();
        {
            QFile config(dir.filePath(u"prometheus.yml"_s));
            QVERIFY(config.open(QIODevice::WriteOnly));
            config.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
                         "  - job_name: docpipe\n    static_configs:\n      - targets: ['"
                         + worker->client.url(QString()).authority().toUtf8() + "']\n");
        }
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start(prometheus,
                     {u"--config.file=%1"_s.arg(dir.filePath(u"prometheus.yml"_s)),
                      u"--storage.tsdb.path=%1"_s.arg(dir.filePath(u"data"_s)),
                      u"--web.listen-address=127.0.0.1:%1"_s.arg(port)});
        QVERIFY(server.waitForStarted());
        const HttpClient api(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));

        for (int i = 0; i < 5; ++i)
            QCOMPARE(worker->client.upload({{u"scraped-%1.md"_s.arg(i), text(100 + i)}}).status, 201);
        QUrlQuery query;
        query.addQueryItem(u"query"_s, u"max(docpipe_documents_embedded_total{job=\"docpipe\"})"_s);
        const QString path = u"/api/v1/query?"_s + query.toString(QUrl::FullyEncoded);
        const auto embeddedSeen = [&] {
            const HttpAnswer answer = api.get(path, 5000);
            const QJsonArray result = answer.json().value(u"data"_s).toObject().value(u"result"_s).toArray();
            return result.isEmpty() ? -1.0
                                    : result.at(0).toObject().value(u"value"_s).toArray().at(1).toString().toDouble();
        };
        const bool seen = QTest::qWaitFor([&] { return embeddedSeen() == 5.0; }, 90000);
        const QByteArray targets = api.get(u"/api/v1/targets"_s).body + "\nlast answer: " + api.get(path).body;
        server.terminate();
        server.waitForFinished(10000);
        QVERIFY2(seen, targets.constData());
    }

private:
    QTemporaryDir m_home;
};

QTEST_GUILESS_MAIN(TestWorkerHttp)
#include "tst_workerhttp.moc"
