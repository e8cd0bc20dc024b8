// SQLite's own troubles under a running engine: the file system fills up, turns read-only, or
// another process holds the write lock longer than the busy timeout. Each is said once, with
// its reason; no job fails for it; intake stops while the database cannot take more; work goes
// on once it can; the file passes PRAGMA integrity_check. A corrupt file stops the start-up with
// a clear message. The small file systems are tmpfs mounts made by the test (root only).
#include "documentgenerator.h"
#include "engine/ingestor.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "outagechecks.h"
#include "pipelinerun.h"
#include "store/database.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Test;

namespace {

int runTool(const QString &program, const QStringList &arguments, QString *output = nullptr)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(30000))
        return -1;
    if (output)
        *output = QString::fromLocal8Bit(process.readAll()).trimmed();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

// A size-limited tmpfs of the test's own; unmounted when it goes away.
class SmallFileSystem final
{
public:
    explicit SmallFileSystem(int megabytes)
    {
        QString output;
        if (!m_dir.isValid())
            m_problem = QStringLiteral("no temporary folder");
        else if (runTool(QStringLiteral("mount"),
                         {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                          QStringLiteral("size=%1m").arg(megabytes), QStringLiteral("docpipe-test"), m_dir.path()},
                         &output)
                 != 0)
            m_problem = QStringLiteral("cannot mount a small tmpfs (needs root or CAP_SYS_ADMIN): ") + output;
        else
            m_mounted = true;
    }
    ~SmallFileSystem()
    {
        if (m_mounted)
            runTool(QStringLiteral("umount"), {QStringLiteral("-l"), m_dir.path()});
    }
    Q_DISABLE_COPY_MOVE(SmallFileSystem)

    bool isMounted() const { return m_mounted; }
    QString problem() const { return m_problem; }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    bool remount(bool readOnly)
    {
        return runTool(QStringLiteral("mount"),
                       {QStringLiteral("-o"), readOnly ? QStringLiteral("remount,ro") : QStringLiteral("remount,rw"),
                        m_dir.path()})
            == 0;
    }
    // Writes a file until the file system is full; removing it frees the space again.
    void fill()
    {
        QFile filler(path(QStringLiteral("filler")));
        if (!filler.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
            return;
        for (const int size : {64 * 1024, 4096, 512}) { // to the last byte
            const QByteArray block(size, 'x');
            while (filler.write(block) > 0) { }
        }
    }
    void unfill() { QFile::remove(path(QStringLiteral("filler"))); }

private:
    QTemporaryDir m_dir;
    bool m_mounted = false;
    QString m_problem;
};

QStringList writeDocuments(const QString &dir, int count, int first = 0)
{
    QStringList paths;
    for (int i = first; i < first + count; ++i)
        paths << writeMarkdown(dir, QStringLiteral("doc%1.md").arg(i), 9100 + quint32(i)).path;
    return paths;
}

bool exec(const Store::Database &db, const QString &sql)
{
    QSqlQuery query(db.sql());
    return query.exec(sql);
}

int scalar(const Store::Database &db, const QString &sql)
{
    QSqlQuery query(db.sql());
    return query.exec(sql) && query.next() ? query.value(0).toInt() : -1;
}

QString integrity(const QString &file)
{
    const QString name = QStringLiteral("integrity-check");
    QString result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(file);
        if (db.open()) {
            QSqlQuery query(db);
            result = query.exec(QStringLiteral("PRAGMA integrity_check")) && query.next() ? query.value(0).toString()
                                                                                          : query.lastError().text();
        } else {
            result = db.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

struct EngineWatch
{
    explicit EngineWatch(PipelineEngine &engine)
        : unreachable(&engine, &PipelineEngine::databaseUnreachable)
        , reachable(&engine, &PipelineEngine::databaseReachable)
    { }
    QSignalSpy unreachable;
    QSignalSpy reachable;
};

Config testConfig(const QString &url)
{
    Config config = fastTestConfig(url);
    config.watch.enabled = false;
    return config;
}

} // namespace

class tst_SqliteFailures final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullFileSystemStopsIntakeAndResumes()
    {
        SmallFileSystem fs(8);
        if (!fs.isMounted())
            QSKIP(qPrintable(fs.problem()));
        QTemporaryDir docs;
        const QString file = fs.path(QStringLiteral("docpipe.sqlite"));
        const Store::Database db(file);
        QVERIFY(db.migrate().ok());
        const int count = 30;
        QCOMPARE(ingestPaths(db, writeDocuments(docs.path(), count), {}).created.size(), count);
        // The jobs become claimable in a few seconds, once the disk is full.
        QVERIFY(exec(
            db,
            QStringLiteral("UPDATE jobs SET not_before = %1 + 4000").arg(Store::serverNowSql(Store::Dialect::Sqlite))));
        Config config = testConfig(file);
        config.engine.heartbeatMs = 60000; // no write but the work's until then
        config.engine.leaseSeconds = 300;
        PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
        EngineWatch watch(engine);
        QVERIFY(startAndWait(engine));
        // An empty write-ahead log (SQLite recycles its space otherwise), then a full disk: the
        // next write needs space there is not.
        QCOMPARE(scalar(db, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")), 0);
        fs.fill();

        // Intake stops at the first file with the reason, and says how many were left.
        const IngestReport refused = ingestPaths(db, writeDocuments(docs.path(), 5, 100), {});
        QVERIFY2(refused.created.isEmpty(), qPrintable(refused.errors.join(u'\n')));
        QCOMPARE(refused.errors.size(), 2);
        QVERIFY2(refused.errors.at(0).contains(QLatin1String("full")), qPrintable(refused.errors.at(0)));
        QVERIFY2(refused.errors.at(1).contains(QLatin1String("4 more file(s) not recorded")),
                 qPrintable(refused.errors.at(1)));

        QTRY_COMPARE_WITH_TIMEOUT(watch.unreachable.size(), 1, 20000);
        const QString reason = watch.unreachable.first().first().toString();
        QVERIFY2(reason.contains(QLatin1String("full")), qPrintable(reason));
        QTest::qWait(2000); // work waits; nothing fails meanwhile
        QCOMPARE(watch.unreachable.size(), 1);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM jobs WHERE status = 'failed'")), 0);

        fs.unfill();
        QElapsedTimer freed;
        freed.start();
        QTRY_COMPARE_WITH_TIMEOUT(watch.reachable.size(), 1, 15000);
        qInfo("SQLite disk full: work went on %lld ms after space was freed", freed.elapsed());
        QTRY_COMPARE_WITH_TIMEOUT(endedJobs(db), count, 60000);
        QVERIFY(stopAndWait(engine));
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM jobs WHERE status = 'done'")), count);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM jobs WHERE attempts > 0")), 0);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM chunks")),
                 scalar(db, QStringLiteral("SELECT sum(chunks) FROM jobs")));
        db.closeThreadConnection();
        QCOMPARE(integrity(file), QStringLiteral("ok"));
    }

    void readOnlyFileSystemIsNamedAtStart()
    {
        SmallFileSystem fs(16);
        if (!fs.isMounted())
            QSKIP(qPrintable(fs.problem()));
        QTemporaryDir docs;
        const QString file = fs.path(QStringLiteral("docpipe.sqlite"));
        const Store::Database db(file);
        QVERIFY(db.migrate().ok());
        const int count = 10;
        QCOMPARE(ingestPaths(db, writeDocuments(docs.path(), count), {}).created.size(), count);
        db.closeThreadConnection(); // (Linux refuses to remount read-only under a file open for writing)

        const Config config = testConfig(file);
        PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
        QVERIFY(fs.remount(true));
        QString failure;
        QVERIFY(!startAndWait(engine, &failure));
        QVERIFY2(failure.contains(file) && failure.contains(QLatin1String("read-only")), qPrintable(failure));
        qInfo("read-only file system at start: %s", qPrintable(failure));
        db.closeThreadConnection();
        QVERIFY(fs.remount(false));
        QVERIFY(startAndWait(engine));
        QTRY_COMPARE_WITH_TIMEOUT(endedJobs(db), count, 60000);
        QVERIFY(stopAndWait(engine));
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM jobs WHERE status = 'done'")), count);
        db.closeThreadConnection();
        QCOMPARE(integrity(file), QStringLiteral("ok"));
    }

    void writeLockHeldLongerThanTheBusyTimeout()
    {
        QTemporaryDir dir;
        QTemporaryDir docs;
        const QString file = dir.filePath(QStringLiteral("docpipe.sqlite"));
        const Store::Database db(file);
        QVERIFY(db.migrate().ok());
        const int count = 40;
        QCOMPARE(ingestPaths(db, writeDocuments(docs.path(), count), {}).created.size(), count);
        db.closeThreadConnection();

        const Config config = testConfig(file);
        PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
        EngineWatch watch(engine);
        QVERIFY(startAndWait(engine));
        // Another writer (its own connection, as another process would have) takes the lock
        // while the engine works, and keeps it longer than the busy timeout.
        const QString holderName = QStringLiteral("lock-holder");
        {
            QSqlDatabase holder = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), holderName);
            holder.setDatabaseName(file);
            QVERIFY(holder.open());
            QSqlQuery begin(holder);
            QVERIFY(begin.exec(QStringLiteral("BEGIN IMMEDIATE")));
            QTRY_COMPARE_WITH_TIMEOUT(watch.unreachable.size(), 1, Store::kSqliteBusyTimeoutMs + 10000);
            const QString reason = watch.unreachable.first().first().toString();
            QVERIFY2(reason.contains(QLatin1String("locked")), qPrintable(reason));
            QVERIFY(begin.exec(QStringLiteral("ROLLBACK")));
            QElapsedTimer released;
            released.start();
            QTRY_COMPARE_WITH_TIMEOUT(watch.reachable.size(), 1, 15000);
            qInfo("SQLite write lock: work went on %lld ms after the lock was released", released.elapsed());
            const Store::Database check(file);
            QTRY_COMPARE_WITH_TIMEOUT(endedJobs(check), count, 60000);
            QVERIFY(stopAndWait(engine));
            QCOMPARE(scalar(check, QStringLiteral("SELECT count(*) FROM jobs WHERE status = 'done'")), count);
            check.closeThreadConnection();
        }
        QSqlDatabase::removeDatabase(holderName);
    }

    void corruptFileAtStartUpIsNamed()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("docpipe.sqlite"));
        QFile garbage(file);
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(64 * 1024, '\x5a'));
        garbage.close();
        const Config config = testConfig(file);
        PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
        QString failure;
        QVERIFY(!startAndWait(engine, &failure));
        QVERIFY2(failure.contains(QLatin1String("not a database")), qPrintable(failure));
        QVERIFY2(failure.contains(file), qPrintable(failure));
    }

    void emptyDriverTextStillGivesAReason()
    {
        // The error SQLite's COMMIT gives carries only a code: the message still says something.
        const QSqlError codeOnly(QString(), QString(), QSqlError::StatementError, QStringLiteral("13"));
        const StageError error = Store::sqlError(codeOnly, QStringLiteral("committing a claim"));
        QCOMPARE(error.code, QStringLiteral("database_full"));
        QVERIFY2(error.message.startsWith(QLatin1String("database error while committing a claim: disk full")),
                 qPrintable(error.message));
        QVERIFY(error.isTransient());
    }
};

QTEST_GUILESS_MAIN(tst_SqliteFailures)
#include "tst_sqlitefailures.moc"
