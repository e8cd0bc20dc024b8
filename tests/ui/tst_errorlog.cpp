// The error log: CSV/TSV text, the model (dedup, bounded, late arrivals, QAbstractItemModelTester),
// and the dock over a real run with bad files (filters, search, selection, copy, export).
#include "documentgenerator.h"
#include "errorlog/delimitedtext.h"
#include "errorlog/errorlogdock.h"
#include "errorlog/errorlogfilter.h"
#include "errorlog/errorlogmodel.h"
#include "pipelinerun.h"
#include "store/jobqueries.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Ui;
using Store::JobEvent;

namespace {

JobEvent errorEvent(qint64 id, const char *kind, const char *stage, const char *code,
                    const QString &message = QString())
{
    JobEvent e;
    e.id = id;
    e.jobId = 100 + id;
    e.at = 1'700'000'000'000 + id * 1000;
    e.kind = QString::fromLatin1(kind);
    e.fromStage = QString::fromLatin1(stage);
    e.toStage = e.fromStage;
    e.code = QString::fromLatin1(code);
    e.message = message.isEmpty() ? QStringLiteral("problem %1").arg(id) : message;
    e.jobName = QStringLiteral("doc-%1.pdf").arg(id);
    return e;
}

QList<qint64> idsInOrder(const ErrorLogModel &model)
{
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.eventAt(row).id;
    return ids;
}

QStringList column(const QAbstractItemModel &model, int column)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values << model.index(row, column).data().toString();
    return values;
}

} // namespace

class tst_ErrorLog final : public QObject
{
    Q_OBJECT
private slots:
    void delimitedText_data();
    void delimitedText();
    void modelKeepsErrorsOnceInIdOrder();
    void modelIsBounded();
    void filterByStageCodeAndSearch();
    void listsTheFailuresOfARealRun_data() { Test::addBackendRows(); }
    void listsTheFailuresOfARealRun();
    void selectionSurvivesUpdatesAndSelectsTheJob();
    void copyAndExport();
};

void tst_ErrorLog::delimitedText_data()
{
    QTest::addColumn<QList<QStringList>>("rows");
    QTest::addColumn<QChar>("separator");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QList<QStringList>{{QStringLiteral("a"), QStringLiteral("b")},
                                                 {QStringLiteral("1"), QStringLiteral("2")}}
                           << QChar(u',') << QStringLiteral("a,b\r\n1,2\r\n");
    QTest::newRow("comma is quoted") << QList<QStringList>{{QStringLiteral("x, y"), QStringLiteral("z")}} << QChar(u',')
                                     << QStringLiteral("\"x, y\",z\r\n");
    QTest::newRow("quotes are doubled") << QList<QStringList>{{QStringLiteral("say \"hi\"")}} << QChar(u',')
                                        << QStringLiteral("\"say \"\"hi\"\"\"\r\n");
    QTest::newRow("newline is quoted") << QList<QStringList>{{QStringLiteral("line 1\nline 2"), QStringLiteral("b")}}
                                       << QChar(u',') << QStringLiteral("\"line 1\nline 2\",b\r\n");
    QTest::newRow("carriage return is quoted")
        << QList<QStringList>{{QStringLiteral("a\rb")}} << QChar(u',') << QStringLiteral("\"a\rb\"\r\n");
    QTest::newRow("empty fields") << QList<QStringList>{{QString(), QString(), QStringLiteral("c")}} << QChar(u',')
                                  << QStringLiteral(",,c\r\n");
    QTest::newRow("tab separated keeps commas") << QList<QStringList>{{QStringLiteral("x, y"), QStringLiteral("a\tb")}}
                                                << QChar(u'\t') << QStringLiteral("x, y\t\"a\tb\"\r\n");
    QTest::newRow("non-ASCII untouched") << QList<QStringList>{{QStringLiteral("Größe – 東京")}} << QChar(u',')
                                         << QStringLiteral("Größe – 東京\r\n");
    QTest::newRow("no rows") << QList<QStringList>{} << QChar(u',') << QString();
}

void tst_ErrorLog::delimitedText()
{
    QFETCH(QList<QStringList>, rows);
    QFETCH(QChar, separator);
    QFETCH(QString, expected);
    QCOMPARE(Ui::delimitedText(rows, separator), expected);
}

void tst_ErrorLog::modelKeepsErrorsOnceInIdOrder()
{
    ErrorLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy filterValues(&model, &ErrorLogModel::filterValuesChanged);

    JobEvent transition = errorEvent(1, "transition", "parsing", "");
    JobEvent warning = errorEvent(2, "warning", "parsing", "invalid_utf8");
    model.appendEvents({transition, warning, errorEvent(5, "retry", "embedding", "http_503"),
                        errorEvent(4, "failed", "parsing", "corrupt_docx")});
    QCOMPARE(idsInOrder(model), (QList<qint64>{4, 5}));
    QCOMPARE(filterValues.size(), 1);
    QCOMPARE(model.codes(), (QStringList{QStringLiteral("corrupt_docx"), QStringLiteral("http_503")}));
    QCOMPARE(model.stages(), (QStringList{QStringLiteral("parsing"), QStringLiteral("embedding")}));

    // The live tail repeats what the backlog had, and adds newer ones; a late backlog brings older ones.
    model.appendEvents(
        {errorEvent(5, "retry", "embedding", "http_503"), errorEvent(7, "lease_expired", "chunking", "lease_expired")});
    model.appendEvents(
        {errorEvent(3, "failed", "parsing", "empty_file"), errorEvent(4, "failed", "parsing", "corrupt_docx"),
         errorEvent(6, "retry", "embedding", "http_429"), errorEvent(6, "retry", "embedding", "http_429")});
    QCOMPARE(idsInOrder(model), (QList<qint64>{3, 4, 5, 6, 7}));
    QCOMPARE(resets.size(), 0); // rows are inserted, never reset

    QCOMPARE(model.index(0, ErrorLogModel::CodeColumn).data().toString(), QStringLiteral("empty_file"));
    QCOMPARE(model.index(0, ErrorLogModel::DocumentColumn).data().toString(), QStringLiteral("doc-3.pdf"));
    QCOMPARE(model.index(0, ErrorLogModel::JobColumn).data().toString(), QStringLiteral("103"));
    QCOMPARE(model.index(0, ErrorLogModel::StageColumn).data().toString(), QStringLiteral("Parsing"));
    QCOMPARE(model.index(0, ErrorLogModel::OutcomeColumn).data().toString(), QStringLiteral("Failed"));
    QCOMPARE(model.index(3, ErrorLogModel::OutcomeColumn).data().toString(), QStringLiteral("Retrying"));
    QCOMPARE(model.index(4, ErrorLogModel::OutcomeColumn).data().toString(), QStringLiteral("Lease expired"));
    QCOMPARE(model.index(0, 0).data(ErrorLogModel::JobIdRole).toLongLong(), qint64(103));
}

void tst_ErrorLog::modelIsBounded()
{
    ErrorLogModel model(3);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.appendEvents({errorEvent(1, "retry", "parsing", "a"), errorEvent(2, "retry", "parsing", "b")});
    model.appendEvents({errorEvent(3, "retry", "parsing", "c"), errorEvent(4, "failed", "parsing", "d")});
    QCOMPARE(idsInOrder(model), (QList<qint64>{2, 3, 4}));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.codes(),
             (QStringList{QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")})); // "a" went with its row

    model.appendEvents({errorEvent(1, "retry", "parsing", "a")}); // older than everything kept
    QCOMPARE(idsInOrder(model), (QList<qint64>{2, 3, 4}));
    QList<JobEvent> many;
    for (qint64 id = 10; id < 1010; ++id)
        many << errorEvent(id, "retry", "embedding", "http_503");
    model.appendEvents(many);
    QCOMPARE(idsInOrder(model), (QList<qint64>{1007, 1008, 1009}));
    QCOMPARE(model.codes(), QStringList{QStringLiteral("http_503")});
}

void tst_ErrorLog::filterByStageCodeAndSearch()
{
    ErrorLogModel model;
    ErrorLogFilter filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendEvents(
        {errorEvent(1, "failed", "parsing", "corrupt_docx", QStringLiteral("word/document.xml is not valid XML")),
         errorEvent(2, "retry", "embedding", "http_503", QStringLiteral("the service is unavailable (HTTP 503)")),
         errorEvent(3, "retry", "embedding", "http_429", QStringLiteral("rate limited; retry after 2 s")),
         errorEvent(4, "failed", "parsing", "encrypted_pdf", QStringLiteral("the PDF is encrypted"))});
    QCOMPARE(filter.rowCount(), 4);

    filter.setStage(QStringLiteral("embedding"));
    QCOMPARE(column(filter, ErrorLogModel::CodeColumn),
             (QStringList{QStringLiteral("http_503"), QStringLiteral("http_429")}));
    filter.setCode(QStringLiteral("http_429"));
    QCOMPARE(column(filter, ErrorLogModel::JobColumn), QStringList{QStringLiteral("103")});
    filter.setCode(QStringLiteral("corrupt_docx")); // not in this stage
    QCOMPARE(filter.rowCount(), 0);
    filter.setStage(QString());
    QCOMPARE(filter.rowCount(), 1);
    filter.setCode(QString());

    filter.setSearchText(QStringLiteral("  ENCRYPTED ")); // case and surrounding spaces do not matter
    QCOMPARE(column(filter, ErrorLogModel::DocumentColumn), QStringList{QStringLiteral("doc-4.pdf")});
    filter.setSearchText(QStringLiteral("doc-2")); // the document's name
    QCOMPARE(column(filter, ErrorLogModel::JobColumn), QStringList{QStringLiteral("102")});
    filter.setSearchText(QStringLiteral("101")); // the job number
    QCOMPARE(column(filter, ErrorLogModel::CodeColumn), QStringList{QStringLiteral("corrupt_docx")});
    filter.setSearchText(QStringLiteral("no such thing"));
    QCOMPARE(filter.rowCount(), 0);
    filter.setSearchText(QString());

    // Sorted newest first by time, or by any column.
    filter.sort(ErrorLogModel::TimeColumn, Qt::DescendingOrder);
    QCOMPARE(column(filter, ErrorLogModel::JobColumn).first(), QStringLiteral("104"));
    filter.sort(ErrorLogModel::CodeColumn, Qt::AscendingOrder);
    QCOMPARE(column(filter, ErrorLogModel::CodeColumn).first(), QStringLiteral("corrupt_docx"));
    // New rows land in place under the current sort.
    model.appendEvents({errorEvent(5, "failed", "chunking", "aaa_first")});
    QCOMPARE(column(filter, ErrorLogModel::CodeColumn).first(), QStringLiteral("aaa_first"));
}

void tst_ErrorLog::listsTheFailuresOfARealRun()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString dir = fixture.tempPath();
    const QStringList paths{Test::writeMarkdown(dir, QStringLiteral("good.md"), 3).path,
                            Test::writeCorruptDocx(dir, QStringLiteral("corrupt.docx")),
                            Test::writeEncryptedPdf(dir, QStringLiteral("locked.pdf")),
                            Test::writeText(dir, QStringLiteral("fine.txt"), 4).path};
    const QString problem = Test::runPipelineToEnd(fixture.url(), paths);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // As the live feed delivers them: the error backlog, then every event of the last minutes.
    const Store::Database db = fixture.database();
    ErrorLogDock dock;
    QAbstractItemModelTester modelTester(dock.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester filterTester(dock.filter(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    dock.appendEvents(Store::listEvents(db, {.errorsOnly = true, .limit = 5000}).value());
    dock.appendEvents(Store::listEvents(db).value());
    dock.show();

    QCOMPARE(dock.model()->rowCount(), 2);
    QCOMPARE(dock.model()->codes(), (QStringList{QStringLiteral("corrupt_docx"), QStringLiteral("encrypted_pdf")}));
    const QStringList documents = column(*dock.filter(), ErrorLogModel::DocumentColumn);
    QCOMPARE(QSet<QString>(documents.begin(), documents.end()),
             (QSet<QString>{QStringLiteral("corrupt.docx"), QStringLiteral("locked.pdf")}));
    for (int row = 0; row < 2; ++row) {
        QCOMPARE(dock.model()->index(row, ErrorLogModel::StageColumn).data().toString(), QStringLiteral("Parsing"));
        QCOMPARE(dock.model()->index(row, ErrorLogModel::OutcomeColumn).data().toString(), QStringLiteral("Failed"));
        QVERIFY(!dock.model()->index(row, ErrorLogModel::MessageColumn).data().toString().isEmpty());
    }

    // The filter choices are what the log holds; choosing one filters the rows.
    QComboBox *codes = dock.codeFilter();
    QCOMPARE(codes->count(), 3); // all codes, and the two
    codes->setCurrentIndex(codes->findData(QStringLiteral("encrypted_pdf")));
    QCOMPARE(column(*dock.filter(), ErrorLogModel::DocumentColumn), QStringList{QStringLiteral("locked.pdf")});
    codes->setCurrentIndex(0);
    QComboBox *stages = dock.stageFilter();
    QCOMPARE(stages->count(), 2); // all stages, and parsing
    stages->setCurrentIndex(stages->findData(QStringLiteral("parsing")));
    QCOMPARE(dock.filter()->rowCount(), 2);
    QTest::keyClicks(dock.searchField(), QStringLiteral("corrupt"));
    QCOMPARE(column(*dock.filter(), ErrorLogModel::CodeColumn), QStringList{QStringLiteral("corrupt_docx")});
}

void tst_ErrorLog::selectionSurvivesUpdatesAndSelectsTheJob()
{
    ErrorLogDock dock;
    dock.resize(900, 300);
    dock.show();
    QSignalSpy activated(&dock, &ErrorLogDock::jobActivated);
    QList<JobEvent> first;
    for (qint64 id = 1; id <= 50; ++id)
        first << errorEvent(id, "retry", "embedding", "http_503");
    dock.appendEvents(first);
    QCOMPARE(activated.size(), 0);

    // Newest first: job 120 (event 20) sits at row 30. Selecting it selects its job.
    QTableView *view = dock.view();
    const QModelIndex row30 = dock.filter()->index(30, ErrorLogModel::MessageColumn);
    QCOMPARE(row30.data(ErrorLogModel::JobIdRole).toLongLong(), qint64(120));
    view->scrollTo(row30);
    view->selectionModel()->setCurrentIndex(row30, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.last().first().toLongLong(), qint64(120));
    QVERIFY(view->verticalScrollBar()->value() > 0);
    const auto topJob = [view] { return view->indexAt(QPoint(0, 0)).data(ErrorLogModel::JobIdRole).toLongLong(); };
    const qint64 topBefore = topJob();

    // More errors arrive above it (newer): the same job stays selected, no new activation,
    // and the view still shows it.
    QList<JobEvent> more;
    for (qint64 id = 51; id <= 60; ++id)
        more << errorEvent(id, "failed", "parsing", "corrupt_docx");
    dock.appendEvents(more);
    QCOMPARE(activated.size(), 1);
    const QModelIndexList selected = view->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().data(ErrorLogModel::JobIdRole).toLongLong(), qint64(120));
    QCOMPARE(topJob(), topBefore); // the reader's rows did not move under them

    // A reader at the top sees the newest as they come.
    view->scrollToTop();
    dock.appendEvents({errorEvent(61, "failed", "parsing", "empty_file")});
    QCOMPARE(topJob(), qint64(161));
    QCOMPARE(activated.size(), 1);

    // Filtering the selected row away (or trimming it) moves the current row, but that is not
    // the person choosing another job.
    dock.searchField()->setText(QStringLiteral("corrupt_docx"));
    QCOMPARE(dock.filter()->rowCount(), 10);
    QCOMPARE(activated.size(), 1);
    dock.searchField()->clear();
    view->selectionModel()->setCurrentIndex(dock.filter()->index(30, 0),
                                            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(activated.size(), 2);
    QCOMPARE(activated.last().first().toLongLong(), qint64(131));

    // Keyboard: moving down selects the next job.
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Down);
    QCOMPARE(activated.size(), 3);
    QCOMPARE(activated.last().first().toLongLong(), qint64(130));
}

void tst_ErrorLog::copyAndExport()
{
    ErrorLogDock dock;
    dock.appendEvents(
        {errorEvent(1, "failed", "parsing", "corrupt_docx", QStringLiteral("bad XML, line 3:\n\"unexpected <\"")),
         errorEvent(2, "retry", "embedding", "http_503", QStringLiteral("unavailable"))});
    dock.show();
    QTableView *view = dock.view();
    view->selectAll();
    const QStringList lines = dock.selectedText().split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3); // header and two rows, newest first
    QVERIFY(lines.at(0).startsWith(QStringLiteral("Time\tJob\tDocument\tStage\tOutcome\tCode\tMessage")));
    QVERIFY(lines.at(1).contains(QStringLiteral("\thttp_503\tunavailable")));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("errors.csv"));
    dock.searchField()->setText(QStringLiteral("xml")); // export writes what is shown
    QString error;
    QVERIFY2(dock.exportCsv(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString csv = QString::fromUtf8(file.readAll());
    QVERIFY(csv.startsWith(QStringLiteral("Time,Job,Document,Stage,Outcome,Code,Message\r\n")));
    QVERIFY(csv.endsWith(
        QStringLiteral(",101,doc-1.pdf,Parsing,Failed,corrupt_docx,\"bad XML, line 3:\n\"\"unexpected <\"\"\"\r\n")));
    QCOMPARE(csv.count(QStringLiteral("\r\n")), 2);
    QVERIFY(!dock.exportCsv(dir.filePath(QStringLiteral("missing/folder/errors.csv")), &error));
    QVERIFY(!error.isEmpty());
}

QTEST_MAIN(tst_ErrorLog)
#include "tst_errorlog.moc"
