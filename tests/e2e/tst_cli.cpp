// End to end through the real docpipe-cli binary, on SQLite and on PostgreSQL.
#include "clirunner.h"
#include "documentgenerator.h"
#include "specialfiles.h"
#include "store/jobqueries.h"
#include "store/workerregistry.h"
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QSettings>
#include <QSqlQuery>
#include <QTest>

#include <csignal>

using namespace Docpipe;
using namespace Docpipe::Test;

namespace {

// (document, index) -> text + vector, from an export.
using ExportMap = QMap<QPair<QString, int>, QPair<QString, QJsonArray>>;

ExportMap readExport(const QString &path, QString *problem)
{
    ExportMap rows;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = QStringLiteral("cannot open export");
        return rows;
    }
    const QStringList keys{QStringLiteral("document"), QStringLiteral("job"),    QStringLiteral("index"),
                           QStringLiteral("text"),     QStringLiteral("tokens"), QStringLiteral("page_start"),
                           QStringLiteral("page_end"), QStringLiteral("model"),  QStringLiteral("dims"),
                           QStringLiteral("vector")};
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
        if (error.error != QJsonParseError::NoError) {
            *problem = QStringLiteral("line is not JSON: ") + error.errorString();
            return rows;
        }
        for (const QString &key : keys) {
            if (!object.contains(key)) {
                *problem = QStringLiteral("line lacks key ") + key;
                return rows;
            }
        }
        const QJsonArray vector = object.value(QStringLiteral("vector")).toArray();
        if (vector.size() != object.value(QStringLiteral("dims")).toInt() || vector.isEmpty()) {
            *problem = QStringLiteral("vector length differs from dims");
            return rows;
        }
        const auto key = qMakePair(object.value(QStringLiteral("document")).toString(),
                                   object.value(QStringLiteral("index")).toInt());
        if (rows.contains(key)) {
            *problem = QStringLiteral("duplicate chunk %1 #%2").arg(key.first).arg(key.second);
            return rows;
        }
        rows.insert(key, qMakePair(object.value(QStringLiteral("text")).toString(), vector));
    }
    return rows;
}

QMap<QString, QJsonObject> jobsByDocument(const QString &db)
{
    const CliResult result = runCli({QStringLiteral("--db"), db, QStringLiteral("jobs"), QStringLiteral("--json")});
    QMap<QString, QJsonObject> jobs;
    for (const QJsonValue &value : result.json().array())
        jobs.insert(value.toObject().value(QStringLiteral("document")).toString(), value.toObject());
    return jobs;
}

int doneCount(const Store::Database &db)
{
    auto counts = Store::statusCounts(db);
    return counts ? counts.value().byStage.value(Stage::Embedded) : -1;
}

} // namespace

class tst_Cli final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void mixedDocumentsReachEmbedded_data() { addBackendRows(); }
    void mixedDocumentsReachEmbedded();
    void killedWorkerLosesAndDuplicatesNothing_data() { addBackendRows(); }
    void killedWorkerLosesAndDuplicatesNothing();
    void badInputFailsAloneWithItsOwnCode_data() { addBackendRows(); }
    void badInputFailsAloneWithItsOwnCode();
    void operatorCommandsAndExitCodes_data() { addBackendRows(); }
    void operatorCommandsAndExitCodes();
    void twoWorkersShareOneQueue_data() { addBackendRows(); }
    void twoWorkersShareOneQueue();
    void linksOutOfTheFolderNeedConsent_data() { addBackendRows(); }
    void linksOutOfTheFolderNeedConsent();
};

void tst_Cli::initTestCase()
{
    QVERIFY2(QFile::exists(cliPath()), "DOCPIPE_CLI must point at the built docpipe-cli");
}

void tst_Cli::mixedDocumentsReachEmbedded()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString docs = fixture.tempPath() + QStringLiteral("/docs");
    const auto corpus = generateMixedCorpus(docs, 20, 11, 60);
    QCOMPARE(corpus.size(), 20);

    const CliResult ingest
        = runCli({QStringLiteral("--db"), fixture.url(), QStringLiteral("ingest"), QStringLiteral("--wait"), docs});
    QVERIFY2(ingest.exitCode == 0, qPrintable(ingest.describe()));
    QVERIFY(ingest.out.contains("20 document(s): 20 embedded, 0 failed"));

    const CliResult status
        = runCli({QStringLiteral("--db"), fixture.url(), QStringLiteral("status"), QStringLiteral("--json")});
    const QJsonObject counts = status.json().object();
    QCOMPARE(counts.value(QStringLiteral("total")).toInt(), 20);
    QCOMPARE(counts.value(QStringLiteral("stages")).toObject().value(QStringLiteral("embedded")).toInt(), 20);
    QCOMPARE(counts.value(QStringLiteral("failed")).toInt(), 0);

    const auto jobs = jobsByDocument(fixture.url());
    int chunkTotal = 0;
    for (const GeneratedDocument &doc : corpus) {
        const QJsonObject job = jobs.value(QFileInfo(doc.path).fileName());
        QCOMPARE(job.value(QStringLiteral("status")).toString(), QStringLiteral("done"));
        QCOMPARE(job.value(QStringLiteral("pages")).toInt(),
                 doc.type == QLatin1String("pdf") || doc.type == QLatin1String("docx") ? int(doc.pageTexts.size()) : 1);
        QVERIFY(job.value(QStringLiteral("chunks")).toInt() >= 1);
        chunkTotal += job.value(QStringLiteral("chunks")).toInt();
    }
    QCOMPARE(jobs.value(QStringLiteral("doc-0001.pdf")).value(QStringLiteral("pages")).toInt(), 60);

    const QString exported = fixture.tempPath() + QStringLiteral("/out.jsonl");
    const CliResult exportRun
        = runCli({QStringLiteral("--db"), fixture.url(), QStringLiteral("export"), QStringLiteral("--format"),
                  QStringLiteral("jsonl"), QStringLiteral("-o"), exported});
    QVERIFY2(exportRun.exitCode == 0, qPrintable(exportRun.describe()));
    QString problem;
    const ExportMap rows = readExport(exported, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(rows.size(), chunkTotal);
}

void tst_Cli::killedWorkerLosesAndDuplicatesNothing()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString docs = fixture.tempPath() + QStringLiteral("/docs");
    generateMixedCorpus(docs, 40, 23, 60);
    const int total = 40;

    // The reference: the same documents, uninterrupted, in a database of their own.
    TestDatabase reference(QStringLiteral("sqlite"));
    QVERIFY(reference.isReady());
    QCOMPARE(runCli({QStringLiteral("--db"), reference.url(), QStringLiteral("ingest"), QStringLiteral("--wait"), docs})
                 .exitCode,
             0);

    // One slot per stage and short leases, so the kill lands mid-run.
    const QString ini = fixture.tempPath() + QStringLiteral("/worker.ini");
    {
        QSettings settings(ini, QSettings::IniFormat);
        settings.setValue(QStringLiteral("engine/parse_concurrency"), 1);
        settings.setValue(QStringLiteral("engine/chunk_concurrency"), 1);
        settings.setValue(QStringLiteral("engine/embed_concurrency"), 1);
        settings.setValue(QStringLiteral("engine/heartbeat_ms"), 200);
    }
    const QStringList common{QStringLiteral("--db"), fixture.url(), QStringLiteral("--config"), ini};
    QCOMPARE(runCli(common + QStringList{QStringLiteral("ingest"), docs}).exitCode, 0);

    const Store::Database db = fixture.database();
    QProcess *first = startCli(common + QStringList{QStringLiteral("worker")}, this);
    QVERIFY(first->waitForStarted());
    QVERIFY(QTest::qWaitFor([&] { return doneCount(db) >= 2; }, 60000));
    ::kill(pid_t(first->processId()), SIGKILL);
    QVERIFY(first->waitForFinished(10000));
    const int doneAtKill = doneCount(db);
    QVERIFY2(doneAtKill < total,
             "the worker finished before it could be killed; the corpus is too small to test recovery");

    QProcess *second = startCli(common + QStringList{QStringLiteral("worker")}, this);
    QVERIFY(second->waitForStarted());
    QVERIFY(QTest::qWaitFor([&] { return doneCount(db) == total; }, 120000));
    ::kill(pid_t(second->processId()), SIGTERM);
    QVERIFY(second->waitForFinished(20000));
    QCOMPARE(second->exitCode(), 0);

    auto leased = Store::listJobs(db, {.status = JobStatus::Running});
    QVERIFY(leased.ok());
    QCOMPARE(leased.value().size(), 0);

    QString problem;
    const QString crashedExport = fixture.tempPath() + QStringLiteral("/crashed.jsonl");
    const QString referenceExport = fixture.tempPath() + QStringLiteral("/reference.jsonl");
    QCOMPARE(
        runCli({QStringLiteral("--db"), fixture.url(), QStringLiteral("export"), QStringLiteral("-o"), crashedExport})
            .exitCode,
        0);
    QCOMPARE(runCli({QStringLiteral("--db"), reference.url(), QStringLiteral("export"), QStringLiteral("-o"),
                     referenceExport})
                 .exitCode,
             0);
    const ExportMap crashed = readExport(crashedExport, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const ExportMap expected = readExport(referenceExport, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(crashed.size(), expected.size());
    QVERIFY2(crashed == expected, "the recovered run's chunks and vectors differ from an uninterrupted run's");
}

void tst_Cli::badInputFailsAloneWithItsOwnCode()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString dir = fixture.tempPath() + QStringLiteral("/drop");
    const QList<BadDocument> bad = generateBadCorpus(dir + QStringLiteral("/bad"));
    const auto good = generateMixedCorpus(dir + QStringLiteral("/good"), 5, 5, 3);
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/awkward")));
    const QStringList awkward
        = writeAwkwardlyNamedFiles(dir + QStringLiteral("/awkward"), 900); // seeds apart from the corpus: no duplicates
    QCOMPARE(awkward.size(), 6);
    QVERIFY(std::none_of(awkward.begin(), awkward.end(), [](const QString &p) { return p.isEmpty(); }));
    // A single 200 MB line, over the 64 MiB per-document limit: fails clearly without being read
    // into memory (the hash is streamed).
    {
        QFile line(dir + QStringLiteral("/one-line.txt"));
        QVERIFY(line.open(QIODevice::WriteOnly));
        const QByteArray block(1 << 20, 'a');
        for (int i = 0; i < 200; ++i)
            line.write(block);
    }
    QVERIFY(QFile::link(dir, dir + QStringLiteral("/good/loop"))); // a symlink loop in a folder

    const CliResult run = runCli(
        {QStringLiteral("--db"), fixture.url(), QStringLiteral("ingest"), QStringLiteral("--wait"), dir}, 240000);
    QVERIFY2(run.finished, qPrintable(run.describe()));
    QCOMPARE(run.exitCode, 1); // some documents failed
    QVERIFY2(run.err.contains("symbolic link loop"), qPrintable(run.describe()));

    const auto jobs = jobsByDocument(fixture.url());
    for (const BadDocument &doc : bad) {
        const QJsonObject job = jobs.value(QFileInfo(doc.path).fileName());
        QVERIFY2(!job.isEmpty(), qPrintable(doc.path));
        if (doc.expectedCode.isEmpty()) {
            QCOMPARE(job.value(QStringLiteral("status")).toString(), QStringLiteral("done"));
        } else {
            QCOMPARE(job.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
            QCOMPARE(job.value(QStringLiteral("error_code")).toString(), doc.expectedCode);
            QVERIFY(job.value(QStringLiteral("error_message")).toString().size() > 10);
        }
    }
    for (const GeneratedDocument &doc : good)
        QCOMPARE(jobs.value(QFileInfo(doc.path).fileName()).value(QStringLiteral("status")).toString(),
                 QStringLiteral("done"));
    for (const QString &path : awkward) {
        const QString status = jobs.value(QFileInfo(path).fileName()).value(QStringLiteral("status")).toString();
        QVERIFY2(status == QLatin1String("done"),
                 qPrintable(QStringLiteral("%1: '%2'\n%3").arg(path, status, QString::fromUtf8(run.out))));
    }
    const QJsonObject big = jobs.value(QStringLiteral("one-line.txt"));
    QCOMPARE(big.value(QStringLiteral("error_code")).toString(), QStringLiteral("file_too_large"));
    QVERIFY(big.value(QStringLiteral("error_message")).toString().contains(QLatin1String("200.0 MB")));
}

void tst_Cli::linksOutOfTheFolderNeedConsent()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString dir = fixture.tempPath() + QStringLiteral("/drop");
    generateMixedCorpus(dir, 2, 2, 2);
    const QString secret = fixture.tempPath() + QStringLiteral("/shadow.txt");
    {
        QFile file(secret);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("root:$y$j9T$secret-hash:19000:0:99999:7:::\n");
    }
    QVERIFY(QFile::link(secret, dir + QStringLiteral("/shadow.txt")));
    QVERIFY(makeFifo(dir + QStringLiteral("/pipe.txt")));
    const QStringList db{QStringLiteral("--db"), fixture.url()};

    const CliResult plain = runCli(db + QStringList{QStringLiteral("ingest"), dir});
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.describe()));
    QVERIFY2(plain.err.contains(QStringLiteral("note: skipped %1/shadow.txt: a symbolic link to %2, outside the folder")
                                    .arg(dir, secret)
                                    .toUtf8()),
             qPrintable(plain.describe()));
    QVERIFY2(plain.err.contains(QStringLiteral("note: skipped %1/pipe.txt: a named pipe (FIFO)").arg(dir).toUtf8()),
             qPrintable(plain.describe()));
    QCOMPARE(plain.out.count("queued job"), 2);
    QVERIFY(!jobsByDocument(fixture.url()).contains(QStringLiteral("shadow.txt")));
    QVERIFY(!plain.out.contains("secret-hash") && !plain.err.contains("secret-hash"));

    // The operator asks for it: the link is followed; the pipe is still never opened.
    const CliResult follow
        = runCli(db + QStringList{QStringLiteral("ingest"), QStringLiteral("--follow-symlinks"), dir});
    QVERIFY2(follow.exitCode == 0, qPrintable(follow.describe()));
    QVERIFY2(follow.out.contains("queued job") && follow.out.contains("shadow.txt"), qPrintable(follow.describe()));
    QVERIFY(follow.err.contains("pipe.txt: a named pipe (FIFO)"));
    QVERIFY(jobsByDocument(fixture.url()).contains(QStringLiteral("shadow.txt")));

    // The setting does what the flag does (a fresh database: the link was ingested above).
    Docpipe::Test::TestDatabase other(backend);
    QVERIFY(other.isReady());
    const QString ini = other.tempPath() + QStringLiteral("/docpipe.ini");
    {
        QFile file(ini);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[ingest]\nfollow_symlinks=true\n");
    }
    const CliResult configured = runCli(QStringList{QStringLiteral("--config"), ini, QStringLiteral("--db"),
                                                    other.url(), QStringLiteral("ingest"), dir});
    QVERIFY2(configured.exitCode == 0, qPrintable(configured.describe()));
    QVERIFY2(configured.out.contains("shadow.txt"), qPrintable(configured.describe()));
    QVERIFY(configured.err.contains("pipe.txt: a named pipe (FIFO)"));
    QVERIFY(jobsByDocument(other.url()).contains(QStringLiteral("shadow.txt")));
}

void tst_Cli::operatorCommandsAndExitCodes()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString dir = fixture.tempPath() + QStringLiteral("/drop");
    generateMixedCorpus(dir, 3, 3, 2);
    writeCorruptDocx(dir, QStringLiteral("broken.docx"));
    const QStringList db{QStringLiteral("--db"), fixture.url()};

    QCOMPARE(runCli(db + QStringList{QStringLiteral("ingest"), QStringLiteral("--wait"), dir}).exitCode, 1);
    const CliResult again = runCli(db + QStringList{QStringLiteral("ingest"), dir});
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(again.out.count("duplicate of job"), 4);

    const CliResult failed
        = runCli(db + QStringList{QStringLiteral("jobs"), QStringLiteral("--failed"), QStringLiteral("--json")});
    QCOMPARE(failed.json().array().size(), 1);
    const QJsonObject broken = failed.json().array().first().toObject();
    QCOMPARE(broken.value(QStringLiteral("stage")).toString(), QStringLiteral("parsing"));
    QCOMPARE(broken.value(QStringLiteral("error_code")).toString(), QStringLiteral("corrupt_docx"));
    const QString brokenId = QString::number(broken.value(QStringLiteral("id")).toInteger());

    const CliResult errors
        = runCli(db + QStringList{QStringLiteral("events"), QStringLiteral("--errors"), QStringLiteral("--json")});
    QCOMPARE(errors.json().array().size(), 1);
    QCOMPARE(errors.json().array().first().toObject().value(QStringLiteral("code")).toString(),
             QStringLiteral("corrupt_docx"));

    const CliResult retry = runCli(db + QStringList{QStringLiteral("retry"), QStringLiteral("--failed")});
    QVERIFY2(retry.exitCode == 0 && retry.out.contains("retrying 1 job"), qPrintable(retry.describe()));
    auto job = Store::findJob(fixture.database(), brokenId.toLongLong());
    QCOMPARE(job.value()->stage, Stage::Uploaded);
    QCOMPARE(job.value()->status, JobStatus::Queued);

    QCOMPARE(runCli(db + QStringList{QStringLiteral("cancel"), brokenId}).exitCode, 0);
    QCOMPARE(Store::findJob(fixture.database(), brokenId.toLongLong()).value()->status, JobStatus::Cancelled);
    const CliResult missing = runCli(db + QStringList{QStringLiteral("cancel"), QStringLiteral("9999")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("no job 9999"));
    QCOMPARE(
        runCli(db + QStringList{QStringLiteral("retry"), QStringLiteral("1"), QStringLiteral("--from-start")}).exitCode,
        0);
    QCOMPARE(Store::findJob(fixture.database(), 1).value()->stage, Stage::Uploaded);

    QCOMPARE(runCli(db + QStringList{QStringLiteral("pause")}).exitCode, 0);
    QVERIFY(Store::listJobs(fixture.database()).ok());
    QCOMPARE(runCli(db + QStringList{QStringLiteral("resume")}).exitCode, 0);

    const CliResult unknown = runCli({QStringLiteral("frobnicate")});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains("unknown command"));
    const CliResult misnamed
        = runCli({QStringLiteral("--database"), QStringLiteral("/tmp/jobs.sqlite"), QStringLiteral("jobs")});
    QCOMPARE(misnamed.exitCode, 2);
    QVERIFY2(misnamed.err.contains("unknown option '--database'"), misnamed.err.constData());
    const CliResult badDb = runCli(
        {QStringLiteral("--db"), QStringLiteral("postgresql://nobody:pw@127.0.0.1:1/none"), QStringLiteral("status")});
    QCOMPARE(badDb.exitCode, 1);
    QVERIFY(!badDb.err.contains("pw@"));
    QCOMPARE(badDb.err.count('\n'), 1); // one line with the reason
}

void tst_Cli::twoWorkersShareOneQueue()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString docs = fixture.tempPath() + QStringLiteral("/docs");
    generateMixedCorpus(docs, 40, 31, 30);
    const int total = 40;
    const QStringList db{QStringLiteral("--db"), fixture.url()};
    const Store::Database database = fixture.database();

    // Two worker processes on one database, as on two machines: each job is done once, by one of
    // them. Both are up before the work arrives, so both get a share.
    QProcess *first = startCli(db + QStringList{QStringLiteral("worker")}, this);
    QProcess *second = startCli(db + QStringList{QStringLiteral("worker")}, this);
    QVERIFY(first->waitForStarted() && second->waitForStarted());
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto workers = Store::listWorkers(database, Store::nowMs() - 60000);
            return workers
                && std::count_if(workers.value().begin(), workers.value().end(),
                                 [](const Store::WorkerRecord &w) { return w.state == QLatin1String("running"); })
                == 2;
        },
        30000));
    QCOMPARE(runCli(db + QStringList{QStringLiteral("ingest"), docs}).exitCode, 0);
    QVERIFY(QTest::qWaitFor([&] { return doneCount(database) == total; }, 120000));
    for (QProcess *worker : {first, second}) {
        ::kill(pid_t(worker->processId()), SIGTERM);
        QVERIFY(worker->waitForFinished(20000));
        QCOMPARE(worker->exitCode(), 0);
    }

    QSqlQuery query(database.sql());
    QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*) FROM job_events WHERE kind = 'transition'")) && query.next());
    QCOMPARE(query.value(0).toInt(), total * 6);
    QVERIFY(query.exec(QStringLiteral(
                "SELECT COUNT(*) FROM (SELECT job_id, to_stage FROM job_events WHERE kind = 'transition' "
                "GROUP BY job_id, to_stage HAVING COUNT(*) > 1) AS twice"))
            && query.next());
    QCOMPARE(query.value(0).toInt(), 0);
    QVERIFY(query.exec(QStringLiteral("SELECT COUNT(DISTINCT worker) FROM job_events WHERE kind = 'transition'"))
            && query.next());
    QCOMPARE(query.value(0).toInt(), 2); // both took a share
    QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*) FROM chunks")) && query.next());
    const int chunks = query.value(0).toInt();
    QVERIFY(query.exec(QStringLiteral("SELECT SUM(chunks) FROM jobs")) && query.next());
    QCOMPARE(chunks, query.value(0).toInt());
    QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*) FROM jobs WHERE lease_owner IS NOT NULL")) && query.next());
    QCOMPARE(query.value(0).toInt(), 0);
}

QTEST_MAIN(tst_Cli)
#include "tst_cli.moc"
