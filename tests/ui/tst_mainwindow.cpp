// The window as a whole: every action in the menu bar with a shortcut, the layout remembered in
// the INI's [ui] group, a complete German translation, the status bar's indicators, and the
// desktop notifications' policy (a batch drained, permanent failures coalesced).
#include "engine/pipelineengine.h"
#include "engine/stagefactory.h"
#include "i18n.h"
#include "jobs/jobactions.h"
#include "jobs/jobsview.h"
#include "jobs/jobtablemodel.h"
#include "mainwindow.h"
#include "notifications/notificationpolicy.h"
#include "notifications/traynotifier.h"
#include "statusbar/statusindicators.h"
#include "uisettings.h"

#include <QAction>
#include <QFile>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QXmlStreamReader>

using namespace Docpipe;
using namespace Docpipe::Ui;

namespace {

QList<QAction *> menuActions(const QMenuBar *bar)
{
    QList<QAction *> found;
    const std::function<void(const QMenu *)> walk = [&](const QMenu *menu) {
        for (QAction *action : menu->actions()) {
            if (action->menu())
                walk(action->menu());
            else if (!action->isSeparator())
                found << action;
        }
    };
    for (QAction *top : bar->actions())
        walk(top->menu());
    return found;
}

QStringList visibleTexts(const MainWindow &window)
{
    QStringList texts;
    for (const QAction *top : window.menuBar()->actions())
        texts << top->text();
    for (const QAction *action : menuActions(window.menuBar()))
        texts << action->text();
    const JobTableModel *model = window.jobsView()->model();
    for (int column = 0; column < model->columnCount(); ++column)
        texts << model->headerData(column, Qt::Horizontal).toString();
    texts << window.windowTitle();
    return texts;
}

Store::StatusCounts counts(int waiting, int embedded, int failed)
{
    Store::StatusCounts c;
    for (const Stage stage : allStages())
        c.byStage.insert(stage, 0);
    c.byStage[Stage::Uploaded] = waiting;
    c.byStage[Stage::Embedded] = embedded;
    c.failed = failed;
    c.total = waiting + embedded + failed;
    return c;
}

Store::JobEvent failure(qint64 jobId, const QString &name)
{
    Store::JobEvent e;
    e.jobId = jobId;
    e.kind = QString::fromLatin1(Store::EventKind::Failed);
    e.jobName = name;
    return e;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { installTranslations(QStringLiteral("en")); }
    void cleanup() { installTranslations(QStringLiteral("en")); } // a failed German test must not leak
    void everyActionIsInTheMenuBar();
    void layoutIsRemembered();
    void germanTranslationIsComplete();
    void germanWindow();
    void languageFromLocaleOrOverride_data();
    void languageFromLocaleOrOverride();
    void indicatorsShowHealth();
    void unreachableDatabaseShows();
    void batchNotice_data();
    void batchNotice();
    void failuresAreCoalesced();
};

void TestMainWindow::everyActionIsInTheMenuBar()
{
    QTemporaryDir dir;
    Config config;
    config.databaseUrl = dir.filePath(QStringLiteral("db.sqlite"));
    MainWindow window({config, dir.filePath(QStringLiteral("w.ini")), nullptr});
    const QList<QAction *> inMenus = menuActions(window.menuBar());
    QStringList shortcuts;
    for (QAction *action : window.findChildren<QAction *>()) {
        if (!action->objectName().startsWith(QLatin1String("action")))
            continue;
        QVERIFY2(inMenus.contains(action), qPrintable(action->objectName()));
        if (!action->shortcut().isEmpty()) {
            const QString keys = action->shortcut().toString();
            QVERIFY2(!shortcuts.contains(keys), qPrintable(keys + QStringLiteral(" twice")));
            shortcuts << keys;
        }
    }
    // The operator's daily keys.
    for (const char *name :
         {"actionAddFiles", "actionAddFolder", "actionPaste", "actionRetry", "actionRetryAllFailed", "actionCancel",
          "actionRerun", "actionDetails", "actionPause", "actionCopy", "actionFind", "actionQuit", "actionRefresh"})
        QVERIFY2(!window.findChild<QAction *>(QLatin1String(name))->shortcut().isEmpty(), name);
    // The rows' context menu offers the job actions, all of which are in the menu bar too.
    for (QAction *action : window.jobActions()->rowActions())
        QVERIFY(!action || inMenus.contains(action));
    // Nothing selected: nothing to retry, cancel or show.
    QVERIFY(!window.jobActions()->retry->isEnabled());
    QVERIFY(!window.jobActions()->cancel->isEnabled());
    QVERIFY(!window.jobActions()->details->isEnabled());
    QVERIFY(window.jobActions()->retryAllFailed->isEnabled());
}

void TestMainWindow::layoutIsRemembered()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("docpipe.ini"));
    Config config;
    config.databaseUrl = dir.filePath(QStringLiteral("db.sqlite"));
    QByteArray geometry;
    {
        MainWindow window({config, ini, nullptr});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(1010, 690);
        QHeaderView *header = window.jobsView()->table()->horizontalHeader();
        header->resizeSection(JobTableModel::NameColumn, 333);
        header->moveSection(header->visualIndex(JobTableModel::ErrorColumn), 1);
        header->setSectionHidden(JobTableModel::TypeColumn, true);
        QVERIFY(window.close()); // no engine: closes at once
        geometry = window.saveGeometry();
    }
    // Config::save writes the same file: the [ui] group survives it.
    Config::load(ini).save(ini);
    QVERIFY(!UiSettings(ini).jobColumns().get().isEmpty());
    QCOMPARE(UiSettings(ini).windowGeometry().get(), geometry);
    QVERIFY(QSettings(ini, QSettings::IniFormat).contains(QStringLiteral("ui/window_state")));

    MainWindow again({config, ini, nullptr});
    const QHeaderView *header = again.jobsView()->table()->horizontalHeader();
    QCOMPARE(header->sectionSize(JobTableModel::NameColumn), 333);
    QCOMPARE(header->visualIndex(JobTableModel::ErrorColumn), 1);
    QVERIFY(header->isSectionHidden(JobTableModel::TypeColumn));
    QCOMPARE(again.size(), QSize(1010, 690));

    // The language override the settings dialog chooses is kept for the next start.
    again.setLanguage(QStringLiteral("de"));
    QCOMPARE(UiSettings(ini).language().get(), QStringLiteral("de"));

    // "Reset column layout" brings the defaults back.
    again.findChild<QAction *>(QStringLiteral("actionResetColumns"))->trigger();
    QVERIFY(!header->isSectionHidden(JobTableModel::TypeColumn));
    QCOMPARE(header->visualIndex(JobTableModel::ErrorColumn), int(JobTableModel::ErrorColumn));
}

void TestMainWindow::germanTranslationIsComplete()
{
    QFile ts(QStringLiteral(DOCPIPE_SOURCE_DIR "/translations/docpipe_de.ts"));
    QVERIFY(ts.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&ts);
    int messages = 0;
    QStringList untranslated;
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("message"))
            ++messages;
        else if (xml.name() == QLatin1String("source"))
            source = xml.readElementText();
        else if (xml.name() == QLatin1String("translation")) {
            const bool unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished")
                || xml.attributes().value(QLatin1String("type")) == QLatin1String("vanished");
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            if (unfinished || text.trimmed().isEmpty())
                untranslated << source;
        }
    }
    QVERIFY(!xml.hasError());
    QVERIFY(messages > 100);
    QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(u'\n')));
}

void TestMainWindow::germanWindow()
{
    QTemporaryDir dir;
    Config config;
    config.databaseUrl = dir.filePath(QStringLiteral("db.sqlite"));
    QStringList english;
    {
        MainWindow window({config, dir.filePath(QStringLiteral("w.ini")), nullptr});
        english = visibleTexts(window);
    }
    QCOMPARE(installTranslations(QStringLiteral("de")), QStringLiteral("de"));
    QStringList german;
    {
        MainWindow window({config, dir.filePath(QStringLiteral("w.ini")), nullptr});
        german = visibleTexts(window);
        QCOMPARE(window.jobsView()->model()->headerData(JobTableModel::NameColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Dokument"));
        QCOMPARE(window.jobActions()->retry->text(), QStringLiteral("&Wiederholen"));
    }
    QCOMPARE(installTranslations(QStringLiteral("en")), QStringLiteral("en"));
    // Every menu, action and column says something else in German (bar names that are the same
    // word in both languages).
    static const QStringList same{QStringLiteral("Docpipe"), QStringLiteral("#"), QStringLiteral("&Details…"),
                                  QStringLiteral("Details")};
    QCOMPARE(german.size(), english.size());
    for (int i = 0; i < english.size(); ++i) {
        if (!same.contains(english.at(i)))
            QVERIFY2(german.at(i) != english.at(i), qPrintable(english.at(i)));
    }
}

void TestMainWindow::languageFromLocaleOrOverride_data()
{
    QTest::addColumn<QString>("locale");
    QTest::addColumn<QString>("override"); // ui/language in the INI
    QTest::addColumn<QString>("expected"); // a line of `docpipe --help`
    const QString german = QStringLiteral("Dokumente ablegen, jede Stufe verfolgen, Fehler lesen, wiederholen.");
    const QString english = QStringLiteral("Drop documents, watch every stage, read errors, retry.");
    QTest::newRow("German system") << QStringLiteral("de_DE.UTF-8") << QString() << german;
    QTest::newRow("English system") << QStringLiteral("en_GB.UTF-8") << QString() << english;
    QTest::newRow("French system: English") << QStringLiteral("fr_FR.UTF-8") << QString() << english;
    QTest::newRow("German system, English chosen") << QStringLiteral("de_DE.UTF-8") << QStringLiteral("en") << english;
    QTest::newRow("English system, German chosen") << QStringLiteral("en_US.UTF-8") << QStringLiteral("de") << german;
}

void TestMainWindow::languageFromLocaleOrOverride()
{
    QFETCH(QString, locale);
    QFETCH(QString, override);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("docpipe.ini"));
    if (!override.isEmpty())
        UiSettings(ini).language().set(override);
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), locale);
    env.insert(QStringLiteral("LANG"), locale);
    env.remove(QStringLiteral("LANGUAGE"));
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(DOCPIPE_GUI), {QStringLiteral("--config"), ini, QStringLiteral("--help")});
    QVERIFY(app.waitForFinished(20000));
    const QString help = QString::fromUtf8(app.readAllStandardOutput());
    QVERIFY2(help.contains(expected), qPrintable(help));
}

void TestMainWindow::indicatorsShowHealth()
{
    QTemporaryDir dir;
    Config config;
    config.databaseUrl = dir.filePath(QStringLiteral("db.sqlite"));
    PipelineEngine engine(config, makeParser(config), makeEmbedder(config));
    MainWindow window({config, dir.filePath(QStringLiteral("w.ini")), &engine});
    window.show();
    window.start();
    const StatusIndicators *status = window.indicators();
    QTRY_COMPARE_WITH_TIMEOUT(status->databaseText(), QStringLiteral("Database: connected"), 10000);
    QTRY_COMPARE(status->serviceText(QStringLiteral("parser")), QStringLiteral("Parser: reachable"));
    QTRY_COMPARE(status->serviceText(QStringLiteral("embedder")), QStringLiteral("Embedder: reachable"));
    QTRY_COMPARE_WITH_TIMEOUT(status->engineText(), QStringLiteral("Engine: running"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(status->workersText(), QStringLiteral("1 worker"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(status->memoryBudgetText(), QStringLiteral("Work 0/128 MB"), 10000); // idle engine
    QCOMPARE(status->healthOf(QStringLiteral("memoryBudgetIndicator")), QStringLiteral("good"));
    // A saved configuration with a service this build cannot reach: the indicator says so.
    Config remote = config;
    remote.embedder.kind = QStringLiteral("openai");
    window.applyConfig(remote);
    QTRY_COMPARE(status->serviceText(QStringLiteral("embedder")), QStringLiteral("Embedder: unreachable"));
    QCOMPARE(status->serviceText(QStringLiteral("parser")), QStringLiteral("Parser: reachable"));
    window.close();
    QTRY_COMPARE_WITH_TIMEOUT(engine.isRunning(), false, 20000);
    QTRY_VERIFY(!window.isVisible());
    QCOMPARE(status->engineText(), QStringLiteral("Engine: stopped"));
}

void TestMainWindow::unreachableDatabaseShows()
{
    QTemporaryFile notAFolder;
    QVERIFY(notAFolder.open());
    QTemporaryDir dir;
    Config config;
    config.databaseUrl = notAFolder.fileName() + QStringLiteral("/db.sqlite");
    MainWindow window({config, dir.filePath(QStringLiteral("w.ini")), nullptr});
    QTRY_COMPARE_WITH_TIMEOUT(window.indicators()->databaseText(), QStringLiteral("Database: unreachable"), 10000);
}

void TestMainWindow::batchNotice_data()
{
    QTest::addColumn<QList<QList<int>>>("samples"); // {waiting, embedded, failed} per poll
    QTest::addColumn<QStringList>("notices"); // the message after each sample ("" = none)

    QTest::newRow("idle: nothing to say")
        << QList<QList<int>>{{0, 5, 0}, {0, 5, 0}} << QStringList{QString(), QString()};
    QTest::newRow("a batch drains") << QList<QList<int>>{{0, 5, 0}, {10, 5, 0}, {4, 11, 0}, {0, 14, 1}, {0, 14, 1}}
                                    << QStringList{QString(), QString(), QString(),
                                                   QStringLiteral("9 documents embedded, 1 failed."), QString()};
    QTest::newRow("one document") << QList<QList<int>>{{1, 0, 0}, {0, 1, 0}}
                                  << QStringList{QString(), QStringLiteral("1 document embedded.")};
    QTest::newRow("two batches") << QList<QList<int>>{{2, 0, 0}, {0, 2, 0}, {3, 2, 0}, {0, 2, 3}}
                                 << QStringList{QString(), QStringLiteral("2 documents embedded."), QString(),
                                                QStringLiteral("0 documents embedded, 3 failed.")};
}

void TestMainWindow::batchNotice()
{
    QFETCH(QList<QList<int>>, samples);
    QFETCH(QStringList, notices);
    NotificationPolicy policy;
    for (int i = 0; i < samples.size(); ++i) {
        const auto notice = policy.observeCounts(counts(samples.at(i).at(0), samples.at(i).at(1), samples.at(i).at(2)));
        QCOMPARE(notice ? notice->message : QString(), notices.at(i));
        if (notice)
            QCOMPARE(notice->kind, Notice::Kind::BatchFinished);
    }
}

void TestMainWindow::failuresAreCoalesced()
{
    TrayNotifier notifier(QIcon{});
    notifier.setCoalesceMs(100);
    QSignalSpy noticed(&notifier, &TrayNotifier::noticed);
    // History from before the window's first load is not news.
    notifier.observeEvents({failure(1, QStringLiteral("old.pdf"))});
    notifier.arm();
    notifier.observeEvents({failure(2, QStringLiteral("a.pdf")), failure(3, QStringLiteral("b.docx"))});
    Store::JobEvent retry = failure(4, QStringLiteral("c.md"));
    retry.kind = QString::fromLatin1(Store::EventKind::Retry); // transient: not a permanent failure
    notifier.observeEvents({retry, failure(5, QStringLiteral("d.txt")), failure(6, QStringLiteral("e.txt"))});
    QTRY_VERIFY_WITH_TIMEOUT(!noticed.isEmpty(), 5000);
    QCOMPARE(noticed.count(), 1);
    const auto notice = noticed.at(0).at(0).value<Notice>();
    QCOMPARE(notice.kind, Notice::Kind::JobsFailed);
    QCOMPARE(notice.title, QStringLiteral("Docpipe: 4 jobs failed"));
    QCOMPARE(notice.message, QStringLiteral("a.pdf, b.docx, d.txt and 1 more"));
    QTest::qWait(300); // the coalescing window has passed; nothing else was pending
    QCOMPARE(noticed.count(), 1);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
