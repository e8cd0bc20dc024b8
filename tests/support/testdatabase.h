// A fresh, migrated database for one test: a temporary SQLite file, or a new database on the
// real PostgreSQL server named by DOCPIPE_TEST_PG_URL (the test script starts one). Dropped
// when the object goes away.
#pragma once

#include "store/database.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace Docpipe::Test {

class TestDatabase final
{
public:
    // kind: "sqlite" or "postgres".
    explicit TestDatabase(const QString &kind);
    // A copy of `original`'s data in a database of its own (SQLite: a copy of the file after a
    // checkpoint; PostgreSQL: CREATE DATABASE ... TEMPLATE, so nothing may be connected to it).
    static std::unique_ptr<TestDatabase> copyOf(const TestDatabase &original);
    ~TestDatabase();
    Q_DISABLE_COPY_MOVE(TestDatabase)

    // False (with skipReason()) when PostgreSQL is not configured; the test then QSKIPs, or
    // fails when DOCPIPE_REQUIRE_PG=1 (as the test script sets it).
    bool isReady() const { return m_ready; }
    QString skipReason() const { return m_skipReason; }
    QString url() const { return m_url; }
    Store::Database database() const { return Store::Database(m_url); }
    QString tempPath() const { return m_dir.path(); }

    static bool postgresRequired();

private:
    TestDatabase(const QString &kind, const TestDatabase *original);

    QTemporaryDir m_dir;
    QString m_url;
    QString m_pgName;
    QString m_skipReason;
    bool m_ready = false;
};

// Adds the rows "sqlite" and "postgres" with a QString column "backend".
void addBackendRows();

} // namespace Docpipe::Test

// In a data-driven test: QFETCH the backend, make the database, skip or fail as configured.
#define DOCPIPE_TEST_DATABASE(var)                                                                                     \
    QFETCH(QString, backend);                                                                                          \
    Docpipe::Test::TestDatabase var(backend);                                                                          \
    if (!var.isReady()) {                                                                                              \
        if (Docpipe::Test::TestDatabase::postgresRequired())                                                           \
            QFAIL(qPrintable(var.skipReason()));                                                                       \
        QSKIP(qPrintable(var.skipReason()));                                                                           \
    }
