#include "testdatabase.h"

#include <QSqlError>
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
    void constraintViolationsArePermanent_data();
    void constraintViolationsArePermanent();
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

void tst_Database::constraintViolationsArePermanent_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("statement");
    QTest::addColumn<bool>("prepared");
    for (const char *backend : {"sqlite", "postgres"}) {
        for (const bool prepared : {false, true}) {
            const auto row = [&](const char *what, const char *statement) {
                QTest::addRow("%s %s%s", backend, what, prepared ? " (prepared)" : "")
                    << QString::fromLatin1(backend) << QString::fromLatin1(statement) << prepared;
            };
            row("not null", "INSERT INTO constrained (id, name, parent) VALUES (2, NULL, NULL)");
            row("unique", "INSERT INTO constrained (id, name, parent) VALUES (1, 'again', NULL)");
            row("check", "INSERT INTO constrained (id, name, parent) VALUES (3, '', NULL)");
            row("foreign key", "INSERT INTO constrained (id, name, parent) VALUES (4, 'orphan', 99)");
        }
    }
}

// A constraint violation is a bug or bad data: trying again cannot help, so it must never pass
// for the database's trouble (the engine would wait for it for ever instead of failing the job).
void tst_Database::constraintViolationsArePermanent()
{
    QFETCH(QString, statement);
    QFETCH(bool, prepared);
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    QSqlQuery query(db.sql());
    QVERIFY2(query.exec(QStringLiteral("CREATE TABLE constrained (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK "
                                       "(name <> ''), parent INTEGER REFERENCES constrained (id))")),
             qPrintable(query.lastError().text()));
    QVERIFY(query.exec(QStringLiteral("INSERT INTO constrained (id, name, parent) VALUES (1, 'first', NULL)")));
    const bool executed = prepared ? query.prepare(statement) && query.exec() : query.exec(statement);
    QVERIFY(!executed);
    const QSqlError error = query.lastError();
    QCOMPARE(Store::classifySqlError(error), Store::SqlTrouble::None);
    QVERIFY(!Store::isTransientSqlError(error));
    const StageError classified = Store::sqlError(error, QStringLiteral("storing a row"));
    QVERIFY2(!classified.isTransient(), qPrintable(classified.message));
    QVERIFY(!Store::isDatabaseUnavailable(classified));
    QCOMPARE(classified.code, QStringLiteral("database_error"));
    QVERIFY2(classified.message.contains(QLatin1String("constraint"), Qt::CaseInsensitive)
                 || classified.message.contains(QLatin1String("violat"), Qt::CaseInsensitive),
             qPrintable(classified.message));
    // The connection is as good as before.
    QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*) FROM constrained")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 1);
}

QTEST_GUILESS_MAIN(tst_Database)
#include "tst_database.moc"
