// A PostgreSQL server of one test's own, which the test may stop, kill and start again (the
// shared server of DOCPIPE_TEST_PG_URL serves other tests and must never be stopped). Made with
// initdb in a temporary folder on a free loopback port, like packaging/pg-throwaway.sh; as root
// the server runs as the `postgres` user. Stopped and removed when the object goes away.
#pragma once

class QObject;
class QProcess;

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace Docpipe::Test {

class PrivatePostgres final
{
public:
    PrivatePostgres();
    ~PrivatePostgres();
    Q_DISABLE_COPY_MOVE(PrivatePostgres)

    // initdb, start, and create the role `tester` with a database `name`. False with error() set
    // when PostgreSQL's binaries are missing or the server does not come up.
    bool start(const QString &name = QStringLiteral("docpipe"));
    QString error() const { return m_error; }
    QString url() const; // postgresql://tester:testpw@127.0.0.1:<port>/<name>
    int port() const { return m_port; }
    // Extra addresses to listen on besides 127.0.0.1 (before start()), and client networks the
    // server lets in with a password (CIDR, e.g. "10.0.0.0/30").
    void listenAlsoOn(const QString &address, const QString &clientNetwork);

    // `pg_ctl stop -m immediate` (a crash: no checkpoint, clients cut at once) or `-m fast`.
    bool stop(bool immediate = true);
    // Starts the stopped server again (crash recovery included).
    bool restart();
    bool isRunning() const { return m_running; }

    // Runs SQL as the superuser (psql) on the test database, or on `database`; its output,
    // trimmed, or a null string with error() set.
    QString psql(const QString &sql, const QString &database = {});
    // Starts psql with `sql` without waiting for it (e.g. a session holding a lock); the caller
    // owns the process.
    QProcess *psqlInBackground(const QString &sql, QObject *parent);
    // Ends every other session on the test database with pg_terminate_backend; how many.
    int terminateSessions();
    // The server log, for failure messages.
    QString serverLog() const;

private:
    void startProgram(QProcess &process, const QString &program, const QStringList &arguments) const;
    QStringList psqlArguments(const QString &sql, const QString &database) const;
    bool run(const QString &program, const QStringList &arguments, QString *output = nullptr, int timeoutMs = 60000);
    QString m_bin;
    QTemporaryDir m_dir;
    QString m_name;
    QString m_error;
    QString m_listen = QStringLiteral("127.0.0.1");
    QStringList m_clientNetworks;
    int m_port = 0;
    bool m_running = false;
};

} // namespace Docpipe::Test
