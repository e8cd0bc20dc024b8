// The operator's window: drop documents anywhere, watch every job in the table (and the stage
// dashboard and error log, which the panels add), read details, retry, cancel, pause. Views learn
// of changes from LiveFeed (the database), so other workers' work shows too; every action is the
// same core call the CLI makes, run off the GUI thread.
#pragma once

#include "config/config.h"
#include "engine/ingestor.h"
#include "store/database.h"

#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QProgressBar;
class QSplitter;

namespace Docpipe {
class PipelineEngine;
namespace Alerts {
class AlertMonitor;
}
namespace Search {
class SearchService;
}
} // namespace Docpipe

namespace Docpipe::Ui {

class AlertBanner;
class IngestController;
class IngestNotice;
class JobActions;
class JobController;
class JobDetailsDialog;
class JobsView;
class LiveFeed;
class SecretStore;
class ServiceMonitor;
class StageDashboard;
class StatusIndicators;
class ProcessMonitor;
class TrayNotifier;
class UiSettings;

struct WindowContext
{
    Config config;
    QString iniPath; // the window's INI file: [ui] preferences live there too
    PipelineEngine *engine = nullptr; // the in-process worker; null: the window only watches
    SecretStore *secrets = nullptr; // API keys (keychain); null: the environment's only
};

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(const WindowContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Dropped, pasted, chosen or given on the command line: all end here.
    void ingestPaths(const QStringList &paths);
    void selectJob(qint64 jobId);
    void showDetails(qint64 jobId);
    // The details at one chunk (a search result chosen).
    void showChunk(qint64 jobId, int chunkIndex);
    void retryAllFailed(); // asks for confirmation with the count first

    // Reads the API keys (keychain, then environment), checks the services and starts the engine.
    void start();
    // Saved settings: the services are checked again and the engine restarts with them (a new
    // database applies at the next start: the views would have to start over).
    void applyConfig(const Config &config);
    // Stores the language override ("" = the system's, "en", "de"); it applies at the next start.
    void setLanguage(const QString &code);
    void openSettings();
    QAction *settingsAction() const { return m_settingsAction; }

    LiveFeed *liveFeed() const { return m_feed; }
    JobsView *jobsView() const { return m_jobs; }
    JobActions *jobActions() const { return m_jobActions; }
    StatusIndicators *indicators() const { return m_indicators; }
    TrayNotifier *notifier() const { return m_notifier; }
    AlertBanner *alertBanner() const { return m_alertBanner; }
    Alerts::AlertMonitor *alertMonitor() const { return m_alerts; }
    IngestNotice *ingestNotice() const { return m_notice; } // null until something was skipped
    JobDetailsDialog *detailsDialog() const { return m_details; } // null until first shown
    Store::Database database() const { return m_db; }

Q_SIGNALS:
    void ingestFinished(const Docpipe::IngestReport &report);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void connectFeed();
    void connectEngine();
    void connectControllers();
    void connectAlerts();
    void restoreLayout();
    void saveLayout();
    void addFiles();
    void addFolder();
    void pastePaths();
    void showRowMenu(const QPoint &globalPos);
    void reportIngest(const IngestReport &report);
    void updateEngineIndicator();
    void sampleEngine();
    void tickClock();
    void showAbout();
    void showMessage(const QString &message);
    void confirm(const QString &name, const QString &text, const QString &yesText, std::function<void()> onYes);
    void disableDrops(QWidget *root);
    void addPanels();
    void addSearchPanel(QDockWidget *besides);
    void startEngine(const Config &config);

    Config m_config;
    QString m_iniPath;
    Store::Database m_db;
    PipelineEngine *m_engine;
    SecretStore *m_secrets;
    std::unique_ptr<UiSettings> m_settings;

    LiveFeed *m_feed;
    JobController *m_controller;
    IngestController *m_ingest;
    ServiceMonitor *m_services;
    TrayNotifier *m_notifier;
    JobsView *m_jobs;
    JobActions *m_jobActions;
    StatusIndicators *m_indicators;
    ProcessMonitor *m_processMonitor = nullptr;
    Alerts::AlertMonitor *m_alerts;
    AlertBanner *m_alertBanner;
    Search::SearchService *m_search = nullptr;
    QSplitter *m_splitter;
    StageDashboard *m_dashboard = nullptr;
    QProgressBar *m_ingestProgress;
    IngestNotice *m_notice = nullptr;
    JobDetailsDialog *m_details = nullptr;

    QAction *m_addFilesAction = nullptr;
    QAction *m_addFolderAction = nullptr;
    QAction *m_pasteAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_resetColumnsAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QMenu *m_viewMenu = nullptr;

    enum class Engine { None, Starting, Running, Stopping, Stopped, Failed };
    Engine m_engineState = Engine::None;
    QString m_engineDetail;
    bool m_paused = false;
    bool m_closeWhenStopped = false;
    std::optional<Config> m_restartWith; // settings to start with once the engine has stopped
};

} // namespace Docpipe::Ui
