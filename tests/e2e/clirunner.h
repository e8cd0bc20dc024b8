// Runs the real docpipe-cli binary (path from DOCPIPE_CLI, set by ctest) and collects its output.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace Docpipe::Test {

struct CliResult
{
    int exitCode = -1;
    bool finished = false;
    QByteArray out;
    QByteArray err;
    QJsonDocument json() const { return QJsonDocument::fromJson(out); }
    QString describe() const; // for failure messages
};

QString cliPath();
CliResult runCli(const QStringList &arguments, int timeoutMs = 120000);
// The same with variables set (or, with an empty value, removed) in the binary's environment.
CliResult runCli(const QStringList &arguments, const QMap<QString, QString> &environment, int timeoutMs = 120000);
// Starts a long-running command (e.g. `worker`); the caller owns and ends the process.
QProcess *startCli(const QStringList &arguments, QObject *parent);

} // namespace Docpipe::Test
