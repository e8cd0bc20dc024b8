// The window's job actions change the database exactly as the CLI's commands do: the same jobs
// on twin databases, one driven through the window (selection + menu action + confirmation),
// the other through the real docpipe-cli, must end in the same states with the same events.
#include "clirunner.h"
#include "documentgenerator.h"
#include "i18n.h"
#include "jobs/jobsview.h"
#include "mainwindow.h"
#include "statusbar/statusindicators.h"
#include "store/jobcontrol.h"
#include "store/jobqueries.h"
#include "store/workerregistry.h"
#include "testdatabase.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Ui;

namespace {

// What an operator action may change, with the actor's name taken out (the CLI says cli@host,
// the window window@host).
QStringList jobStates(const Store::Database &db)
{
    QStringList lines;
    const auto jobs = Store::listJobs(db);
    if (!jobs)
        qFatal("listJobs: %s", qPrintable(jobs.error().message));
    for (const Store::JobRecord &job : jobs.value()) {
        lines << QStringLiteral("#%1 %2 %3 attempts=%4 pages=%5 chunks=%6 error=%7 %8")
                     .arg(job.id)
                     .arg(stageName(job.stage), statusName(job.status))
                     .arg(job.attempts)
                     .arg(job.pages)
                     .arg(job.chunks)
                     .arg(job.errorCode,
                          QString(job.errorMessage)
                              .replace(QRegularExpression(QStringLiteral("(cli|window)@\\S+")),
                                       QStringLiteral("ACTOR")));
    }
    return lines;
}

QStringList eventsAfter(const Store::Database &db, qint64 afterId)
{
    QStringList lines;
    const auto events = Store::listEvents(db, {.afterId = afterId});
    if (!events)
        qFatal("listEvents: %s", qPrintable(events.error().message));
    for (const Store::JobEvent &e : events.value()) {
        lines << QStringLiteral("#%1 %2 %3->%4 %5 %6")
                     .arg(e.jobId)
                     .arg(e.kind, e.fromStage, e.toStage, e.code,
                          QString(e.message).replace(QRegularExpression(QStringLiteral("(cli|window)@\\S+")),
                                                     QStringLiteral("ACTOR")));
    }
    return lines;
}

qint64 lastEventId(const Store::Database &db)
{
    const auto events = Store::listEvents(db, {.limit = 1});
    return events && !events.value().isEmpty() ? events.value().last().id : 0;
}

int chunkCount(const Store::Database &db, qint64 jobId)
{
    auto visited = Store::forEachChunk(db, jobId, [](const Store::StoredChunk &) { return true; });
    return visited ? visited.value() : -1;
}

Test::CliResult cli(const QString &url, const QStringList &arguments)
{
    return Test::runCli(QStringList{QStringLiteral("--db"), url} + arguments);
}

void selectJobs(MainWindow &window, const QList<qint64> &jobIds)
{
    JobsView *view = window.jobsView();
    view->table()->clearSelection();
    for (const qint64 id : jobIds) {
        const QModelIndex source = view->model()->index(view->model()->rowOfJob(id), 0);
        view->table()->selectionModel()->select(view->proxy()->mapFromSource(source),
                                                QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
}

QAction *action(MainWindow &window, const char *name)
{
    auto *found = window.findChild<QAction *>(QLatin1String(name));
    if (!found)
        qFatal("no action %s", name);
    return found;
}

// The window-modal confirmation the action opened, once it is up.
QMessageBox *confirmation(MainWindow &window, const char *name)
{
    QMessageBox *box = nullptr;
    const bool shown = QTest::qWaitFor(
        [&] {
            box = window.findChild<QMessageBox *>(QLatin1String(name));
            return box && box->isVisible();
        },
        10000);
    return shown ? box : nullptr;
}

} // namespace

class TestMainWindowActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { installTranslations(QStringLiteral("en")); } // English plural forms
    void actionsMatchTheCli_data() { Test::addBackendRows(); }
    void actionsMatchTheCli();
};

void TestMainWindowActions::actionsMatchTheCli()
{
    QFETCH(QString, backend);
    Test::TestDatabase windowDb(backend);
    Test::TestDatabase cliDb(backend);
    if (!windowDb.isReady() || !cliDb.isReady()) {
        if (Test::TestDatabase::postgresRequired())
            QFAIL(qPrintable(windowDb.skipReason()));
        QSKIP(qPrintable(windowDb.skipReason()));
    }
    const QString docs = windowDb.tempPath() + QStringLiteral("/docs");
    QVERIFY(QDir().mkpath(docs));
    QStringList runFiles{Test::writeText(docs, QStringLiteral("a.txt"), 1).path,
                         Test::writeMarkdown(docs, QStringLiteral("b.md"), 2).path,
                         Test::writeCorruptDocx(docs, QStringLiteral("broken.docx")),
                         Test::writeEncryptedPdf(docs, QStringLiteral("locked.pdf")),
                         Test::writeEmptyFile(docs, QStringLiteral("empty.txt"))};
    QStringList waitingFiles{Test::writeHtml(docs, QStringLiteral("c.html"), 3).path,
                             Test::writeText(docs, QStringLiteral("d.txt"), 4).path};
    for (const QString &file : runFiles + waitingFiles)
        QVERIFY(QFileInfo::exists(file));
    // The same history on both databases: 2 embedded, 3 failed, then 2 waiting at `uploaded`.
    for (const QString &url : {windowDb.url(), cliDb.url()}) {
        const auto ran = cli(url, QStringList{QStringLiteral("ingest"), QStringLiteral("--wait")} + runFiles);
        QVERIFY2(ran.finished && ran.exitCode != 2, qPrintable(ran.describe()));
        const auto queued = cli(url, QStringList{QStringLiteral("ingest")} + waitingFiles);
        QVERIFY2(queued.exitCode == 0, qPrintable(queued.describe()));
    }
    const Store::Database a = windowDb.database();
    const Store::Database b = cliDb.database();
    QCOMPARE(jobStates(a), jobStates(b));
    const QList<qint64> failed = Store::failedJobIds(a).value();
    QCOMPARE(failed, (QList<qint64>{3, 4, 5}));

    Config config;
    config.databaseUrl = windowDb.url();
    MainWindow window(
        {config, windowDb.tempPath() + QStringLiteral("/w.ini"), nullptr}); // no engine: nothing moves on its own
    window.show();
    QAbstractItemModelTester proxyTester(window.jobsView()->proxy(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE_WITH_TIMEOUT(window.jobsView()->model()->rowCount(), 7, 10000);
    QSignalSpy messages(window.statusBar(), &QStatusBar::messageChanged);
    const auto waitForMessage = [&](const QString &start) {
        return QTest::qWaitFor(
            [&] {
                return std::any_of(messages.cbegin(), messages.cend(),
                                   [&](const QList<QVariant> &m) { return m.at(0).toString().startsWith(start); });
            },
            15000);
    };
    const auto compareWithCli = [&](qint64 fromA, qint64 fromB) {
        QCOMPARE(jobStates(a), jobStates(b));
        QCOMPARE(eventsAfter(a, fromA), eventsAfter(b, fromB));
        QVERIFY(!eventsAfter(a, fromA).isEmpty());
    };

    // Retry selected: one failed job and one that is done (which stays done), as `retry 3 1`.
    qint64 fromA = lastEventId(a), fromB = lastEventId(b);
    selectJobs(window, {3, 1});
    QVERIFY(action(window, "actionRetry")->isEnabled());
    action(window, "actionRetry")->trigger();
    QVERIFY(waitForMessage(QStringLiteral("Retrying 1 job")));
    cli(cliDb.url(),
        {QStringLiteral("retry"), QStringLiteral("3"), QStringLiteral("1")}); // exits 1: job 1 was not failed
    compareWithCli(fromA, fromB);

    // Cancel selected, as `cancel 6 7`.
    fromA = lastEventId(a), fromB = lastEventId(b);
    selectJobs(window, {6, 7});
    QTRY_VERIFY(action(window, "actionCancel")->isEnabled());
    action(window, "actionCancel")->trigger();
    QVERIFY(waitForMessage(QStringLiteral("Cancelled 2 jobs")));
    QCOMPARE(cli(cliDb.url(), {QStringLiteral("cancel"), QStringLiteral("6"), QStringLiteral("7")}).exitCode, 0);
    compareWithCli(fromA, fromB);

    // Retry all failed: the confirmation names the count; yes, as `retry --failed`.
    fromA = lastEventId(a), fromB = lastEventId(b);
    action(window, "actionRetryAllFailed")->trigger();
    QMessageBox *box = confirmation(window, "confirmRetryAllFailed");
    QVERIFY(box);
    QVERIFY2(box->text().contains(QStringLiteral("all 2 failed jobs")), qPrintable(box->text()));
    QCOMPARE(Store::failedJobIds(a).value().size(), 2); // nothing happens before the answer
    box->button(QMessageBox::Yes)->click();
    QVERIFY(waitForMessage(QStringLiteral("Retrying 2 jobs")));
    QCOMPARE(cli(cliDb.url(), {QStringLiteral("retry"), QStringLiteral("--failed")}).exitCode, 0);
    compareWithCli(fromA, fromB);

    // Re-run an embedded job from the start, as `retry --from-start 2`: its chunks are dropped.
    fromA = lastEventId(a), fromB = lastEventId(b);
    QVERIFY(chunkCount(a, 2) > 0);
    selectJobs(window, {2});
    action(window, "actionRerun")->trigger();
    box = confirmation(window, "confirmRerun");
    QVERIFY(box);
    box->button(QMessageBox::Yes)->click();
    QVERIFY(waitForMessage(QStringLiteral("Re-running 1 job")));
    QCOMPARE(cli(cliDb.url(), {QStringLiteral("retry"), QStringLiteral("--from-start"), QStringLiteral("2")}).exitCode,
             0);
    compareWithCli(fromA, fromB);
    QCOMPARE(chunkCount(a, 2), 0);
    QCOMPARE(chunkCount(b, 2), 0);

    // Cancelling the confirmation does nothing.
    fromA = lastEventId(a);
    selectJobs(window, {1});
    action(window, "actionRerun")->trigger();
    box = confirmation(window, "confirmRerun");
    QVERIFY(box);
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!window.findChild<QMessageBox *>(QStringLiteral("confirmRerun")));
    QCOMPARE(eventsAfter(a, fromA), QStringList());

    // Pause and resume are the engine-wide flag every worker reads, as `pause` / `resume`.
    QAction *pause = action(window, "actionPause");
    pause->trigger();
    QVERIFY(waitForMessage(QStringLiteral("Paused")));
    QCOMPARE(cli(cliDb.url(), {QStringLiteral("pause")}).exitCode, 0);
    QCOMPARE(Store::isPaused(a).value(), true);
    QCOMPARE(Store::isPaused(b).value(), true);
    QTRY_VERIFY(pause->isChecked());
    QTRY_COMPARE(window.indicators()->engineText(), QStringLiteral("Engine: paused"));
    pause->trigger();
    QVERIFY(waitForMessage(QStringLiteral("Resumed")));
    QCOMPARE(Store::isPaused(a).value(), false);
    QTRY_VERIFY(!pause->isChecked());

    // A pause set elsewhere (the CLI, another machine) shows in the window too.
    QCOMPARE(cli(windowDb.url(), {QStringLiteral("pause")}).exitCode, 0);
    QTRY_VERIFY_WITH_TIMEOUT(pause->isChecked(), 10000);
    QCOMPARE(window.indicators()->engineText(), QStringLiteral("Engine: paused"));
    a.closeThreadConnection();
    b.closeThreadConnection();
}

QTEST_MAIN(TestMainWindowActions)
#include "tst_mainwindow_actions.moc"
