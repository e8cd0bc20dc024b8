#include "cli.h"

#include <QCoreApplication>

#include <cstdio>
#include <sys/ioctl.h>
#include <unistd.h>

namespace Docpipe::Cli {

void addGlobalOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("db"),
                      QStringLiteral("Database: a SQLite file path or postgresql://user:pass@host:port/db."),
                      QStringLiteral("url")});
    parser.addOption({QStringLiteral("config"), QStringLiteral("Configuration INI file."), QStringLiteral("ini")});
    parser.addOption({{QStringLiteral("v"), QStringLiteral("verbose")}, QStringLiteral("Log what the engine does.")});
    parser.addOption({QStringLiteral("parser"), QStringLiteral("Parser: local or llamaparse (INI parser/kind)."),
                      QStringLiteral("kind")});
    parser.addOption({QStringLiteral("embedder"), QStringLiteral("Embedder: local or openai (INI embedder/kind)."),
                      QStringLiteral("kind")});
    parser.addOption({QStringLiteral("embedding-model"), QStringLiteral("Embedding model (INI embedder/model)."),
                      QStringLiteral("name")});
    parser.addOption({QStringLiteral("embedding-dimensions"),
                      QStringLiteral("Embedding dimensions, 0 for the model's default (INI embedder/dimensions)."),
                      QStringLiteral("n")});
    parser.addHelpOption();
}

QStringList globalValueOptions()
{
    return {
        QStringLiteral("--db"),       QStringLiteral("--config"),          QStringLiteral("--parser"),
        QStringLiteral("--embedder"), QStringLiteral("--embedding-model"), QStringLiteral("--embedding-dimensions")};
}

std::optional<QString> applyGlobalOptions(const QCommandLineParser &parser, Config &config)
{
    if (parser.isSet(QStringLiteral("db")))
        config.databaseUrl = parser.value(QStringLiteral("db"));
    if (parser.isSet(QStringLiteral("parser")))
        config.parser.kind = parser.value(QStringLiteral("parser"));
    if (parser.isSet(QStringLiteral("embedder")))
        config.embedder.kind = parser.value(QStringLiteral("embedder"));
    if (parser.isSet(QStringLiteral("embedding-model")))
        config.embedder.model = parser.value(QStringLiteral("embedding-model"));
    if (parser.isSet(QStringLiteral("embedding-dimensions"))) {
        bool ok = false;
        config.embedder.dimensions = parser.value(QStringLiteral("embedding-dimensions")).toInt(&ok);
        if (!ok)
            return QStringLiteral("--embedding-dimensions takes a whole number, not '%1'")
                .arg(parser.value(QStringLiteral("embedding-dimensions")));
    }
    return std::nullopt;
}

bool parseCommandLine(QCommandLineParser &parser, const QString &command, const QStringList &args)
{
    QStringList full = args;
    full.prepend(QCoreApplication::applicationName() + u' ' + command);
    if (!parser.parse(full)) {
        fail(parser.errorText(), 2);
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        out().flush();
        ::exit(0);
    }
    return true;
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int fail(const QString &reason, int code)
{
    out().flush();
    err() << "docpipe-cli: " << reason << Qt::endl;
    return code;
}

void printJson(const QJsonDocument &document)
{
    out() << QString::fromUtf8(document.toJson(QJsonDocument::Indented));
    out().flush();
}

QString missingDatabase(const Context &context)
{
    if (!context.db.isMissingFile())
        return {};
    return QStringLiteral("no database at %1 (check --db or DOCPIPE_DB; 'docpipe-cli check --init' creates one "
                          "there, as do ingest and worker)")
        .arg(context.db.displayUrl());
}

bool openDatabase(const Context &context, Creation creation)
{
    if (creation == Creation::ExistingOnly) {
        if (const QString missing = missingDatabase(context); !missing.isEmpty()) {
            fail(missing);
            return false;
        }
    }
    auto migrated = context.db.migrate();
    if (!migrated) {
        fail(migrated.error().message);
        return false;
    }
    return true;
}

int prepare(QCommandLineParser &parser, const QString &command, const Context &context)
{
    if (!parseCommandLine(parser, command, context.args))
        return 2;
    return openDatabase(context) ? 0 : 1;
}

QString printable(const QString &text)
{
    QString result;
    result.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'\n')
            result += QStringLiteral("\\n");
        else if (c == u'\t')
            result += QStringLiteral("\\t");
        else if (c.category() == QChar::Other_Control)
            result += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QChar(u'0'));
        else
            result += c;
    }
    return result;
}

} // namespace Docpipe::Cli

namespace Docpipe::Cli {

int terminalColumns()
{
    bool ok = false;
    const int columns = qEnvironmentVariableIntValue("COLUMNS", &ok);
    if (ok && columns > 0)
        return columns;
    winsize size{};
    if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return 0;
}

} // namespace Docpipe::Cli
