#include "testdatabase.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>
#include <QUuid>

namespace Docpipe::Test {

namespace {

// Runs one admin statement on the server's maintenance database, on a short-lived connection.
bool runAdmin(const QString &adminUrl, const QString &statement, QString *error)
{
    const QUrl url(adminUrl);
    const QString name = QStringLiteral("docpipe-test-admin-") + QUuid::createUuid().toString(QUuid::Id128);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setDatabaseName(url.path().mid(1).isEmpty() ? QStringLiteral("postgres") : url.path().mid(1));
        db.setUserName(url.userName());
        db.setPassword(url.password());
        db.setConnectOptions(QStringLiteral("connect_timeout=5"));
        if (!db.open()) {
            *error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            ok = query.exec(statement);
            if (!ok)
                *error = query.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

bool TestDatabase::postgresRequired()
{
    return qEnvironmentVariable("DOCPIPE_REQUIRE_PG") == QLatin1String("1");
}

TestDatabase::TestDatabase(const QString &kind)
    : TestDatabase(kind, nullptr)
{ }

std::unique_ptr<TestDatabase> TestDatabase::copyOf(const TestDatabase &original)
{
    const bool sqlite = original.database().dialect() == Store::Dialect::Sqlite;
    return std::unique_ptr<TestDatabase>(
        new TestDatabase(sqlite ? QStringLiteral("sqlite") : QStringLiteral("postgres"), &original));
}

TestDatabase::TestDatabase(const QString &kind, const TestDatabase *original)
{
    if (kind == QLatin1String("sqlite")) {
        m_url = m_dir.filePath(QStringLiteral("docpipe.sqlite"));
        if (original) {
            QSqlQuery checkpoint(original->database().sql());
            if (!checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"))
                || !QFile::copy(original->url(), m_url)) {
                m_skipReason = QStringLiteral("cannot copy ") + original->url();
                return;
            }
        }
    } else {
        const QString admin = qEnvironmentVariable("DOCPIPE_TEST_PG_URL");
        if (admin.isEmpty()) {
            m_skipReason = QStringLiteral("DOCPIPE_TEST_PG_URL is not set; run the tests through packaging/test.sh");
            return;
        }
        m_pgName = QStringLiteral("dp_test_%1").arg(QRandomGenerator::global()->generate64(), 0, 16);
        QString error;
        QString create = QStringLiteral("CREATE DATABASE %1").arg(m_pgName);
        if (original) {
            original->database().closeThreadConnection();
            create += QStringLiteral(" TEMPLATE ") + original->m_pgName;
        }
        if (!runAdmin(admin, create, &error)) {
            m_skipReason = QStringLiteral("cannot create a PostgreSQL test database: ") + error;
            m_pgName.clear();
            return;
        }
        QUrl url(admin);
        url.setPath(u'/' + m_pgName);
        m_url = url.toString();
    }
    const auto migrated = database().migrate();
    if (!migrated.ok()) {
        m_skipReason = QStringLiteral("migration failed: ") + migrated.error().message;
        return;
    }
    m_ready = true;
}

TestDatabase::~TestDatabase()
{
    if (!m_url.isEmpty())
        database().closeThreadConnection();
    if (!m_pgName.isEmpty()) {
        QString error;
        if (!runAdmin(qEnvironmentVariable("DOCPIPE_TEST_PG_URL"),
                      QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_pgName), &error))
            qWarning("could not drop test database %s: %s", qPrintable(m_pgName), qPrintable(error));
    }
}

void addBackendRows()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgres") << QStringLiteral("postgres");
}

} // namespace Docpipe::Test
