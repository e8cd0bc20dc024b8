#include "privatepostgres.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QVersionNumber>

#include <pwd.h>
#include <unistd.h>

namespace Docpipe::Test {

namespace {

QString newestPostgresBin()
{
    const QDir lib(QStringLiteral("/usr/lib/postgresql"));
    QString best;
    QVersionNumber bestVersion;
    for (const QString &version : lib.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QVersionNumber number = QVersionNumber::fromString(version);
        if (QFile::exists(lib.filePath(version + QStringLiteral("/bin/pg_ctl"))) && number > bestVersion) {
            bestVersion = number;
            best = lib.filePath(version + QStringLiteral("/bin"));
        }
    }
    return best;
}

int freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

bool isRoot()
{
    return ::geteuid() == 0;
}

// initdb refuses root: the server's files belong to `postgres`.
bool giveToPostgres(const QString &path)
{
    if (!isRoot())
        return true;
    const passwd *user = ::getpwnam("postgres");
    return user && ::chown(QFile::encodeName(path).constData(), user->pw_uid, user->pw_gid) == 0;
}

} // namespace

PrivatePostgres::PrivatePostgres()
    : m_bin(newestPostgresBin())
{ }

PrivatePostgres::~PrivatePostgres()
{
    if (m_running)
        stop(false);
}

void PrivatePostgres::listenAlsoOn(const QString &address, const QString &clientNetwork)
{
    m_listen += u',' + address;
    m_clientNetworks << clientNetwork;
}

void PrivatePostgres::startProgram(QProcess &process, const QString &program, const QStringList &arguments) const
{
    process.setWorkingDirectory(QStringLiteral("/")); // postgres cannot enter root's folders
    process.setProcessChannelMode(QProcess::MergedChannels);
    if (isRoot())
        process.start(
            QStringLiteral("runuser"),
            QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), m_bin + u'/' + program}
                + arguments);
    else
        process.start(m_bin + u'/' + program, arguments);
}

QStringList PrivatePostgres::psqlArguments(const QString &sql, const QString &database) const
{
    return {QStringLiteral("-h"),
            m_dir.path(),
            QStringLiteral("-p"),
            QString::number(m_port),
            QStringLiteral("-U"),
            QStringLiteral("postgres"),
            QStringLiteral("-d"),
            database.isEmpty() ? m_name : database,
            QStringLiteral("-v"),
            QStringLiteral("ON_ERROR_STOP=1"),
            QStringLiteral("-qAt"),
            QStringLiteral("-c"),
            sql};
}

QProcess *PrivatePostgres::psqlInBackground(const QString &sql, QObject *parent)
{
    auto *process = new QProcess(parent);
    startProgram(*process, QStringLiteral("psql"), psqlArguments(sql, {}));
    return process;
}

bool PrivatePostgres::run(const QString &program, const QStringList &arguments, QString *output, int timeoutMs)
{
    QProcess process;
    startProgram(process, program, arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        m_error = QStringLiteral("%1 did not finish: %2").arg(program, QString::fromLocal8Bit(process.readAll()));
        return false;
    }
    const QString text = QString::fromLocal8Bit(process.readAll()).trimmed();
    if (output)
        *output = text;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = QStringLiteral("%1 failed: %2").arg(program, text);
        return false;
    }
    return true;
}

bool PrivatePostgres::start(const QString &name)
{
    m_name = name;
    if (m_bin.isEmpty()) {
        m_error = QStringLiteral("no PostgreSQL server binaries under /usr/lib/postgresql (install postgresql)");
        return false;
    }
    if (!m_dir.isValid() || !giveToPostgres(m_dir.path())) {
        m_error = QStringLiteral("cannot prepare a folder for the server's files");
        return false;
    }
    QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QFile pw(m_dir.filePath(QStringLiteral("pw")));
    if (!pw.open(QIODevice::WriteOnly) || pw.write("superpw\n") < 0)
        return false;
    pw.close();
    giveToPostgres(pw.fileName());
    if (!run(QStringLiteral("initdb"),
             {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-U"),
              QStringLiteral("postgres"), QStringLiteral("--pwfile=") + pw.fileName(),
              QStringLiteral("--auth-local=trust"), QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("-E"),
              QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8"), QStringLiteral("--no-sync")}))
        return false;
    if (!m_clientNetworks.isEmpty()) {
        QFile hba(m_dir.filePath(QStringLiteral("data/pg_hba.conf")));
        if (!hba.open(QIODevice::Append))
            return false;
        for (const QString &network : std::as_const(m_clientNetworks))
            hba.write(QStringLiteral("host all all %1 scram-sha-256\n").arg(network).toUtf8());
    }
    m_port = freePort();
    if (!restart())
        return false;
    return !psql(QStringLiteral("CREATE ROLE tester LOGIN CREATEDB PASSWORD 'testpw'"), QStringLiteral("postgres"))
                .isNull()
        && !psql(QStringLiteral("CREATE DATABASE %1 OWNER tester").arg(m_name), QStringLiteral("postgres")).isNull();
}

bool PrivatePostgres::restart()
{
    const QString options = QStringLiteral("-c listen_addresses=%1 -p %2 -k %3 -c fsync=off -c synchronous_commit=off "
                                           "-c full_page_writes=off")
                                .arg(m_listen)
                                .arg(m_port)
                                .arg(m_dir.path());
    m_running = run(QStringLiteral("pg_ctl"),
                    {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-l"),
                     m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-w"), QStringLiteral("-t"),
                     QStringLiteral("60"), QStringLiteral("-o"), options, QStringLiteral("start")});
    return m_running;
}

bool PrivatePostgres::stop(bool immediate)
{
    const bool stopped = run(QStringLiteral("pg_ctl"),
                             {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-m"),
                              immediate ? QStringLiteral("immediate") : QStringLiteral("fast"), QStringLiteral("-w"),
                              QStringLiteral("stop")});
    if (stopped)
        m_running = false;
    return stopped;
}

QString PrivatePostgres::url() const
{
    return QStringLiteral("postgresql://tester:testpw@127.0.0.1:%1/%2").arg(m_port).arg(m_name);
}

QString PrivatePostgres::psql(const QString &sql, const QString &database)
{
    QString output;
    if (!run(QStringLiteral("psql"), psqlArguments(sql, database), &output))
        return QString();
    return output.isNull() ? QStringLiteral("") : output;
}

int PrivatePostgres::terminateSessions()
{
    return psql(QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '%1' "
                               "AND pid <> pg_backend_pid()")
                    .arg(m_name))
        .toInt();
}

QString PrivatePostgres::serverLog() const
{
    QFile log(m_dir.filePath(QStringLiteral("server.log")));
    return log.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(log.readAll().right(4000)) : QString();
}

} // namespace Docpipe::Test
