// The HTTP service under load. Prints figures; not a test.
//   bench_api uploads [count, default 1000] [clients, default 16]
//     A real `docpipe-cli worker --listen` on a fresh SQLite database takes `count` small text
//     files from `clients` concurrent clients while its engine runs: uploads/s, p50/p95 latency,
//     the engine's throughput (documents embedded per second) beside the same number of documents
//     ingested without the API, and the worker's peak RSS in both runs.
//   bench_api scrape [jobs, default 100000] [scrapes, default 20]
//     GET /metrics against 100,000 jobs (eight events each) on SQLite and, when
//     DOCPIPE_TEST_PG_URL is set, PostgreSQL: the first scrape (which aggregates the whole event
//     log once) and the steady ones (target under 100 ms).
#include "benchfleet.h"
#include "benchmeasures.h"
#include "httpclient.h"
#include "servicehost.h"
#include "testdatabase.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <csignal>

using namespace Docpipe;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    return values.at(qMin(values.size() - 1, qsizetype(p * double(values.size()))));
}

QString cliPath()
{
    const QString fromEnv = qEnvironmentVariable("DOCPIPE_CLI");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QCoreApplication::applicationDirPath() + u"/../../app/cli/docpipe-cli"_s;
}

QByteArray document(int i)
{
    QByteArray text = "# Upload " + QByteArray::number(i) + "\n\n";
    for (int p = 0; p < 6; ++p)
        text += "Paragraph " + QByteArray::number(p) + " of document " + QByteArray::number(i)
            + " carries a few sentences for the chunker and the embedder to work on. ";
    return text;
}

struct Worker
{
    QProcess process;
    int port = 0;
    bool start(const QString &db, const QString &home)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_DATA_HOME"_s, home);
        process.setProcessEnvironment(env);
        process.start(cliPath(), {u"--db"_s, db, u"worker"_s, u"--listen"_s, u"127.0.0.1:0"_s});
        QByteArray log;
        static const QRegularExpression serving(u"serving http://127\\.0\\.0\\.1:(\\d+)"_s);
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 30000 && port == 0 && process.state() != QProcess::NotRunning) {
            process.waitForReadyRead(100);
            log += process.readAllStandardError();
            const auto match = serving.match(QString::fromUtf8(log));
            port = match.hasMatch() ? match.captured(1).toInt() : 0;
        }
        return port > 0;
    }
    void stop()
    {
        if (process.processId() > 0)
            ::kill(pid_t(process.processId()), SIGTERM);
        process.waitForFinished(60000);
    }
};

int embedded(const HttpClient &client)
{
    return client.get(u"/v1/status"_s).json().value(u"stages"_s).toObject().value(u"embedded"_s).toInt();
}

// Waits until `count` documents are embedded; the seconds from `since` until then.
double waitEmbedded(const HttpClient &client, int count, const QElapsedTimer &since)
{
    while (embedded(client) < count)
        QThread::msleep(20);
    return double(since.elapsed()) / 1000.0;
}

void benchUploads(int count, int clients)
{
    QTemporaryDir dir;
    // Without the API: the files ingested first, then the worker runs them.
    {
        const QString files = dir.filePath(u"files"_s);
        QDir().mkpath(files);
        for (int i = 0; i < count; ++i) {
            QFile file(u"%1/doc-%2.md"_s.arg(files).arg(i));
            file.open(QIODevice::WriteOnly);
            file.write(document(i));
        }
        const QString db = dir.filePath(u"plain.sqlite"_s);
        QProcess ingest;
        ingest.start(cliPath(), {u"--db"_s, db, u"ingest"_s, files});
        ingest.waitForFinished(600000);
        Worker worker;
        QElapsedTimer timer;
        timer.start();
        if (!worker.start(db, dir.filePath(u"home1"_s)))
            qFatal("worker did not start");
        const HttpClient client(QUrl(u"http://127.0.0.1:%1"_s.arg(worker.port)));
        const double seconds = waitEmbedded(client, count, timer);
        const qint64 rss = peakRssKb(worker.process.processId());
        worker.stop();
        out() << "engine without uploads: " << count << " documents embedded in " << QString::number(seconds, 'f', 1)
              << " s (" << QString::number(count / seconds, 'f', 1) << " documents/s); worker peak RSS " << rss / 1024
              << " MB\n";
        out().flush();
    }
    // Through the API while the worker runs.
    Worker worker;
    if (!worker.start(dir.filePath(u"api.sqlite"_s), dir.filePath(u"home2"_s)))
        qFatal("worker did not start");
    const QUrl base(u"http://127.0.0.1:%1"_s.arg(worker.port));
    QList<double> latencies;
    int next = 0;
    int failures = 0;
    QElapsedTimer timer;
    timer.start();
    QEventLoop loop;
    std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
    const QByteArray boundary = "bench-boundary-k3Jd9";
    std::function<void(QNetworkAccessManager *)> sendNext = [&](QNetworkAccessManager *manager) {
        if (next >= count) {
            if (latencies.size() + failures == count)
                loop.quit();
            return;
        }
        const int i = next++;
        QNetworkRequest request(QUrl(base.toString() + u"/v1/documents"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("multipart/form-data; boundary=" + boundary));
        const QByteArray body = HttpClient::multipartBody({{u"doc-%1.md"_s.arg(i), document(i)}}, {}, boundary);
        auto *started = new QElapsedTimer;
        started->start();
        QNetworkReply *reply = manager->post(request, body);
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply, started, manager] {
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 201)
                latencies << double(started->nsecsElapsed()) / 1e6;
            else
                ++failures;
            delete started;
            reply->deleteLater();
            sendNext(manager);
        });
    };
    for (int c = 0; c < clients; ++c) {
        managers.push_back(std::make_unique<QNetworkAccessManager>());
        sendNext(managers.back().get());
    }
    loop.exec();
    const double uploadSeconds = double(timer.elapsed()) / 1000.0;
    const HttpClient client(base);
    const double seconds = waitEmbedded(client, count - failures, timer);
    const qint64 rss = peakRssKb(worker.process.processId());
    worker.stop();
    out() << "uploads: " << latencies.size() << " in " << QString::number(uploadSeconds, 'f', 1) << " s from "
          << clients << " clients: " << QString::number(latencies.size() / uploadSeconds, 'f', 1)
          << " uploads/s, latency p50 " << QString::number(percentile(latencies, 0.5), 'f', 1) << " ms, p95 "
          << QString::number(percentile(latencies, 0.95), 'f', 1) << " ms, " << failures << " failed\n"
          << "engine with uploads: " << count - failures << " documents embedded " << QString::number(seconds, 'f', 1)
          << " s after the first upload (" << QString::number((count - failures) / seconds, 'f', 1)
          << " documents/s); worker peak RSS " << rss / 1024 << " MB\n";
    out().flush();
}

void benchScrape(const QString &backend, int jobs, int scrapes)
{
    TestDatabase fixture(backend);
    if (!fixture.isReady()) {
        out() << backend << ": skipped (" << fixture.skipReason() << ")\n";
        return;
    }
    QElapsedTimer timer;
    timer.start();
    fillFleet(fixture.database(), jobs);
    const qint64 fillMs = timer.elapsed();
    Server::ServiceOptions options;
    options.config.databaseUrl = fixture.url();
    options.config.server.uploadDir = fixture.tempPath() + u"/uploads"_s;
    options.address.host = QHostAddress(QHostAddress::LocalHost);
    Server::ServiceHost host(options);
    QString error;
    if (!host.start(&error))
        qFatal("%s", qPrintable(error));
    const HttpClient client(QUrl(u"http://127.0.0.1:%1"_s.arg(host.port())));
    timer.restart();
    const HttpAnswer first = client.get(u"/metrics"_s, 600000);
    const double firstMs = double(timer.nsecsElapsed()) / 1e6;
    if (first.status != 200)
        qFatal("scrape failed: %s", qPrintable(first.describe()));
    QList<double> times;
    qsizetype bytes = 0;
    for (int i = 0; i < scrapes; ++i) {
        timer.restart();
        const HttpAnswer answer = client.get(u"/metrics"_s);
        times << double(timer.nsecsElapsed()) / 1e6;
        bytes = answer.body.size();
    }
    out() << backend << ": " << jobs << " jobs, " << jobs * 8 << " events (filled in " << fillMs
          << " ms); GET /metrics first " << QString::number(firstMs, 'f', 1) << " ms, then median "
          << QString::number(percentile(times, 0.5), 'f', 1) << " ms, max "
          << QString::number(percentile(times, 1.0), 'f', 1) << " ms over " << scrapes << " scrapes (" << bytes
          << " bytes)\n";
    out().flush();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString part = argc > 1 ? QString::fromLocal8Bit(argv[1]) : u"uploads"_s;
    const int first = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : (part == u"scrape"_s ? 100000 : 1000);
    const int second = argc > 3 ? QString::fromLocal8Bit(argv[3]).toInt() : (part == u"scrape"_s ? 20 : 16);
    if (part == u"scrape"_s) {
        for (const char *backend : {"sqlite", "postgres"})
            benchScrape(QString::fromLatin1(backend), first, second);
    } else {
        benchUploads(first, second);
    }
    return 0;
}
