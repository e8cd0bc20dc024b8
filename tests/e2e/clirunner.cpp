#include "clirunner.h"

#include <QProcessEnvironment>

namespace Docpipe::Test {

namespace {
QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DOCPIPE_DB")); // the tests always say --db
    return env;
}
} // namespace

QString CliResult::describe() const
{
    return QStringLiteral("exit %1%2\n--- stdout\n%3\n--- stderr\n%4")
        .arg(exitCode)
        .arg(finished ? QString() : QStringLiteral(" (did not finish)"))
        .arg(QString::fromUtf8(out.left(4000)), QString::fromUtf8(err.left(4000)));
}

QString cliPath()
{
    return qEnvironmentVariable("DOCPIPE_CLI");
}

CliResult runCli(const QStringList &arguments, int timeoutMs)
{
    return runCli(arguments, {}, timeoutMs);
}

CliResult runCli(const QStringList &arguments, const QMap<QString, QString> &environment, int timeoutMs)
{
    QProcessEnvironment env = cliEnvironment();
    for (auto it = environment.cbegin(); it != environment.cend(); ++it) {
        if (it.value().isEmpty())
            env.remove(it.key());
        else
            env.insert(it.key(), it.value());
    }
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(cliPath(), arguments);
    CliResult result;
    result.finished = process.waitForFinished(timeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished();
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QProcess *startCli(const QStringList &arguments, QObject *parent)
{
    auto *process = new QProcess(parent);
    process->setProcessEnvironment(cliEnvironment());
    process->start(cliPath(), arguments);
    return process;
}

} // namespace Docpipe::Test
