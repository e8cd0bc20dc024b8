// The jobs table: live updates touch only the rows and columns that changed, so selection, sort
// and scroll survive them; the proxy's stage / outcome filters and name search; progress cells.
#include "jobformat.h"
#include "jobs/jobfilterproxy.h"
#include "jobs/jobsview.h"
#include "jobs/jobtablemodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Ui;

namespace {

Store::JobRecord job(qint64 id, const QString &name, Stage stage = Stage::Uploaded,
                     JobStatus status = JobStatus::Queued)
{
    Store::JobRecord j;
    j.id = id;
    j.name = name;
    j.sourcePath = QStringLiteral("/docs/") + name;
    j.stage = stage;
    j.status = status;
    j.createdAt = 1000 * id;
    j.updatedAt = 1000 * id + 500;
    return j;
}

// A mixed table: names cycle through a few words so sorting by name scatters the ids.
QList<Store::JobRecord> manyJobs(int count, qint64 firstId = 1)
{
    static const QStringList words{QStringLiteral("report"), QStringLiteral("Invoice"), QStringLiteral("memo"),
                                   QStringLiteral("contract"), QStringLiteral("Budget")};
    QList<Store::JobRecord> jobs;
    for (qint64 id = firstId; id < firstId + count; ++id)
        jobs << job(id,
                    QStringLiteral("%1-%2.pdf")
                        .arg(words.at(id % words.size()))
                        .arg(id * 7919 % 1000, 3, 10, QLatin1Char('0')));
    return jobs;
}

QList<qint64> idsOf(const QList<JobRow> &rows)
{
    QList<qint64> ids;
    for (const JobRow &row : rows)
        ids << row.id;
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace

class TestJobTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appliesChangedRowsOnly();
    void sameJobTwiceInOneBatch();
    void updateKeepsSelectionSortAndScroll();
    void resortKeepsSelection();
    void filters_data();
    void filters();
    void progressCellsOnly();
    void elapsedTicksForRowsOnScreen();
    void selectJobClearsHidingFilters();
    void filterWidgetsDriveTheProxy();
    void copiesSelectedRowsAsText();
    void stageCellsArePaintedAsBadges();
    void versionsShowInTheDocumentColumn();
};

void TestJobTableModel::appliesChangedRowsOnly()
{
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyJobs(manyJobs(10));
    QCOMPARE(model.rowCount(), 10);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);

    auto jobs = manyJobs(10);
    jobs[4].stage = Stage::Parsing; // job 5 moves: stage, progress, elapsed cells
    jobs[4].status = JobStatus::Running;
    jobs[7].errorCode = QStringLiteral("http_503"); // job 8: only its error cell
    jobs[7].errorMessage = QStringLiteral("the service is unavailable");
    jobs << job(11, QStringLiteral("new.md"));
    model.applyJobs(jobs);

    QCOMPARE(reset.count(), 0);
    QCOMPARE(layout.count(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 10);
    QCOMPARE(inserted.at(0).at(2).toInt(), 10);
    QCOMPARE(changed.count(), 2);
    QList<std::pair<int, std::pair<int, int>>> spans;
    for (const auto &signal : changed) {
        const auto topLeft = signal.at(0).value<QModelIndex>();
        const auto bottomRight = signal.at(1).value<QModelIndex>();
        QCOMPARE(topLeft.row(), bottomRight.row());
        spans.append({topLeft.row(), {topLeft.column(), bottomRight.column()}});
    }
    std::sort(spans.begin(), spans.end());
    QCOMPARE(spans.at(0),
             std::make_pair(4, std::make_pair(int(JobTableModel::StageColumn), int(JobTableModel::ElapsedColumn))));
    QCOMPARE(spans.at(1),
             std::make_pair(7, std::make_pair(int(JobTableModel::ErrorColumn), int(JobTableModel::ErrorColumn))));
    QCOMPARE(model.index(4, JobTableModel::StageColumn).data().toString(), QStringLiteral("Parsing"));
    QCOMPARE(model.index(7, JobTableModel::ErrorColumn).data().toString(),
             QStringLiteral("http_503: the service is unavailable"));
    QCOMPARE(model.index(10, JobTableModel::NameColumn).data().toString(), QStringLiteral("new.md"));

    // The same rows again: nothing to tell anyone.
    changed.clear();
    model.applyJobs(jobs);
    QCOMPARE(changed.count(), 0);
}

void TestJobTableModel::sameJobTwiceInOneBatch()
{
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyJobs({job(3, QStringLiteral("a.txt")), job(2, QStringLiteral("b.txt")),
                     job(3, QStringLiteral("a.txt"), Stage::Parsing, JobStatus::Running)});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.jobAt(0).id, 2); // new rows arrive in id order
    QCOMPARE(model.jobAt(1).status, JobStatus::Running);
    QCOMPARE(model.rowOfJob(3), 1);
}

void TestJobTableModel::updateKeepsSelectionSortAndScroll()
{
    JobsView view;
    QAbstractItemModelTester modelTester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(view.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.resize(900, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTableView *table = view.table();
    table->sortByColumn(JobTableModel::NameColumn, Qt::AscendingOrder);
    view.model()->applyJobs(manyJobs(2000));
    QCOMPARE(view.proxy()->rowCount(), 2000);

    // Select three rows in the middle of the sorted table and scroll there.
    QTRY_VERIFY(table->verticalScrollBar()->maximum() > 0); // the view lays itself out
    const int scrollTo = table->verticalScrollBar()->maximum() / 2;
    table->verticalScrollBar()->setValue(scrollTo);
    const int top = table->rowAt(0);
    QVERIFY(top > 0);
    table->selectionModel()->select(view.proxy()->index(top + 1, 0),
                                    QItemSelectionModel::Select | QItemSelectionModel::Rows);
    table->selectionModel()->select(view.proxy()->index(top + 3, 0),
                                    QItemSelectionModel::Select | QItemSelectionModel::Rows);
    table->selectionModel()->setCurrentIndex(view.proxy()->index(top + 5, 0),
                                             QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QList<qint64> selectedBefore = view.selectedJobIds();
    QCOMPARE(selectedBefore.size(), 3);
    const qint64 currentBefore = table->currentIndex().data(JobTableModel::JobIdRole).toLongLong();

    // A poll's worth of changes: 300 jobs move on (selected ones among them), 20 new ones arrive.
    auto jobs = manyJobs(2000);
    QList<Store::JobRecord> update;
    for (int i = 0; i < 2000; i += 7) {
        Store::JobRecord changed = jobs.at(i);
        changed.stage = Stage::Embedded;
        changed.status = JobStatus::Done;
        changed.pages = 3;
        update << changed;
    }
    for (const qint64 id : selectedBefore) {
        Store::JobRecord changed = jobs.at(id - 1);
        changed.status = JobStatus::Failed;
        changed.errorCode = QStringLiteral("corrupt_pdf");
        update << changed;
    }
    update += manyJobs(20, 5000);
    QSignalSpy reset(view.proxy(), &QAbstractItemModel::modelReset);
    view.model()->applyJobs(update);

    QCOMPARE(reset.count(), 0);
    QCOMPARE(view.proxy()->rowCount(), 2020);
    QCOMPARE(view.selectedJobIds(), selectedBefore);
    QCOMPARE(table->currentIndex().data(JobTableModel::JobIdRole).toLongLong(), currentBefore);
    QCOMPARE(table->verticalScrollBar()->value(), scrollTo);
    // The name sort still holds, and the new rows took their sorted places.
    for (int row = 1; row < view.proxy()->rowCount(); ++row) {
        const QString a = view.proxy()->index(row - 1, JobTableModel::NameColumn).data().toString();
        const QString b = view.proxy()->index(row, JobTableModel::NameColumn).data().toString();
        QVERIFY2(a.compare(b, Qt::CaseInsensitive) <= 0, qPrintable(a + QStringLiteral(" > ") + b));
    }
    QCOMPARE(idsOf(view.selectedJobs()), selectedBefore);
}

void TestJobTableModel::resortKeepsSelection()
{
    JobsView view;
    QAbstractItemModelTester proxyTester(view.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.table()->sortByColumn(JobTableModel::StageColumn, Qt::AscendingOrder);
    view.model()->applyJobs(manyJobs(50));
    QVERIFY(view.selectJob(17));
    // Job 17 moves to the end of the pipeline: its row moves under the stage sort, still selected.
    auto moved = manyJobs(50).at(16);
    moved.stage = Stage::Embedded;
    moved.status = JobStatus::Done;
    view.model()->applyJobs({moved});
    QCOMPARE(view.selectedJobIds(), QList<qint64>{17});
    QCOMPARE(view.proxy()->index(49, 0).data(JobTableModel::JobIdRole).toLongLong(), 17);
    QCOMPARE(view.currentJobId(), 17);
}

void TestJobTableModel::filters_data()
{
    QTest::addColumn<int>("stage"); // -1: any
    QTest::addColumn<int>("outcome");
    QTest::addColumn<QString>("search");
    QTest::addColumn<QList<qint64>>("expected");

    QTest::newRow("everything") << -1 << int(Outcome::Any) << QString() << QList<qint64>{1, 2, 3, 4, 5, 6};
    QTest::newRow("stage parsing") << int(Stage::Parsing) << int(Outcome::Any) << QString() << QList<qint64>{2, 4};
    QTest::newRow("failed") << -1 << int(Outcome::Failed) << QString() << QList<qint64>{4};
    QTest::newRow("in progress") << -1 << int(Outcome::InProgress) << QString() << QList<qint64>{1, 2, 3};
    QTest::newRow("done") << -1 << int(Outcome::Done) << QString() << QList<qint64>{5};
    QTest::newRow("cancelled") << -1 << int(Outcome::Cancelled) << QString() << QList<qint64>{6};
    QTest::newRow("search, any case") << -1 << int(Outcome::Any) << QStringLiteral("REPORT") << QList<qint64>{1, 4, 6};
    QTest::newRow("search and stage") << int(Stage::Parsing) << int(Outcome::Any) << QStringLiteral("report")
                                      << QList<qint64>{4};
    QTest::newRow("search, no match") << -1 << int(Outcome::Any) << QStringLiteral("zzz") << QList<qint64>{};
    QTest::newRow("search trims spaces") << -1 << int(Outcome::Any) << QStringLiteral("  notes ") << QList<qint64>{2};
}

void TestJobTableModel::filters()
{
    QFETCH(int, stage);
    QFETCH(int, outcome);
    QFETCH(QString, search);
    QFETCH(QList<qint64>, expected);

    JobTableModel model;
    JobFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyJobs({job(1, QStringLiteral("Annual report.pdf")),
                     job(2, QStringLiteral("notes.md"), Stage::Parsing, JobStatus::Running),
                     job(3, QStringLiteral("memo.txt"), Stage::ChunksBuffered),
                     job(4, QStringLiteral("report-2.docx"), Stage::Parsing, JobStatus::Failed),
                     job(5, QStringLiteral("slides.html"), Stage::Embedded, JobStatus::Done),
                     job(6, QStringLiteral("old report.pdf"), Stage::Uploaded, JobStatus::Cancelled)});
    proxy.setStageFilter(stage < 0 ? std::nullopt : std::optional<Stage>(Stage(stage)));
    proxy.setOutcomeFilter(Outcome(outcome));
    proxy.setSearchText(search);
    proxy.sort(JobTableModel::IdColumn);
    QList<qint64> shown;
    for (int row = 0; row < proxy.rowCount(); ++row)
        shown << proxy.index(row, 0).data(JobTableModel::JobIdRole).toLongLong();
    QCOMPARE(shown, expected);

    // A job that changes so that it no longer matches leaves the filtered view, and comes back.
    if (!expected.isEmpty() && outcome == int(Outcome::Failed)) {
        model.applyJobs({job(4, QStringLiteral("report-2.docx"), Stage::Uploaded, JobStatus::Queued)});
        QCOMPARE(proxy.rowCount(), 0);
        model.applyJobs({job(4, QStringLiteral("report-2.docx"), Stage::Parsing, JobStatus::Failed)});
        QCOMPARE(proxy.rowCount(), 1);
    }
}

void TestJobTableModel::progressCellsOnly()
{
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyJobs({job(1, QStringLiteral("a.pdf"), Stage::Parsing, JobStatus::Running),
                     job(2, QStringLiteral("b.pdf"), Stage::Embedding, JobStatus::Running),
                     job(3, QStringLiteral("c.pdf"))});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setProgress({{1, Stage::Parsing, 3, 12}, {2, Stage::Embedding, 0, 0}});
    QCOMPARE(changed.count(), 1); // rows 0 and 1 are neighbours: one signal
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().column(), int(JobTableModel::ProgressColumn));
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().column(), int(JobTableModel::ProgressColumn));
    QCOMPARE(model.index(0, JobTableModel::ProgressColumn).data(JobTableModel::ProgressRole).toDouble(), 0.25);
    QCOMPARE(model.index(0, JobTableModel::ProgressColumn).data().toString(), QStringLiteral("25 %"));
    QCOMPARE(model.index(1, JobTableModel::ProgressColumn).data(JobTableModel::ProgressRole).toDouble(), -1.0);
    QVERIFY(!model.index(2, JobTableModel::ProgressColumn).data(JobTableModel::ProgressRole).isValid());

    // The same sample again changes nothing; a finished job's progress goes away.
    changed.clear();
    model.setProgress({{1, Stage::Parsing, 3, 12}, {2, Stage::Embedding, 0, 0}});
    QCOMPARE(changed.count(), 0);
    model.setProgress({{2, Stage::Embedding, 5, 10}});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.progressOf(1), -1.0);
    QCOMPARE(model.progressOf(2), 0.5);
}

void TestJobTableModel::elapsedTicksForRowsOnScreen()
{
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyJobs({job(1, QStringLiteral("a.pdf"), Stage::Embedded, JobStatus::Done), job(2, QStringLiteral("b.pdf")),
                     job(3, QStringLiteral("c.pdf"), Stage::Parsing, JobStatus::Running),
                     job(4, QStringLiteral("d.pdf"))});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setNow(2000 + 75000, {0, 1, 2}); // rows 0..2 on screen; row 3 is not
    QCOMPARE(changed.count(), 1); // rows 1 and 2 are unfinished neighbours
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 2);
    QCOMPARE(model.index(1, JobTableModel::ElapsedColumn).data().toString(), QStringLiteral("1 min 15 s"));
    QCOMPARE(model.index(0, JobTableModel::ElapsedColumn).data().toString(), QStringLiteral("500 ms")); // done: fixed
}

void TestJobTableModel::selectJobClearsHidingFilters()
{
    JobsView view;
    view.model()->applyJobs(manyJobs(30));
    view.searchField()->setText(QStringLiteral("memo"));
    view.proxy()->setSearchText(QStringLiteral("memo"));
    const int sourceRow = view.model()->rowOfJob(1);
    QVERIFY(!view.model()->jobAt(sourceRow).name.contains(QStringLiteral("memo")));
    QVERIFY(view.selectJob(1));
    QVERIFY(view.searchField()->text().isEmpty());
    QCOMPARE(view.proxy()->rowCount(), 30);
    QCOMPARE(view.selectedJobIds(), QList<qint64>{1});
    QVERIFY(!view.selectJob(999));
}

void TestJobTableModel::filterWidgetsDriveTheProxy()
{
    JobsView view;
    view.model()->applyJobs(
        {job(1, QStringLiteral("a.pdf")), job(2, QStringLiteral("b.pdf"), Stage::Parsing, JobStatus::Failed)});
    view.outcomeFilter()->setCurrentIndex(view.outcomeFilter()->findData(int(Outcome::Failed)));
    QCOMPARE(view.proxy()->rowCount(), 1);
    view.stageFilter()->setCurrentIndex(view.stageFilter()->findData(int(Stage::Uploaded)));
    QCOMPARE(view.proxy()->rowCount(), 0);
    view.stageFilter()->setCurrentIndex(0);
    view.outcomeFilter()->setCurrentIndex(0);
    QTest::keyClicks(view.searchField(), QStringLiteral("B.P"));
    QTRY_COMPARE(view.proxy()->rowCount(), 1); // the search waits for typing to pause
}

void TestJobTableModel::copiesSelectedRowsAsText()
{
    JobsView view;
    Store::JobRecord failed = job(2, QStringLiteral("b.pdf"), Stage::Parsing, JobStatus::Failed);
    failed.errorCode = QStringLiteral("corrupt_pdf");
    failed.errorMessage = QStringLiteral("the PDF is damaged\nand cannot be opened");
    view.model()->applyJobs({job(1, QStringLiteral("a.pdf")), failed, job(3, QStringLiteral("c.pdf"))});
    view.table()->setColumnHidden(JobTableModel::TypeColumn, true);
    view.table()->selectionModel()->select(view.proxy()->index(2, 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
    view.table()->selectionModel()->select(view.proxy()->index(1, 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QStringList lines = view.selectedRowsAsText().split(u'\n');
    QCOMPARE(lines.size(), 2); // one line per row, in table order, error on one line
    QCOMPARE(lines.at(0).split(u'\t'),
             (QStringList{QStringLiteral("2"), QStringLiteral("b.pdf"), QString(), QStringLiteral("Failed"),
                          QStringLiteral("0"), lines.at(0).split(u'\t').value(5),
                          QStringLiteral("corrupt_pdf: the PDF is damaged and cannot be opened")}));
    QVERIFY(lines.at(1).startsWith(QStringLiteral("3\tc.pdf\t")));
}

void TestJobTableModel::stageCellsArePaintedAsBadges()
{
    JobsView view;
    view.resize(900, 300);
    view.model()->applyJobs({job(1, QStringLiteral("a.pdf"), Stage::Embedded, JobStatus::Done),
                             job(2, QStringLiteral("b.pdf"), Stage::Parsing, JobStatus::Failed),
                             job(3, QStringLiteral("c.pdf"), Stage::Embedding, JobStatus::Running)});
    view.model()->setProgress({{3, Stage::Embedding, 1, 2}});
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage image = view.table()->viewport()->grab().toImage();
    const auto cellColor = [&](int row, int column, int dx) {
        const QRect cell = view.table()->visualRect(view.proxy()->index(row, column));
        return image.pixelColor(cell.left() + dx, cell.center().y());
    };
    // Near the badge's left end (inside its rounded body, left of the text).
    QCOMPARE(cellColor(0, JobTableModel::StageColumn, 10), badgeColor(Stage::Embedded, JobStatus::Done));
    QCOMPARE(cellColor(1, JobTableModel::StageColumn, 10), badgeColor(Stage::Parsing, JobStatus::Failed));
    // The running job's progress cell holds a bar; a failed job's is as plain as its row.
    const auto background = [&](int row) {
        const QRect cell = view.table()->visualRect(view.proxy()->index(row, JobTableModel::NameColumn));
        return image.pixelColor(cell.right() - 4, cell.center().y());
    };
    QCOMPARE(cellColor(1, JobTableModel::ProgressColumn, 20), background(1));
    QVERIFY(cellColor(2, JobTableModel::ProgressColumn, 12) != background(2));
}

void TestJobTableModel::versionsShowInTheDocumentColumn()
{
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Store::JobRecord first = job(1, QStringLiteral("memo.txt"), Stage::Embedded, JobStatus::Done);
    first.isCurrent = true;
    Store::JobRecord second = job(2, QStringLiteral("memo.txt"), Stage::Parsing, JobStatus::Running);
    second.version = 2;
    model.applyJobs({first, second});
    QCOMPARE(model.index(0, JobTableModel::NameColumn).data().toString(), QStringLiteral("memo.txt"));
    QCOMPARE(model.index(1, JobTableModel::NameColumn).data().toString(), QStringLiteral("memo.txt (v2)"));
    QVERIFY(model.index(0, JobTableModel::NameColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Version 1, current")));

    // The new version is embedded and takes over: the document cells of both rows change.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    first.isCurrent = false;
    second.stage = Stage::Embedded;
    second.status = JobStatus::Done;
    second.isCurrent = true;
    model.applyJobs({first, second});
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().column(), int(JobTableModel::NameColumn));
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().column(), int(JobTableModel::NameColumn));
    QVERIFY(model.index(0, JobTableModel::NameColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("not current")));
    QVERIFY(model.index(1, JobTableModel::NameColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Version 2, current")));
}

QTEST_MAIN(TestJobTableModel)
#include "tst_jobtablemodel.moc"
