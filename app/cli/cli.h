// docpipe-cli: what every command gets (configuration, database, output) and the commands.
#pragma once

#include "config/config.h"
#include "store/database.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QStringList>
#include <QTextStream>

#include <optional>

namespace Docpipe::Cli {

struct Context
{
    Config config;
    Store::Database db;
    bool verbose = false;
    QStringList args; // the command's own arguments (after the command name)
};

// Adds --db, --config, -v and the service flags (--parser, --embedder, --embedding-model,
// --embedding-dimensions) so they are accepted before or after the command.
void addGlobalOptions(QCommandLineParser &parser);
// The global options that take a value ("--db", ...).
QStringList globalValueOptions();
// Lays the global flags over the configuration read from INI and environment; the reason when a
// value is unusable.
std::optional<QString> applyGlobalOptions(const QCommandLineParser &parser, Config &config);
// Parses `args` for a command; prints the reason and returns false on bad usage.
bool parseCommandLine(QCommandLineParser &parser, const QString &command, const QStringList &args);

QTextStream &out();
QTextStream &err();
// Prints "docpipe-cli: <reason>" on stderr and returns `code`.
int fail(const QString &reason, int code = 1);
void printJson(const QJsonDocument &document);
// Whether a command may create a SQLite database that is not there. Only ingest, worker and
// `check --init` may: a read command on a mistyped path must not report an empty new database.
enum class Creation { ExistingOnly, MayCreate };
// Migrates the database; on failure (or no database where one must exist) prints why and returns false.
bool openDatabase(const Context &context, Creation creation = Creation::ExistingOnly);
// The sentence for a SQLite database that is not there, or empty when it is (or is PostgreSQL).
QString missingDatabase(const Context &context);
// parseCommandLine + openDatabase of an existing database: 0 when ready, else the exit code
// (2 usage, 1 database).
int prepare(QCommandLineParser &parser, const QString &command, const Context &context);
// Names as dropped may contain newlines or control characters: show them escaped in tables.
QString printable(const QString &text);
// Columns to fit a table to: $COLUMNS, else the terminal's width, else 0 (not a terminal: no limit).
int terminalColumns();

int runIngest(const Context &context);
int runWorker(const Context &context);
int runStatus(const Context &context);
int runJobs(const Context &context);
int runEvents(const Context &context);
int runRetry(const Context &context);
int runCancel(const Context &context);
int runPause(const Context &context);
int runResume(const Context &context);
int runWorkers(const Context &context);
int runDrain(const Context &context);
int runExport(const Context &context);
int runWatch(const Context &context);
int runPrune(const Context &context);
int runSearch(const Context &context);
int runCheck(const Context &context);
int runServe(const Context &context);
int runMockServer(const Context &context);

} // namespace Docpipe::Cli
