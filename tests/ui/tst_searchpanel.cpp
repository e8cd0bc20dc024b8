// The Search panel over a real run: a phrase typed and Enter lists its document first with score,
// pages and text (QAbstractItemModelTester on the results), labelled as a lexical search for the
// local embedder; choosing a result asks for that job's details at that chunk, and the details
// dialog opens on the chunk; a query vector of another dimension count is refused in the panel.
#include "details/jobdetailsdialog.h"
#include "phrasecorpus.h"
#include "pipelinerun.h"
#include "search/searchpanel.h"
#include "search/searchresultsmodel.h"
#include "stages/embedding/lexicalhashembedder.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Ui;
using namespace Docpipe::Test;
using namespace Qt::Literals::StringLiterals;

class tst_SearchPanel final : public QObject
{
    Q_OBJECT
private slots:
    void searchAndOpenChunk_data() { addBackendRows(); }
    void searchAndOpenChunk();
};

void tst_SearchPanel::searchAndOpenChunk()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString dir = fixture.tempPath() + u"/docs"_s;
    const QList<PhraseDocument> corpus = writePhraseCorpus(dir, 3, 4, 12);
    Config config = fastTestConfig(fixture.url());
    config.chunking.chunkTokens = 64;
    config.chunking.overlapTokens = 8;
    const QString failure = runPipelineToEnd(config, {dir});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));

    Search::SearchService service(fixture.database(), std::make_shared<Stages::LexicalHashEmbedder>());
    SearchPanel panel(&service);
    QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    panel.show();

    panel.queryField()->clear();
    QTest::keyClick(panel.queryField(), Qt::Key_Return);
    QCOMPARE(panel.statusLabel()->text(), u"Type what to search for."_s);

    panel.queryField()->setText(corpus.at(1).phrase);
    QTest::keyClick(panel.queryField(), Qt::Key_Return);
    QTRY_VERIFY(panel.model()->rowCount() > 0);
    QCOMPARE(panel.model()->rowCount(), 10);
    const QModelIndex best = panel.model()->index(0, SearchResultsModel::DocumentColumn);
    QCOMPARE(best.data().toString(), corpus.at(1).name);
    QVERIFY(panel.model()->index(0, SearchResultsModel::TextColumn).data().toString().contains(corpus.at(1).phrase));
    QVERIFY(panel.statusLabel()->text().contains(u"lexical"_s));

    QSignalSpy chosen(&panel, &SearchPanel::chunkActivated);
    const QRect cell = panel.view()->visualRect(panel.model()->index(0, SearchResultsModel::TextColumn));
    QTest::mouseClick(panel.view()->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(chosen.size(), 1);
    const qint64 jobId = chosen.first().at(0).toLongLong();
    const int chunkIndex = chosen.first().at(1).toInt();
    QCOMPARE(jobId, best.data(SearchResultsModel::JobIdRole).toLongLong());
    QCOMPARE(chunkIndex, panel.model()->hits().first().index);
    QVERIFY(chunkIndex > 0); // a chunk past the first: the dialog has to scroll to it

    JobDetailsDialog details(fixture.database());
    QSignalSpy loaded(&details, &JobDetailsDialog::loaded);
    details.showChunk(jobId, chunkIndex);
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(details.tabs()->currentIndex(), int(JobDetailsDialog::ChunksTab));
    auto *chunks = details.findChild<QTableWidget *>(u"chunkTable"_s);
    QVERIFY(chunks);
    const QList<QTableWidgetItem *> selected = chunks->selectedItems();
    QVERIFY(!selected.isEmpty());
    QCOMPARE(chunks->item(selected.first()->row(), 0)->text(), QString::number(chunkIndex));

    // Another dimension count: refused with the reason, the old results cleared.
    service.setEmbedder(std::make_shared<Stages::LexicalHashEmbedder>(64));
    panel.runSearch();
    QTRY_VERIFY(panel.statusLabel()->text().contains(u"cannot be compared"_s));
    QCOMPARE(panel.model()->rowCount(), 0);
}

QTEST_MAIN(tst_SearchPanel)
#include "tst_searchpanel.moc"
