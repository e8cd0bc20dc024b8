// Retention on SQLite and PostgreSQL: pruning forgets what finished jobs left behind before the
// cut-off, in batches, and keeps everything a queued, running or failed job needs and every
// current version's chunks.
#include "documentgenerator.h"
#include "engine/ingestor.h"
#include "pipelinerun.h"
#include "store/jobcontrol.h"
#include "store/retention.h"
#include "testdatabase.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Test;

namespace {

qint64 scalar(const Store::Database &db, const QString &sql)
{
    QSqlQuery query(db.sql());
    if (!query.exec(sql) || !query.next())
        qFatal("query failed: %s", qPrintable(sql));
    return query.value(0).toLongLong();
}

void exec(const Store::Database &db, const QString &sql)
{
    QSqlQuery query(db.sql());
    if (!query.exec(sql))
        qFatal("statement failed: %s", qPrintable(sql));
}

constexpr qint64 kOld = 1000; // epoch ms: long before any cut-off
constexpr qint64 kCutoff = 1000000;

} // namespace

class tst_Retention final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void prunesFinishedJobsAndKeepsWhatOthersNeed_data() { addBackendRows(); }
    void prunesFinishedJobsAndKeepsWhatOthersNeed()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        const Store::Database db = fixture.database();
        QTemporaryDir docs;
        QStringList paths;
        for (int i = 0; i < 8; ++i)
            paths << writeMarkdown(docs.path(), QStringLiteral("doc%1.md").arg(i), 500 + quint32(i)).path;
        const QString ran = runPipelineToEnd(fixture.url(), paths);
        QVERIFY2(ran.isEmpty(), qPrintable(ran));
        // Jobs 1-8 are embedded. Make 1-5 old; 6 stays recent. Job 7 failed, job 8 runs, both
        // old; a ninth, cancelled and old; a changed version of doc0 supersedes job 1's content.
        exec(db, QStringLiteral("UPDATE jobs SET updated_at = %1 WHERE id <= 5 OR id IN (7, 8)").arg(kOld));
        exec(db, QStringLiteral("UPDATE jobs SET status = 'failed', error_code = 'x' WHERE id = 7"));
        exec(db, QStringLiteral("UPDATE jobs SET stage = 'embedding', status = 'running' WHERE id = 8"));
        exec(db,
             QStringLiteral("INSERT INTO parsed_pages (job_id, page_no, text) SELECT id, 99, 'kept' FROM jobs "
                            "WHERE id IN (7, 8)"));
        const IngestReport extra
            = ingestPaths(db, {writeMarkdown(docs.path(), QStringLiteral("extra.md"), 900).path}, {});
        QCOMPARE(extra.created.size(), 1);
        const qint64 cancelled = extra.created.first().jobId;
        QVERIFY(Store::cancelJobs(db, {cancelled}, QStringLiteral("test")).ok());
        exec(db, QStringLiteral("UPDATE jobs SET updated_at = %1 WHERE id = %2").arg(kOld).arg(cancelled));
        exec(db, QStringLiteral("UPDATE job_events SET at = %1 WHERE job_id <> 6").arg(kOld));
        exec(db, QStringLiteral("UPDATE documents SET created_at = %1").arg(kOld));

        const qint64 chunksBefore = scalar(db, QStringLiteral("SELECT count(*) FROM chunks"));
        const qint64 oldDoneEvents = scalar(
            db, QStringLiteral("SELECT count(*) FROM job_events WHERE job_id <= 5 OR job_id = %1").arg(cancelled));
        QVERIFY(oldDoneEvents > 5);

        Store::PruneOptions options;
        options.beforeMs = kCutoff;
        options.batchSize = 3; // many batches
        options.vacuum = true;
        int batches = 0;
        auto pruned = Store::pruneBefore(db, options, [&](const Store::PruneReport &) {
            ++batches;
            return true;
        });
        QVERIFY2(pruned.ok(), qPrintable(pruned.ok() ? QString() : pruned.error().message));
        const Store::PruneReport &r = pruned.value();
        QVERIFY(batches > 5);
        QVERIFY(r.vacuumed);
        QCOMPARE(r.jobs, 1); // the cancelled one; embedded current versions stay
        QCOMPARE(r.events, oldDoneEvents); // the cancelled job's too, before its row went
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM jobs WHERE id = %1").arg(cancelled)), 0);
        QCOMPARE(r.documents, 1); // the cancelled job's file, used by no one else
        // Finished and old: events and pages gone. Recent, failed and running: all kept.
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM job_events WHERE job_id <= 5")), 0);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM parsed_pages WHERE job_id <= 5")), 0);
        QVERIFY(scalar(db, QStringLiteral("SELECT count(*) FROM job_events WHERE job_id = 6")) > 0);
        QVERIFY(scalar(db, QStringLiteral("SELECT count(*) FROM parsed_pages WHERE job_id = 6")) > 0);
        QVERIFY(scalar(db, QStringLiteral("SELECT count(*) FROM job_events WHERE job_id = 7")) > 0);
        QVERIFY(scalar(db, QStringLiteral("SELECT count(*) FROM job_events WHERE job_id = 8")) > 0);
        QCOMPARE(
            scalar(db, QStringLiteral("SELECT count(*) FROM parsed_pages WHERE job_id IN (7, 8) AND page_no = 99")), 2);
        // The current versions' chunks and job rows are what the pipeline is for.
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM chunks")), chunksBefore);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM jobs")), 8);

        // Nothing is left to prune a second time.
        options.vacuum = false;
        auto again = Store::pruneBefore(db, options);
        QVERIFY(again.ok());
        QCOMPARE(again.value().total(), 0);
    }

    void supersededVersionsGo_data() { addBackendRows(); }
    void supersededVersionsGo()
    {
        DOCPIPE_TEST_DATABASE(fixture);
        const Store::Database db = fixture.database();
        QTemporaryDir docs;
        const QString path = writeMarkdown(docs.path(), QStringLiteral("doc.md"), 1).path;
        QVERIFY(runPipelineToEnd(fixture.url(), {path}).isEmpty());
        writeMarkdown(docs.path(), QStringLiteral("doc.md"), 2); // the same file, changed: version 2
        QVERIFY(runPipelineToEnd(fixture.url(), {path}).isEmpty());
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM jobs WHERE status = 'done'")), 2);
        const qint64 currentChunks = scalar(db, QStringLiteral("SELECT count(*) FROM chunks WHERE job_id = 2"));
        QVERIFY(currentChunks > 0);
        exec(db, QStringLiteral("UPDATE jobs SET updated_at = %1").arg(kOld));
        exec(db, QStringLiteral("UPDATE documents SET created_at = %1").arg(kOld));

        Store::PruneOptions options;
        options.beforeMs = kCutoff;
        auto pruned = Store::pruneBefore(db, options);
        QVERIFY(pruned.ok());
        QCOMPARE(pruned.value().jobs, 1);
        QCOMPARE(pruned.value().documents, 1);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM jobs")), 1);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM chunks WHERE job_id = 2")), currentChunks);
    }
};

QTEST_GUILESS_MAIN(tst_Retention)
#include "tst_retention.moc"
