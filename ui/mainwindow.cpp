#include "mainwindow.h"

#include "alerts/alertbanner.h"
#include "alerts/alertmonitor.h"
#include "dashboard/dashboardfeed.h"
#include "dashboard/stagedashboard.h"
#include "details/jobdetailsdialog.h"
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "errorlog/errorlogdock.h"
#include "ingest/droppedpaths.h"
#include "ingest/ingestcontroller.h"
#include "ingest/ingestnotice.h"
#include "jobs/jobactions.h"
#include "jobs/jobcontroller.h"
#include "jobs/jobsview.h"
#include "livefeed.h"
#include "notifications/traynotifier.h"
#include "resources.h"
#include "search/searchpanel.h"
#include "settings/secretstore.h"
#include "settings/settingsdialog.h"
#include "statusbar/processmonitor.h"
#include "statusbar/servicemonitor.h"
#include "statusbar/statusindicators.h"
#include "store/workerregistry.h"
#include "uisettings.h"
#include "workers/workersdock.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace Docpipe::Ui {

namespace {

constexpr int kProgressSampleMs = 250;
constexpr int kClockTickMs = 1000;
constexpr int kMessageMs = 10000;
constexpr int kNamesInMessage = 3;

QIcon icon(const char *name)
{
    initResources();
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

QString namesWithIds(const QList<Store::IngestResult> &results)
{
    QStringList names;
    for (const Store::IngestResult &r : results.mid(0, kNamesInMessage))
        names << QStringLiteral("%1 (#%2)").arg(r.name).arg(r.jobId);
    if (results.size() > kNamesInMessage)
        names << QStringLiteral("…");
    return names.join(QStringLiteral(", "));
}

} // namespace

MainWindow::MainWindow(const WindowContext &context, QWidget *parent)
    : QMainWindow(parent)
    , m_config(context.config)
    , m_iniPath(context.iniPath)
    , m_db(context.config.effectiveDatabaseUrl())
    , m_engine(context.engine)
    , m_secrets(context.secrets)
    , m_settings(std::make_unique<UiSettings>(context.iniPath))
    , m_feed(new LiveFeed(m_db, this))
    , m_controller(new JobController(m_db, this))
    , m_ingest(new IngestController(m_db, {.maxBytes = context.config.engine.maxDocumentBytes}, this))
    , m_services(new ServiceMonitor(this))
    , m_notifier(new TrayNotifier(icon("docpipe"), this))
    , m_jobs(new JobsView(this))
    , m_jobActions(new JobActions(this))
    , m_indicators(new StatusIndicators(this))
    , m_alerts(new Alerts::AlertMonitor(context.config,
                                        context.engine ? context.engine->workerId() : Store::newWorkerId(), this))
    , m_alertBanner(new AlertBanner(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_ingestProgress(new QProgressBar(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    if (const QStringList problems = m_config.validate(); !problems.isEmpty())
        showMessage(tr("The configuration has problems: %1").arg(problems.join(QStringLiteral("; "))));
    setWindowTitle(tr("Docpipe"));
    setWindowIcon(icon("docpipe"));
    setAcceptDrops(true);
    m_ingest->setCollectOptions({.followSymlinks = context.config.ingest.followSymlinks});

    m_splitter->setObjectName(QStringLiteral("centralSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_jobs);
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(4);
    centralLayout->addWidget(m_alertBanner);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_ingestProgress->setObjectName(QStringLiteral("ingestProgress"));
    m_ingestProgress->setMaximumWidth(220);
    m_ingestProgress->hide();
    statusBar()->addPermanentWidget(m_ingestProgress);
    statusBar()->addPermanentWidget(m_indicators);
    m_processMonitor = new ProcessMonitor(m_indicators, m_config.alerts.maxMemoryMb, this);

    createActions();
    createMenus();
    createToolBar();
    addPanels();
    connectFeed();
    connectEngine();
    connectControllers();
    connectAlerts();
    restoreLayout();

    auto *progressTimer = new QTimer(this);
    progressTimer->start(kProgressSampleMs);
    connect(progressTimer, &QTimer::timeout, this, &MainWindow::sampleEngine);
    auto *clock = new QTimer(this);
    clock->start(kClockTickMs);
    connect(clock, &QTimer::timeout, this, &MainWindow::tickClock);
    m_jobs->model()->setStalledAfterMs(qint64(m_config.window.stalledAfterSeconds) * 1000);

    m_feed->setSafetyInterval(m_config.engine.safetyPollSeconds * 1000);
    m_feed->setNotificationsEnabled(m_config.engine.notifications);
    m_feed->start();
    if (!m_engine || m_engine->isRunning()) // else once it runs: a window starting is no fleet without workers
        m_alerts->start();
    if (!m_secrets) // no keychain to wait for: the configuration holds every key it will have
        m_services->check(m_config);
}

void MainWindow::start()
{
    if (!m_secrets)
        return startEngine(m_config);
    m_secrets->loadKeys(m_config).then(this, [this](const Config &withKeys) { startEngine(withKeys); });
}

void MainWindow::startEngine(const Config &config)
{
    m_config = config;
    m_search->setEmbedder(makeEmbedder(m_config)); // queries are embedded as the chunks will be
    m_services->check(m_config);
    if (!m_engine || m_closeWhenStopped) // closed while the keychain was still answering
        return;
    m_engine->reconfigure(m_config, makeParser(m_config), makeEmbedder(m_config));
    m_engineState = Engine::Starting;
    updateEngineIndicator();
    m_engine->start();
}

void MainWindow::addPanels()
{
    auto *dashboard = new StageDashboard(this);
    m_dashboard = dashboard;
    dashboard->setObjectName(QStringLiteral("stageDashboard"));
    new DashboardFeed(m_feed, dashboard, this);
    disableDrops(dashboard);
    m_splitter->insertWidget(0, dashboard);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);

    auto *errors = new ErrorLogDock(this);
    errors->setObjectName(QStringLiteral("errorLogDock"));
    connect(m_feed, &LiveFeed::errorBacklog, errors, &ErrorLogDock::appendEvents);
    connect(m_feed, &LiveFeed::eventsAppended, errors, &ErrorLogDock::appendEvents);
    connect(errors, &ErrorLogDock::jobActivated, this, &MainWindow::selectJob);
    disableDrops(errors);
    addDockWidget(Qt::BottomDockWidgetArea, errors);
    m_viewMenu->addAction(errors->toggleViewAction());
    addSearchPanel(errors);

    auto *workers = new WorkersDock(this);
    connect(m_feed, &LiveFeed::fleetSeen, workers, &WorkersDock::setWorkers);
    connect(workers, &WorkersDock::drainRequested, m_controller, &JobController::drainWorker);
    disableDrops(workers);
    addDockWidget(Qt::BottomDockWidgetArea, workers);
    tabifyDockWidget(errors, workers);
    errors->raise();
    m_viewMenu->addAction(workers->toggleViewAction());

    m_settingsAction->setEnabled(true);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettings);
}

void MainWindow::addSearchPanel(QDockWidget *besides)
{
    m_search = new Search::SearchService(m_db, makeEmbedder(m_config), this);
    auto *panel = new SearchPanel(m_search, this);
    connect(panel, &SearchPanel::chunkActivated, this, &MainWindow::showChunk);
    disableDrops(panel);
    addDockWidget(Qt::BottomDockWidgetArea, panel);
    tabifyDockWidget(besides, panel);
    besides->raise();
    QAction *toggle = panel->toggleViewAction();
    toggle->setShortcut(QKeySequence(tr("Ctrl+Shift+F")));
    m_viewMenu->addAction(toggle);
    // Opening the panel also puts the cursor in the query field.
    connect(toggle, &QAction::triggered, panel, [panel](bool shown) {
        if (shown) {
            panel->raise();
            panel->queryField()->setFocus();
        }
    });
}

void MainWindow::openSettings()
{
    if (auto *open = findChild<SettingsDialog *>(); open)
        return open->raise();
    auto *dialog = new SettingsDialog(m_config, m_secrets, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setConfigPath(m_iniPath);
    dialog->setLanguage(m_settings->language().get());
    connect(dialog, &SettingsDialog::configSaved, this, &MainWindow::applyConfig);
    connect(dialog, &SettingsDialog::languageChosen, this, &MainWindow::setLanguage);
    dialog->open();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    const auto make
        = [this](const char *name, const QString &text, const char *iconName, const QKeySequence &shortcut) {
              auto *action = new QAction(icon(iconName), text, this);
              action->setObjectName(QLatin1String(name));
              action->setShortcut(shortcut);
              return action;
          };
    m_addFilesAction = make("actionAddFiles", tr("Add &Files…"), "add-files", QKeySequence::Open);
    m_addFilesAction->setStatusTip(tr("Choose documents to add as jobs"));
    m_addFolderAction
        = make("actionAddFolder", tr("Add F&older…"), "add-folder", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_addFolderAction->setStatusTip(tr("Add every document in a folder and its subfolders"));
    m_pasteAction = make("actionPaste", tr("&Paste Paths"), "paste", QKeySequence::Paste);
    m_pasteAction->setStatusTip(tr("Add the files and folders whose paths are on the clipboard"));
    m_settingsAction = make("actionSettings", tr("&Settings…"), "settings", QKeySequence::Preferences);
    m_settingsAction->setEnabled(false); // enabled once the settings dialog is wired in
    m_quitAction = make("actionQuit", tr("&Quit"), "quit", QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_findAction = make("actionFind", tr("&Find…"), "find", QKeySequence::Find);
    m_resetColumnsAction = make("actionResetColumns", tr("&Reset Column Layout"), "columns", {});
    m_aboutAction = make("actionAbout", tr("&About Docpipe"), "docpipe", {});

    connect(m_addFilesAction, &QAction::triggered, this, &MainWindow::addFiles);
    connect(m_addFolderAction, &QAction::triggered, this, &MainWindow::addFolder);
    connect(m_pasteAction, &QAction::triggered, this, &MainWindow::pastePaths);
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::close);
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_jobs->searchField()->setFocus(Qt::ShortcutFocusReason);
        m_jobs->searchField()->selectAll();
    });
    connect(m_resetColumnsAction, &QAction::triggered, m_jobs, &JobsView::resetColumns);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addActions({m_addFilesAction, m_addFolderAction, m_pasteAction});
    file->addSeparator();
    file->addAction(m_settingsAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *jobs = menuBar()->addMenu(tr("&Jobs"));
    jobs->addAction(m_jobActions->details);
    jobs->addSeparator();
    jobs->addActions({m_jobActions->retry, m_jobActions->retryAllFailed, m_jobActions->rerun, m_jobActions->cancel});
    jobs->addSeparator();
    jobs->addAction(m_jobActions->copy);

    QMenu *engine = menuBar()->addMenu(tr("&Engine"));
    engine->addActions({m_jobActions->pause, m_jobActions->refresh});

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_findAction);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_resetColumnsAction);
    m_viewMenu->addSeparator();

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(20, 20));
    bar->addActions({m_addFilesAction, m_addFolderAction});
    bar->addSeparator();
    bar->addAction(m_jobActions->pause);
    bar->addSeparator();
    bar->addActions({m_jobActions->retry, m_jobActions->retryAllFailed, m_jobActions->cancel});
    bar->addSeparator();
    bar->addAction(m_jobActions->details);
    m_viewMenu->addAction(bar->toggleViewAction());
}

void MainWindow::connectFeed()
{
    connect(m_feed, &LiveFeed::jobsChanged, this, [this](const QList<Store::JobRecord> &jobs) {
        m_jobs->model()->applyJobs(jobs);
        m_jobActions->updateForSelection(m_jobs->selectedJobs());
    });
    connect(m_feed, &LiveFeed::eventsAppended, m_notifier, &TrayNotifier::observeEvents);
    connect(m_feed, &LiveFeed::countsSampled, m_notifier,
            [this](qint64, const Store::StatusCounts &counts) { m_notifier->observeCounts(counts); });
    connect(m_feed, &LiveFeed::loaded, m_notifier, &TrayNotifier::arm);
    connect(m_feed, &LiveFeed::workersSeen, m_indicators, &StatusIndicators::setWorkers);
    connect(m_feed, &LiveFeed::databaseStateChanged, this, [this](bool connected, const QString &reason) {
        m_indicators->setDatabase(connected, m_db.displayUrl(), reason);
    });
    connect(m_feed, &LiveFeed::pausedChanged, this, [this](bool paused) {
        m_paused = paused;
        m_jobActions->setPaused(paused);
        updateEngineIndicator();
    });
}

void MainWindow::connectEngine()
{
    if (!m_engine) {
        updateEngineIndicator();
        return;
    }
    m_engineState = m_engine->isRunning() ? Engine::Running : Engine::Starting;
    connect(m_engine, &PipelineEngine::started, this, [this] {
        m_engineState = Engine::Running;
        updateEngineIndicator();
        m_alerts->start();
    });
    connect(m_engine, &PipelineEngine::startFailed, this, [this](const QString &reason) {
        m_engineState = Engine::Failed;
        m_engineDetail = reason;
        updateEngineIndicator();
        showMessage(tr("The engine could not start: %1").arg(reason));
    });
    connect(m_engine, &PipelineEngine::stopped, this, [this] {
        m_engineState = Engine::Stopped;
        updateEngineIndicator();
        if (auto next = std::exchange(m_restartWith, std::nullopt); next && !m_closeWhenStopped)
            return startEngine(*next);
        if (m_closeWhenStopped) // queued: this may run inside the closeEvent that asked for the stop
            QMetaObject::invokeMethod(this, &MainWindow::close, Qt::QueuedConnection);
    });
    connect(m_engine, &PipelineEngine::jobsChanged, m_feed, &LiveFeed::pollNow);
    // The engine's own calls notice an outage too (the feed's next poll agrees or corrects it).
    connect(m_engine, &PipelineEngine::databaseUnreachable, this,
            [this](const QString &reason) { m_indicators->setDatabase(false, m_db.displayUrl(), reason); });
    connect(m_engine, &PipelineEngine::databaseReachable, this,
            [this] { m_indicators->setDatabase(true, m_db.displayUrl(), {}); });
    connect(m_engine, &PipelineEngine::alert, this, [this](const QString &code, const QString &message) {
        showMessage(tr("Alert (%1): %2").arg(code, message));
        m_alerts->checkNow(); // the quota rule sees it now; the banner and the tray follow
    });
    updateEngineIndicator();
}

void MainWindow::connectAlerts()
{
    // The banner shows what any worker on the database fired; the tray announces each change once.
    connect(m_alerts, &Alerts::AlertMonitor::checked, this, [this](const Alerts::AlertCheck &check) {
        if (!check.ok)
            return;
        m_alertBanner->setAlerts(check.firing);
        m_indicators->setWaitingJobs(check.fleet.waitingJobs);
        m_indicators->setDisks(check.disks, m_config.alerts.minFreeDiskMb);
        // The first reading is the SQLite database's file system; a PostgreSQL server's disk is not ours.
        const bool local = !m_config.effectiveDatabaseUrl().startsWith(QLatin1String("postgres"));
        m_indicators->setDatabaseSize(check.databaseBytes,
                                      local && !check.disks.isEmpty() ? check.disks.first().freeBytes : -1);
    });
    connect(m_alertBanner, &AlertBanner::appeared, this, [this](const Store::AlertRecord &alert) {
        m_notifier->alert(tr("Docpipe alert: %1").arg(AlertBanner::title(alert.rule)), alert.summary);
    });
    connect(m_alertBanner, &AlertBanner::cleared, this, [this](const Store::AlertRecord &alert) {
        m_notifier->alert(tr("Docpipe: resolved"), AlertBanner::title(alert.rule));
    });
}

void MainWindow::connectControllers()
{
    const auto wakeAndRefresh = [this] {
        if (m_engine)
            m_engine->wake();
        m_feed->pollNow();
    };
    connect(m_controller, &JobController::done, this, &MainWindow::showMessage);
    connect(m_controller, &JobController::failed, this, &MainWindow::showMessage);
    connect(m_controller, &JobController::jobsMoved, this, wakeAndRefresh);
    connect(m_controller, &JobController::pausedSet, m_feed, &LiveFeed::pollNow);
    connect(m_controller, &JobController::failedFound, this, [this](const QList<qint64> &ids) {
        if (ids.isEmpty())
            return showMessage(tr("There are no failed jobs."));
        confirm(QStringLiteral("confirmRetryAllFailed"),
                tr("Retry all %n failed job(s) from their last checkpoint?", nullptr, int(ids.size())),
                tr("Retry %n Job(s)", nullptr, int(ids.size())), [this, ids] { m_controller->retry(ids); });
    });

    connect(m_ingest, &IngestController::progressed, this, [this](int done, int total) {
        m_ingestProgress->setRange(0, total);
        m_ingestProgress->setValue(done);
        m_ingestProgress->setFormat(tr("Adding %1 of %2").arg(done).arg(total));
    });
    connect(m_ingest, &IngestController::batchRecorded, this, wakeAndRefresh);
    connect(m_ingest, &IngestController::finished, this, &MainWindow::reportIngest);

    connect(m_services, &ServiceMonitor::checking, m_indicators, &StatusIndicators::setServiceChecking);
    connect(m_services, &ServiceMonitor::checked, m_indicators, &StatusIndicators::setServiceCheck);

    connect(m_jobs, &JobsView::selectionChanged, this,
            [this] { m_jobActions->updateForSelection(m_jobs->selectedJobs()); });
    connect(m_jobs, &JobsView::jobActivated, this, &MainWindow::showDetails);
    connect(m_jobs, &JobsView::contextMenuRequested, this, &MainWindow::showRowMenu);

    connect(m_jobActions->details, &QAction::triggered, this, [this] { showDetails(m_jobs->currentJobId()); });
    connect(m_jobActions->retry, &QAction::triggered, this, [this] { m_controller->retry(m_jobs->selectedJobIds()); });
    connect(m_jobActions->retryAllFailed, &QAction::triggered, this, &MainWindow::retryAllFailed);
    connect(m_jobActions->cancel, &QAction::triggered, this,
            [this] { m_controller->cancel(m_jobs->selectedJobIds()); });
    connect(m_jobActions->rerun, &QAction::triggered, this, [this] {
        const QList<qint64> ids = m_jobs->selectedJobIds();
        if (ids.isEmpty())
            return;
        confirm(QStringLiteral("confirmRerun"),
                tr("Re-run %n job(s) from the start? Their parsed text, chunks and vectors are dropped.", nullptr,
                   int(ids.size())),
                tr("Re-run"), [this, ids] { m_controller->rerunFromStart(ids); });
    });
    connect(m_jobActions->copy, &QAction::triggered, this,
            [this] { QApplication::clipboard()->setText(m_jobs->selectedRowsAsText()); });
    connect(m_jobActions->pause, &QAction::triggered, m_controller, &JobController::setPaused);
    connect(m_jobActions->refresh, &QAction::triggered, this, [this] {
        m_feed->pollNow();
        m_services->check(m_config);
    });
}

void MainWindow::ingestPaths(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    m_ingestProgress->setRange(0, 0);
    m_ingestProgress->setFormat(tr("Reading…"));
    m_ingestProgress->show();
    showMessage(tr("Adding %n dropped item(s)…", nullptr, int(paths.size())));
    m_ingest->ingest(paths);
}

void MainWindow::reportIngest(const IngestReport &report)
{
    if (!m_ingest->isBusy())
        m_ingestProgress->hide();
    QStringList sentences;
    sentences << tr("Added %n document(s).", nullptr, int(report.created.size()));
    if (!report.duplicates.isEmpty())
        sentences << tr("%n duplicate(s) of existing jobs, not added again: %1.", nullptr,
                        int(report.duplicates.size()))
                         .arg(namesWithIds(report.duplicates));
    if (!report.notes.isEmpty() || !report.errors.isEmpty())
        sentences << tr("%n item(s) skipped (see the notice).", nullptr,
                        int(report.notes.size() + report.errors.size()));
    showMessage(sentences.join(u' '));
    if (!report.notes.isEmpty() || !report.errors.isEmpty()) {
        if (!m_notice)
            m_notice = new IngestNotice(this);
        m_notice->addLines(report.notes + report.errors);
    }
    if (m_engine && !report.created.isEmpty())
        m_engine->wake();
    m_feed->pollNow();
    Q_EMIT ingestFinished(report);
}

void MainWindow::selectJob(qint64 jobId)
{
    m_jobs->selectJob(jobId);
}

void MainWindow::showDetails(qint64 jobId)
{
    if (jobId <= 0)
        return;
    if (!m_details)
        m_details = new JobDetailsDialog(m_db, this);
    m_details->showJob(jobId);
}

void MainWindow::showChunk(qint64 jobId, int chunkIndex)
{
    if (jobId <= 0)
        return;
    if (!m_details)
        m_details = new JobDetailsDialog(m_db, this);
    m_details->showChunk(jobId, chunkIndex);
}

void MainWindow::retryAllFailed()
{
    m_controller->findFailed();
}

void MainWindow::applyConfig(const Config &config)
{
    const bool newDatabase = config.effectiveDatabaseUrl() != m_config.effectiveDatabaseUrl();
    Config next = config;
    if (newDatabase) // the views and the engine keep the database they started with
        next.databaseUrl = m_config.databaseUrl;
    m_services->check(next);
    m_alerts->reconfigure(next);
    m_search->setEmbedder(makeEmbedder(next));
    m_processMonitor->setMaxMemoryMb(next.alerts.maxMemoryMb);
    m_ingest->setCollectOptions({.followSymlinks = next.ingest.followSymlinks});
    m_jobs->model()->setStalledAfterMs(qint64(next.window.stalledAfterSeconds) * 1000);
    if (newDatabase)
        showMessage(tr("Settings saved. The new database is used when Docpipe starts again."));
    if (!m_engine || m_engineState == Engine::Failed || m_engineState == Engine::Stopped) {
        if (m_engine)
            return startEngine(next);
        m_config = next;
        return;
    }
    // Finish or hand back what this worker holds, then start again with the new settings.
    m_restartWith = next;
    if (m_engineState != Engine::Stopping) {
        m_engineState = Engine::Stopping;
        updateEngineIndicator();
        m_engine->stop();
    }
    if (!newDatabase)
        showMessage(
            tr("Settings saved. The engine restarts with them once its running work is finished or handed back."));
}

void MainWindow::setLanguage(const QString &code)
{
    if (m_settings->language().get() == code)
        return;
    m_settings->language().set(code);
    showMessage(tr("The new language applies when Docpipe starts again."));
}

void MainWindow::disableDrops(QWidget *root)
{
    // Drops must reach the window from anywhere; widgets that take drops themselves (chart views,
    // text fields) would swallow them.
    root->setAcceptDrops(false);
    for (QWidget *child : root->findChildren<QWidget *>())
        child->setAcceptDrops(false);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (hasDroppablePaths(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (hasDroppablePaths(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList paths = pathsFromMimeData(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    ingestPaths(paths);
}

void MainWindow::addFiles()
{
    const QString filter
        = tr("Documents (*.pdf *.docx *.html *.htm *.xhtml *.md *.markdown *.txt *.text);;All files (*)");
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Add Documents"), QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation), filter);
    ingestPaths(files);
}

void MainWindow::addFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Add Folder"), QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation));
    if (!folder.isEmpty())
        ingestPaths({folder});
}

void MainWindow::pastePaths()
{
    const QStringList paths = pathsFromMimeData(QApplication::clipboard()->mimeData());
    if (paths.isEmpty())
        return showMessage(tr("The clipboard holds no file or folder paths."));
    ingestPaths(paths);
}

void MainWindow::showRowMenu(const QPoint &globalPos)
{
    QMenu menu(this);
    for (QAction *action : m_jobActions->rowActions()) {
        if (action)
            menu.addAction(action);
        else
            menu.addSeparator();
    }
    menu.exec(globalPos);
}

void MainWindow::confirm(const QString &name, const QString &text, const QString &yesText, std::function<void()> onYes)
{
    auto *box
        = new QMessageBox(QMessageBox::Question, tr("Docpipe"), text, QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(name);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->button(QMessageBox::Yes)->setText(yesText);
    box->setDefaultButton(QMessageBox::Yes);
    connect(box->button(QMessageBox::Yes), &QAbstractButton::clicked, this, std::move(onYes));
    box->open(); // window-modal, no nested event loop
}

void MainWindow::updateEngineIndicator()
{
    switch (m_engineState) {
    case Engine::None:
        m_indicators->setEngineState(m_paused ? EngineState::Paused : EngineState::Stopped,
                                     tr("This window only watches the database."));
        break;
    case Engine::Starting:
        m_indicators->setEngineState(EngineState::Starting);
        break;
    case Engine::Running:
        m_indicators->setEngineState(m_paused ? EngineState::Paused : EngineState::Running, m_engine->workerId());
        break;
    case Engine::Stopping:
        m_indicators->setEngineState(EngineState::Stopped, tr("Stopping…"));
        break;
    case Engine::Stopped:
        m_indicators->setEngineState(EngineState::Stopped);
        break;
    case Engine::Failed:
        m_indicators->setEngineState(EngineState::Failed, m_engineDetail);
        break;
    }
}

void MainWindow::tickClock()
{
    m_jobs->model()->setNow(QDateTime::currentMSecsSinceEpoch(), m_jobs->visibleSourceRows());
    m_dashboard->showStalled(m_jobs->model()->stalledByStage());
}

void MainWindow::sampleEngine()
{
    if (m_engine && m_engineState == Engine::Running)
        m_jobs->model()->setProgress(m_engine->progress());
}

void MainWindow::showMessage(const QString &message)
{
    statusBar()->showMessage(message, kMessageMs);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Docpipe"),
        tr("<h3>Docpipe %1</h3><p>Turns documents into stored, embedded chunks, and shows every step.</p>"
           "<p>Database: %2</p>")
            .arg(QStringLiteral(DOCPIPE_VERSION), m_db.displayUrl().toHtmlEscaped()));
}

void MainWindow::restoreLayout()
{
    if (!restoreGeometry(m_settings->windowGeometry().get())) {
        const QRect screen = this->screen() ? this->screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        resize(std::min(1240, screen.width()), std::min(780, screen.height()));
    }
    if (!restoreState(m_settings->windowState().get())) {
        if (auto *errors = findChild<QDockWidget *>(QStringLiteral("errorLogDock")))
            resizeDocks({errors}, {170}, Qt::Vertical);
    }
    if (!m_splitter->restoreState(m_settings->splitterState().get()))
        m_splitter->setSizes({330, 470}); // dashboard above, the jobs below get the most
    m_jobs->restoreColumns(m_settings->jobColumns().get());
}

void MainWindow::saveLayout()
{
    m_settings->windowGeometry().set(saveGeometry());
    m_settings->windowState().set(saveState());
    m_settings->jobColumns().set(m_jobs->saveColumns());
    m_settings->splitterState().set(m_splitter->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    if (m_engine
        && (m_engineState == Engine::Running || m_engineState == Engine::Starting
            || m_engineState == Engine::Stopping)) {
        // Finish or hand back what this worker holds before the window goes.
        event->ignore();
        m_restartWith.reset();
        m_closeWhenStopped = true;
        if (m_engineState != Engine::Stopping) {
            m_engineState = Engine::Stopping;
            updateEngineIndicator();
            showMessage(tr("Stopping: finishing or handing back unfinished work…"));
            m_engine->stop();
        }
        return;
    }
    QMainWindow::closeEvent(event);
}

} // namespace Docpipe::Ui
