// docpipe: the operator's window. Only wiring: the application, the command line, the
// configuration, the translation, the keychain, the in-process engine (the window is also a
// worker) and the window; paths given on the command line are ingested as if dropped (file
// managers' "Open with").
#include "config/config.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "i18n.h"
#include "logging.h"
#include "mainwindow.h"
#include "servicehost.h"
#include "settings/secretstore.h"
#include "uisettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QStatusBar>

#include <memory>

using namespace Docpipe;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    installQuietDatabaseWarnings();
    QApplication::setOrganizationName(QStringLiteral("docpipe"));
    QApplication::setApplicationName(QStringLiteral("docpipe"));
    QApplication::setApplicationDisplayName(QStringLiteral("Docpipe"));
    QApplication::setApplicationVersion(QStringLiteral(DOCPIPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.docpipe.Docpipe"));

    // The INI names the language, so it is found before the parser's texts are translated.
    const QStringList args = QApplication::arguments();
    const qsizetype configAt = args.indexOf(QStringLiteral("--config"));
    const QString iniPath
        = configAt > 0 && configAt + 1 < args.size() ? args.at(configAt + 1) : Config::defaultConfigPath();
    Ui::installTranslations(Ui::UiSettings(iniPath).language().get());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Drop documents, watch every stage, read errors, retry."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("db"),
                      QApplication::translate("main", "SQLite file or postgresql:// URL of the database."),
                      QStringLiteral("URL")});
    parser.addOption(
        {QStringLiteral("config"), QApplication::translate("main", "The settings file (INI)."), QStringLiteral("INI")});
    parser.addPositionalArgument(QStringLiteral("paths"),
                                 QApplication::translate("main", "Documents or folders to add."),
                                 QStringLiteral("[PATH...]"));
    parser.process(app);

    Config config = Config::load(iniPath);
    if (parser.isSet(QStringLiteral("db")))
        config.databaseUrl = parser.value(QStringLiteral("db"));
    QLoggingCategory::setFilterRules(QStringLiteral("docpipe.*.info=false"));

    Ui::SecretStore secrets;
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    Ui::MainWindow window({config, iniPath, &engine, &secrets});
    window.show();
    window.start(); // reads the API keys from the keychain, then starts the engine

    // server/listen: the window serves probes, /metrics and the /v1 API like a worker does.
    std::unique_ptr<Server::ServiceHost> http;
    if (!config.server.listen.isEmpty()) {
        QString error;
        const auto address = Server::parseListenAddress(config.server.listen, &error);
        if (address) {
            http = std::make_unique<Server::ServiceHost>(
                Server::ServiceOptions{config, *address, QStringLiteral("window"), 30000});
            if (http->start(&error))
                QObject::connect(http.get(), &Server::ServiceHost::workArrived, &engine, &PipelineEngine::wake);
            else
                http.reset();
        }
        if (!http) {
            qWarning("docpipe: HTTP service not started: %s", qPrintable(error));
            window.statusBar()->showMessage(QApplication::translate("main", "HTTP service not started: %1").arg(error));
        }
    }

    QStringList paths;
    for (const QString &path : parser.positionalArguments())
        paths << QFileInfo(path).absoluteFilePath();
    window.ingestPaths(paths);
    return app.exec();
}
