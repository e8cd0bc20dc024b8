// The HTTP service over real loopback HTTP, in this process (ServiceHost on its own thread),
// against SQLite and the real PostgreSQL: probes, the /v1 API's happy paths and bad input, tokens,
// upload limits and path tricks, a client that stops half-way, and the OpenAPI document held to
// what the service answers.
#include "engine/memorybudget.h"
#include "httpclient.h"
#include "pipelinerun.h"
#include "servicehost.h"
#include "store/jobqueries.h"
#include "testdatabase.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QSqlQuery>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr char kToken[] = "ci:s3cret-T0KEN-for-tests";
constexpr char kSecret[] = "s3cret-T0KEN-for-tests";

struct Running
{
    std::unique_ptr<Server::ServiceHost> host;
    HttpClient client{QUrl()};
};

Config serviceConfig(const TestDatabase &fixture)
{
    Config config = fastTestConfig(fixture.url());
    config.server.uploadDir = fixture.tempPath() + u"/uploads"_s;
    config.alerts.minFreeDiskMb = 0;
    return config;
}

Running startService(const Config &config, const QByteArray &clientToken = {}, int idleTimeoutMs = 30000)
{
    Server::ServiceOptions options;
    options.config = config;
    options.address.host = QHostAddress(QHostAddress::LocalHost);
    options.address.port = 0;
    options.idleTimeoutMs = idleTimeoutMs;
    Running running;
    running.host = std::make_unique<Server::ServiceHost>(options);
    QString error;
    if (!running.host->start(&error))
        qFatal("service did not start: %s", qPrintable(error));
    running.client = HttpClient(QUrl(u"http://127.0.0.1:%1"_s.arg(running.host->port())), clientToken);
    return running;
}

int jobCount(const Store::Database &db)
{
    auto jobs = Store::listJobs(db);
    return jobs ? int(jobs.value().size()) : -1;
}

// Files left in the upload folder (spooled uploads are removed once recorded or refused).
QStringList leftovers(const QString &uploadDir)
{
    QStringList files;
    QDirIterator it(uploadDir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    return files;
}

QByteArray text(int seed, int size = 2000)
{
    QByteArray bytes = "Document " + QByteArray::number(seed) + ". ";
    while (bytes.size() < size)
        bytes += "The pipeline reads every paragraph of this file " + QByteArray::number(seed) + " carefully. ";
    return bytes;
}

} // namespace

class TestHttpService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void probes_data() { addBackendRows(); }
    void probes()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        Running service = startService(serviceConfig(fixture));
        const HttpAnswer health = service.client.get(u"/healthz"_s);
        QCOMPARE(health.status, 200);
        QCOMPARE(health.body, QByteArray("ok\n"));
        const HttpAnswer ready = service.client.get(u"/readyz"_s);
        QVERIFY2(ready.status == 200, qPrintable(ready.describe()));
        QCOMPARE(ready.json().value(u"ready"_s).toBool(), true);
        for (const QString &check : {u"config"_s, u"database"_s, u"schema"_s, u"disk"_s, u"services"_s})
            QVERIFY2(ready.json().value(u"checks"_s).toObject().value(check).toObject().value(u"ok"_s).toBool(),
                     qPrintable(check));
        const HttpAnswer metrics = service.client.get(u"/metrics"_s);
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.headers.value("content-type").startsWith("text/plain; version=0.0.4"));
        const PromExposition parsed = parsePrometheus(metrics.body);
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
        for (const char *name :
             {"docpipe_jobs", "docpipe_workers_live", "docpipe_process_cpu_seconds_total",
              "docpipe_process_resident_memory_bytes", "docpipe_process_open_fds", "docpipe_filesystem_free_bytes",
              "docpipe_database_size_bytes", "docpipe_documents_embedded_total", "docpipe_jobs_cancelled_total"})
            QVERIFY2(parsed.has(QString::fromLatin1(name)), name);
        QVERIFY(parsed.sum(u"docpipe_process_resident_memory_bytes"_s) > 1e6);
        QVERIFY(parsed.sum(u"docpipe_database_size_bytes"_s) > 0);
        QCOMPARE(service.client.post(u"/healthz"_s).status, 405);
        QCOMPARE(service.client.post(u"/metrics"_s).status, 405);
        QCOMPARE(service.client.get(u"/nothing-here"_s).status, 404);
    }

    // The engine's memory budget, as the gauges of this process (an engine in it would own one).
    void metricsShowTheMemoryBudget()
    {
        TestDatabase fixture(u"sqlite"_s);
        QVERIFY(fixture.isReady());
        constexpr qint64 kMb = 1024 * 1024;
        MemoryBudget budget(64 * kMb);
        QVERIFY(budget.reserve(5 * kMb, {}));
        Running service = startService(serviceConfig(fixture));
        const HttpAnswer metrics = service.client.get(u"/metrics"_s);
        QCOMPARE(metrics.status, 200);
        const PromExposition parsed = parsePrometheus(metrics.body);
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
        QCOMPARE(parsed.sum(u"docpipe_memory_budget_bytes"_s), double(64 * kMb));
        QCOMPARE(parsed.sum(u"docpipe_memory_admitted_bytes"_s), double(5 * kMb));
        QCOMPARE(parsed.sum(u"docpipe_memory_waiting_jobs"_s), 0.0);
    }

    void readyzFailsWhenDiskBelowThreshold_data() { addBackendRows(); }
    void readyzFailsWhenDiskBelowThreshold()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        Config config = serviceConfig(fixture);
        config.alerts.minFreeDiskMb = 2'000'000'000; // 2 PB: more than any disk here has free
        Running service = startService(config);
        const HttpAnswer ready = service.client.get(u"/readyz"_s);
        QCOMPARE(ready.status, 503);
        QCOMPARE(ready.json().value(u"failing"_s).toArray(), QJsonArray{u"disk"_s});
        QVERIFY(ready.json()
                    .value(u"checks"_s)
                    .toObject()
                    .value(u"disk"_s)
                    .toObject()
                    .value(u"detail"_s)
                    .toString()
                    .contains(u"MB free"_s));
        QCOMPARE(service.client.get(u"/healthz"_s).status, 200); // alive, just not ready
    }

    void uploadsAndJobs_data() { addBackendRows(); }
    void uploadsAndJobs()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        Config config = serviceConfig(fixture);
        config.server.apiToken = QString::fromLatin1(kToken);
        Running service = startService(config, kSecret);
        HttpAnswer created = service.client.upload(
            {{u"one.txt"_s, text(1)}, {u"two.md"_s, "# Two\n\n" + text(2)}, {u"three.txt"_s, text(3)}},
            {{"priority", "5"}});
        QVERIFY2(created.status == 201, qPrintable(created.describe()));
        const QJsonArray jobs = created.json().value(u"jobs"_s).toArray();
        QCOMPARE(jobs.size(), 3);
        QCOMPARE(jobs.at(0).toObject().value(u"document"_s).toString(), u"one.txt"_s);
        QCOMPARE(jobs.at(0).toObject().value(u"duplicate"_s).toBool(), false);
        const qint64 first = jobs.at(0).toObject().value(u"id"_s).toInteger();
        QVERIFY(first > 0);
        QCOMPARE(jobCount(fixture.database()), 3);
        QVERIFY2(leftovers(config.server.uploadDir).isEmpty(),
                 qPrintable(leftovers(config.server.uploadDir).join(u' ')));

        // The same bytes again: the existing job, 200.
        const HttpAnswer duplicate = service.client.upload({{u"again.txt"_s, text(1)}});
        QCOMPARE(duplicate.status, 200);
        QCOMPARE(duplicate.json().value(u"jobs"_s).toArray().at(0).toObject().value(u"duplicate"_s).toBool(), true);
        QCOMPARE(duplicate.json().value(u"jobs"_s).toArray().at(0).toObject().value(u"id"_s).toInteger(), first);
        // force: a new job all the same.
        QCOMPARE(service.client.upload({{u"again.txt"_s, text(1)}}, {{"force", "true"}}).status, 201);
        QCOMPARE(jobCount(fixture.database()), 4);

        // One job with its events; the created event names the token's label and the client.
        const HttpAnswer one = service.client.get(u"/v1/jobs/%1"_s.arg(first));
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json().value(u"job"_s).toObject().value(u"document"_s).toString(), u"one.txt"_s);
        const QJsonArray events = one.json().value(u"events"_s).toArray();
        QVERIFY(!events.isEmpty());
        QCOMPARE(events.at(0).toObject().value(u"kind"_s).toString(), u"created"_s);
        QCOMPARE(events.at(0).toObject().value(u"worker"_s).toString(), u"api:ci@127.0.0.1"_s);
        QCOMPARE(service.client.get(u"/v1/jobs/999999"_s).status, 404);
        QCOMPARE(service.client.get(u"/v1/jobs/abc"_s).status, 404);
        QCOMPARE(service.client.get(u"/v1/jobs/%1/chunks"_s.arg(first)).json().value(u"chunks"_s).toArray().size(), 0);
        QCOMPARE(service.client.get(u"/v1/jobs/999999/chunks"_s).status, 404);

        // Paging and filters, as docpipe-cli jobs.
        const HttpAnswer page = service.client.get(u"/v1/jobs?limit=2"_s);
        QCOMPARE(page.json().value(u"jobs"_s).toArray().size(), 2);
        const qint64 next = page.json().value(u"next_after_id"_s).toInteger();
        const HttpAnswer rest = service.client.get(u"/v1/jobs?limit=2&after_id=%1"_s.arg(next));
        QCOMPARE(rest.json().value(u"jobs"_s).toArray().size(), 2);
        QVERIFY(rest.json().value(u"jobs"_s).toArray().at(0).toObject().value(u"id"_s).toInteger() > next);
        QCOMPARE(
            service.client.get(u"/v1/jobs?stage=uploaded&status=queued"_s).json().value(u"jobs"_s).toArray().size(), 4);
        QCOMPARE(service.client.get(u"/v1/jobs?status=failed"_s).json().value(u"jobs"_s).toArray().size(), 0);
        QCOMPARE(service.client.get(u"/v1/jobs?stage=nowhere"_s).status, 400);
        QCOMPARE(service.client.get(u"/v1/jobs?limit=0"_s).status, 400);
        QCOMPARE(service.client.get(u"/v1/jobs?limit=ten"_s).status, 400);

        // Cancel, retry, re-run: the same writes as the window and the CLI.
        QCOMPARE(service.client.post(u"/v1/jobs/%1/cancel"_s.arg(first)).status, 200);
        QCOMPARE(service.client.post(u"/v1/jobs/%1/cancel"_s.arg(first)).status, 409);
        QCOMPARE(service.client.post(u"/v1/jobs/999999/cancel"_s).status, 404);
        QCOMPARE(service.client.get(u"/v1/status"_s).json().value(u"cancelled"_s).toInt(), 1);
        const HttpAnswer badJson = service.client.post(u"/v1/jobs/%1/retry"_s.arg(first), "{not json");
        QCOMPARE(badJson.status, 400);
        QCOMPARE(badJson.json().value(u"error"_s).toObject().value(u"code"_s).toString(), u"bad_json"_s);
        QCOMPARE(service.client.post(u"/v1/jobs/%1/retry"_s.arg(first), R"({"from_start":"yes"})").status, 400);
        QCOMPARE(service.client.post(u"/v1/jobs/%1/retry"_s.arg(first), R"([true])").status, 400);
        QCOMPARE(service.client.post(u"/v1/jobs/%1/retry"_s.arg(first), R"({"fromstart":true})").status, 400);
        QCOMPARE(service.client.post(u"/v1/jobs/999999/retry"_s).status, 404);
        QCOMPARE(service.client.post(u"/v1/jobs/%1/retry"_s.arg(first)).status, 200);
        QCOMPARE(service.client.post(u"/v1/jobs/%1/retry"_s.arg(first)).status, 409); // queued again: not retryable
        const HttpAnswer rerun = service.client.post(u"/v1/jobs/%1/retry"_s.arg(first), R"({"from_start":true})");
        QCOMPARE(rerun.status, 200);
        QCOMPARE(rerun.json().value(u"from_start"_s).toBool(), true);
        auto audit = Store::listEvents(fixture.database(), {.jobId = first});
        QVERIFY(audit);
        int byApi = 0;
        for (const Store::JobEvent &event : audit.value())
            byApi += event.worker == u"api:ci@127.0.0.1"_s ? 1 : 0;
        QCOMPARE(byApi, 4); // created, cancelled, operator_retry, rerun

        QCOMPARE(service.client.post(u"/v1/retry-failed"_s).json().value(u"retried"_s).toInt(), 0);
        QCOMPARE(service.client.post(u"/v1/retry-failed"_s, R"({"code":"timeout"})").status, 200);
        QCOMPARE(service.client.post(u"/v1/retry-failed"_s, R"({"code":5})").status, 400);

        QCOMPARE(service.client.post(u"/v1/pause"_s).json().value(u"paused"_s).toBool(), true);
        QCOMPARE(service.client.get(u"/v1/status"_s).json().value(u"paused"_s).toBool(), true);
        QCOMPARE(service.client.post(u"/v1/resume"_s).json().value(u"paused"_s).toBool(), false);
        const HttpAnswer status = service.client.get(u"/v1/status"_s);
        QCOMPARE(status.json().value(u"total"_s).toInt(), 4);
        QCOMPARE(status.json().value(u"paused"_s).toBool(), false);

        // Wrong methods.
        QCOMPARE(service.client.get(u"/v1/pause"_s).status, 405);
        QCOMPARE(service.client.send("DELETE", u"/v1/jobs/%1"_s.arg(first)).status, 405);
        QCOMPARE(service.client.get(u"/v1/documents"_s).status, 405);
        QCOMPARE(service.client.post(u"/v1/status"_s).status, 405);

        // The secret is nowhere in what was stored.
        QSqlQuery query(fixture.database().sql());
        QVERIFY(
            query.exec(u"SELECT COUNT(*) FROM job_events WHERE worker LIKE '%s3cret%' OR message LIKE '%s3cret%'"_s));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toInt(), 0);
    }

    void tokens_data() { addBackendRows(); }
    void tokens()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        Config config = serviceConfig(fixture);
        config.server.apiToken = QString::fromLatin1(kToken);
        Running service = startService(config);
        HttpClient anonymous = service.client;
        HttpClient wrong = service.client;
        wrong.setToken("s3cret-T0KEN-for-testz");
        HttpClient right = service.client;
        right.setToken(kSecret);
        QCOMPARE(anonymous.get(u"/v1/status"_s).status, 401);
        QCOMPARE(wrong.get(u"/v1/status"_s).status, 401);
        QCOMPARE(right.get(u"/v1/status"_s).status, 200);
        QCOMPARE(anonymous.post(u"/v1/pause"_s).status, 401);
        QCOMPARE(anonymous.upload({{u"a.txt"_s, text(1)}}).status, 401);
        QCOMPARE(wrong.upload({{u"a.txt"_s, text(1)}}).status, 401);
        QCOMPARE(jobCount(fixture.database()), 0);
        QCOMPARE(right.upload({{u"a.txt"_s, text(1)}}).status, 201);
        // Probes are open by default...
        QCOMPARE(anonymous.get(u"/healthz"_s).status, 200);
        QCOMPARE(anonymous.get(u"/metrics"_s).status, 200);
        service.host.reset();
        // ...and closed with server/open_probes=false.
        config.server.openProbes = false;
        Running closed = startService(config);
        QCOMPARE(closed.client.get(u"/metrics"_s).status, 401);
        QCOMPARE(closed.client.get(u"/readyz"_s).status, 401);
        HttpClient closedRight = closed.client;
        closedRight.setToken(kSecret);
        QCOMPARE(closedRight.get(u"/metrics"_s).status, 200);
    }

    void refusesOpenAddressWithoutToken()
    {
        Server::ServiceOptions options;
        options.address.host = QHostAddress(QHostAddress::Any);
        options.address.port = 0;
        Server::ServiceHost host(options);
        QString error;
        QVERIFY(!host.start(&error));
        QVERIFY2(error.contains(u"DOCPIPE_API_TOKEN"_s), qPrintable(error));
    }

    void badUploads_data() { addBackendRows(); }
    void badUploads()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        Config config = serviceConfig(fixture);
        config.engine.maxDocumentBytes = 10000;
        Running service = startService(config, {}, 1500);
        const QString uploads = config.server.uploadDir;

        for (const QString &name : {u"../evil.txt"_s, u"/etc/passwd"_s, u"..\\evil.txt"_s, u"sub/dir.txt"_s, u".."_s,
                                    u"NUL"_s, u"con.txt"_s, u"COM1"_s, u"C:evil.txt"_s, u""_s, u"tab\there.txt"_s}) {
            const HttpAnswer refused = service.client.upload({{name, text(7)}});
            QVERIFY2(refused.status == 400, qPrintable(name + u": "_s + refused.describe()));
            QCOMPARE(refused.json().value(u"error"_s).toObject().value(u"code"_s).toString(), u"bad_form"_s);
        }
        // A NUL byte in the name (only a raw client sends that).
        const QByteArray boundary = "b0undary";
        QByteArray nulBody = HttpClient::multipartBody({{u"a"_s + QChar(0) + u"b.txt"_s, text(8)}}, {}, boundary);
        const HttpAnswer nul = service.client.raw(
            "POST /v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=" + boundary
            + "\r\nContent-Length: " + QByteArray::number(nulBody.size()) + "\r\n\r\n" + nulBody);
        QCOMPARE(nul.status, 400);
        QCOMPARE(jobCount(fixture.database()), 0);
        QVERIFY(!QFileInfo::exists(fixture.tempPath() + u"/evil.txt"_s));

        // A file over the per-document limit; a body over the request limit (refused from its head).
        const HttpAnswer tooBig = service.client.upload({{u"big.txt"_s, text(9, 20000)}});
        QCOMPARE(tooBig.status, 413);
        const HttpAnswer hugeBody = service.client.raw(
            "POST /v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            "Content-Length: 900000000000\r\n\r\n");
        QCOMPARE(hugeBody.status, 413);
        const HttpAnswer hugeJson = service.client.raw("POST /v1/retry-failed HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                                       "application/json\r\nContent-Length: 5000000\r\n\r\n{");
        QCOMPARE(hugeJson.status, 413);
        const HttpAnswer chunked
            = service.client.raw("POST /v1/documents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        QCOMPARE(chunked.status, 411);
        const HttpAnswer hugeHead
            = service.client.raw("GET /healthz HTTP/1.1\r\nX-Pad: " + QByteArray(20000, 'a') + "\r\n\r\n");
        QCOMPARE(hugeHead.status, 431);
        const HttpAnswer garbage = service.client.raw("HELLO\r\n\r\n");
        QCOMPARE(garbage.status, 400);

        // Not a form; an unknown field; a priority that is not a number; no file at all.
        QCOMPARE(service.client.post(u"/v1/documents"_s, "{}", "application/json").status, 415);
        QCOMPARE(service.client.upload({{u"a.txt"_s, text(1)}}, {{"colour", "blue"}}).status, 400);
        QCOMPARE(service.client.upload({{u"a.txt"_s, text(1)}}, {{"priority", "high"}}).status, 400);
        QCOMPARE(service.client.upload({{u"a.txt"_s, text(1)}}, {{"force", "maybe"}}).status, 400);
        QCOMPARE(service.client.upload({}, {{"priority", "1"}}).status, 400);

        // Half a body, then silence: cut off at the idle limit, nothing recorded, nothing left behind.
        const QByteArray body = HttpClient::multipartBody({{u"half.txt"_s, text(10, 8000)}}, {}, boundary);
        const QByteArray head = "POST /v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary="
            + boundary + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
        const HttpAnswer half = service.client.raw(head + body.left(body.size() / 2), 10000);
        QCOMPARE(half.status, 0);
        QCOMPARE(jobCount(fixture.database()), 0);
        QTRY_VERIFY2(leftovers(uploads).isEmpty(), qPrintable(leftovers(uploads).join(u' ')));

        // And the service still works.
        QCOMPARE(service.client.upload({{u"fine.txt"_s, text(11)}}).status, 201);
        QCOMPARE(jobCount(fixture.database()), 1);
        QCOMPARE(service.client.get(u"/healthz"_s).status, 200);
    }

    // Every path and method in /v1/openapi.json answers with a status it documents (and the
    // required members of a documented 2xx body); methods it does not list are refused with 405.
    void openApiIsTrue_data() { addBackendRows(); }
    void openApiIsTrue()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        Running service = startService(serviceConfig(fixture));
        const HttpAnswer created = service.client.upload({{u"spec.txt"_s, text(21)}});
        const qint64 id = created.json().value(u"jobs"_s).toArray().at(0).toObject().value(u"id"_s).toInteger();
        const HttpAnswer spec = service.client.get(u"/v1/openapi.json"_s);
        QCOMPARE(spec.status, 200);
        const QJsonObject paths = spec.json().value(u"paths"_s).toObject();
        QVERIFY(paths.size() >= 14);
        const QJsonObject schemas = spec.json().value(u"components"_s).toObject().value(u"schemas"_s).toObject();
        const QStringList methods{u"get"_s, u"post"_s, u"put"_s, u"delete"_s};
        for (auto it = paths.begin(); it != paths.end(); ++it) {
            const QString path = QString(it.key()).replace(u"{id}"_s, QString::number(id));
            const QJsonObject operations = it.value().toObject();
            for (const QString &method : methods) {
                if (!operations.contains(method)) {
                    if (path == u"/v1/documents"_s && method == u"get"_s)
                        continue; // covered below
                    const HttpAnswer refused = service.client.send(method.toUpper().toLatin1(), path);
                    QVERIFY2(refused.status == 405, qPrintable(method + u' ' + path + u": "_s + refused.describe()));
                    continue;
                }
                const HttpAnswer answer = path == u"/v1/documents"_s
                    ? service.client.upload({{u"spec-%1.txt"_s.arg(method), text(22)}})
                    : service.client.send(method.toUpper().toLatin1(), path, {},
                                          method == u"post"_s ? "application/json" : QByteArray());
                const QJsonObject responses = operations.value(method).toObject().value(u"responses"_s).toObject();
                QVERIFY2(responses.contains(QString::number(answer.status)),
                         qPrintable(method + u' ' + path + u" answered "_s + answer.describe()));
                if (answer.status >= 300)
                    continue;
                QJsonObject schema = responses.value(QString::number(answer.status))
                                         .toObject()
                                         .value(u"content"_s)
                                         .toObject()
                                         .value(u"application/json"_s)
                                         .toObject()
                                         .value(u"schema"_s)
                                         .toObject();
                if (schema.contains(u"$ref"_s))
                    schema = schemas.value(schema.value(u"$ref"_s).toString().section(u'/', -1)).toObject();
                for (const QJsonValue &required : schema.value(u"required"_s).toArray())
                    QVERIFY2(answer.json().contains(required.toString()),
                             qPrintable(method + u' ' + path + u" lacks "_s + required.toString()));
            }
        }
    }

    // /metrics agrees with docpipe-cli status after a run with failures and operator retries.
    void metricsAgreeWithStatus_data() { addBackendRows(); }
    void metricsAgreeWithStatus()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        const QString dir = fixture.tempPath();
        QStringList paths;
        for (int i = 0; i < 4; ++i) {
            const QString path = dir + u"/good-%1.txt"_s.arg(i);
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(text(100 + i, 3000));
            paths << path;
        }
        const QString empty = dir + u"/empty.txt"_s;
        QFile(empty).open(QIODevice::WriteOnly);
        paths << empty; // fails: an empty document
        QCOMPARE(runPipelineToEnd(fixture.url(), paths), QString());

        Running service = startService(serviceConfig(fixture));
        QCOMPARE(service.client.post(u"/v1/retry-failed"_s).json().value(u"retried"_s).toInt(), 1);
        QCOMPARE(runPipelineToEnd(fixture.url(), {}), QString()); // fails again

        const PromExposition metrics = parsePrometheus(service.client.get(u"/metrics"_s).body);
        QVERIFY2(metrics.error.isEmpty(), qPrintable(metrics.error));
        auto counts = Store::statusCounts(fixture.database());
        QVERIFY(counts);
        QCOMPARE(int(metrics.sum(u"docpipe_jobs"_s)), counts.value().total);
        QCOMPARE(int(metrics.sum(u"docpipe_jobs"_s, {{u"status"_s, u"failed"_s}})), counts.value().failed);
        QCOMPARE(int(metrics.sum(u"docpipe_jobs"_s, {{u"stage"_s, u"embedded"_s}})),
                 counts.value().byStage.value(Stage::Embedded));
        QCOMPARE(int(metrics.sum(u"docpipe_documents_embedded_total"_s)), 4);
        QCOMPARE(int(metrics.sum(u"docpipe_stage_errors_total"_s, {{u"outcome"_s, u"failed"_s}})),
                 2); // twice the same job
        QCOMPARE(int(metrics.sum(u"docpipe_retries_total"_s, {{u"by"_s, u"operator"_s}})), 1);
        QCOMPARE(int(metrics.sum(u"docpipe_jobs"_s, {{u"status"_s, u"queued"_s}})), 0);
        // Every completed stage has a duration.
        QVERIFY(metrics.sum(u"docpipe_stage_duration_seconds_count"_s, {{u"stage"_s, u"parsing"_s}}) >= 4);
        QCOMPARE(metrics.types.value(u"docpipe_stage_duration_seconds"_s), u"histogram"_s);
        QCOMPARE(metrics.types.value(u"docpipe_transitions_total"_s), u"counter"_s);
    }
};

QTEST_MAIN(TestHttpService)
#include "tst_httpservice.moc"
