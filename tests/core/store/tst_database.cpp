#include "testdatabase.h"

#include <QSqlQuery>
#include <QtConcurrent/QtConcurrentRun>
#include <QTest>
#include <QThreadPool>

using namespace Docpipe;

class tst_Database final : public QObject
{
    Q_OBJECT
private slots:
    void migratesToLatestAndIsIdempotent_data() { Test::addBackendRows(); }
    void migratesToLatestAndIsIdempotent();
    void eachThreadHasItsOwnConnection_data() { Test::addBackendRows(); }
    void eachThreadHasItsOwnConnection();
    void displayUrlHidesPassword();
};

void tst_Database::migratesToLatestAndIsIdempotent()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const auto again = db.migrate();
    QVERIFY2(again.ok(), again.ok() ? "" : qPrintable(again.error().message));
    QCOMPARE(again.value(), Store::Database::latestSchemaVersion());
    QSqlQuery query(db.sql());
    QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*) FROM schema_version")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), Store::Database::latestSchemaVersion());
    QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*) FROM jobs")));
}

void tst_Database::eachThreadHasItsOwnConnection()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const QString mainName = db.sql().connectionName();
    QThreadPool pool;
    auto future = QtConcurrent::run(&pool, [db] {
        QSqlDatabase conn = db.sql();
        QSqlQuery q(conn);
        const bool ok = q.exec(QStringLiteral("SELECT 1")) && q.next();
        return ok ? conn.connectionName() : QString();
    });
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 10000));
    const QString workerName = future.result();
    QVERIFY(!workerName.isEmpty());
    QVERIFY(workerName != mainName);
}

void tst_Database::displayUrlHidesPassword()
{
    const Store::Database db(QStringLiteral("postgresql://alice:s3cret@db.example:5433/docs"));
    QCOMPARE(db.dialect(), Store::Dialect::Postgres);
    QVERIFY(!db.displayUrl().contains(QLatin1String("s3cret")));
    QVERIFY(db.displayUrl().contains(QLatin1String("db.example")));
}

QTEST_GUILESS_MAIN(tst_Database)
#include "tst_database.moc"
