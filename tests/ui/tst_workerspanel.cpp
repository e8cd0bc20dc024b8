// The Workers panel: what the live feed reads about the fleet (jobs held, stages done, lost
// workers) reaches the table; Drain asks only for a running worker.
#include "livefeed.h"
#include "store/jobqueue.h"
#include "store/workerregistry.h"
#include "storefixtures.h"
#include "testdatabase.h"
#include "workers/workersdock.h"
#include "workers/workertablemodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>

using namespace Docpipe;
using namespace Docpipe::Test;

class tst_WorkersPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void feedShowsTheFleet_data() { addBackendRows(); }
    void feedShowsTheFleet();
    void drainOnlyARunningWorker();
};

namespace {

Store::FleetWorker fleetWorker(const QString &id, const QString &state)
{
    Store::FleetWorker row;
    row.worker = {id, QStringLiteral("host-a"), 42, 1000, 2000, state, QStringLiteral("0.1.0")};
    row.state = state;
    return row;
}

} // namespace

void tst_WorkersPanel::feedShowsTheFleet()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const Store::Database db = fixture.database();
    const qint64 now = Store::nowMs();
    QVERIFY(Store::registerWorker(db,
                                  {QStringLiteral("busy@a"), QStringLiteral("host-a"), 11, now, now,
                                   QStringLiteral("running"), QStringLiteral("0.1.0")})
                .ok());
    QVERIFY(Store::registerWorker(db,
                                  {QStringLiteral("silent@b"), QStringLiteral("host-b"), 12, now, now,
                                   QStringLiteral("running"), QStringLiteral("0.0.9")})
                .ok());
    QSqlQuery query(db.sql());
    QVERIFY(
        query.exec(QStringLiteral("UPDATE workers SET heartbeat_at = heartbeat_at - 120000 WHERE id = 'silent@b'")));
    ingest(db, writeFile(fixture.tempPath(), QStringLiteral("a.txt"), "one"));
    ingest(db, writeFile(fixture.tempPath(), QStringLiteral("b.txt"), "two"));
    const Store::JobRecord first = claimOrFail(db, Stage::Parsing, QStringLiteral("busy@a"));
    QVERIFY(Store::completeParsing(db, first, QStringLiteral("busy@a"), twoPages(), 1).value());
    claimOrFail(db, Stage::Parsing, QStringLiteral("busy@a"));

    Ui::WorkersDock dock;
    QAbstractItemModelTester tester(dock.model());
    Ui::LiveFeed feed(db);
    connect(&feed, &Ui::LiveFeed::fleetSeen, &dock, &Ui::WorkersDock::setWorkers);
    feed.start();
    QTRY_COMPARE(dock.model()->rowCount(), 2);
    const Ui::WorkerTableModel &model = *dock.model();
    const auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(cell(0, Ui::WorkerTableModel::WorkerColumn), QStringLiteral("busy@a"));
    QCOMPARE(cell(0, Ui::WorkerTableModel::HostColumn), QStringLiteral("host-a"));
    QCOMPARE(cell(0, Ui::WorkerTableModel::ProcessColumn), QStringLiteral("11"));
    QCOMPARE(cell(0, Ui::WorkerTableModel::VersionColumn), QStringLiteral("0.1.0"));
    QCOMPARE(cell(0, Ui::WorkerTableModel::HeldColumn), QStringLiteral("1"));
    QCOMPARE(cell(0, Ui::WorkerTableModel::DoneColumn), QStringLiteral("1"));
    QCOMPARE(cell(0, Ui::WorkerTableModel::StateColumn), QStringLiteral("Running"));
    QCOMPARE(cell(1, Ui::WorkerTableModel::StateColumn), QStringLiteral("Lost")); // two minutes silent
    QCOMPARE(cell(1, Ui::WorkerTableModel::HeldColumn), QStringLiteral("0"));
    feed.stop();
}

void tst_WorkersPanel::drainOnlyARunningWorker()
{
    Ui::WorkersDock dock;
    QAbstractItemModelTester tester(dock.model());
    QSignalSpy asked(&dock, &Ui::WorkersDock::drainRequested);
    dock.setWorkers({fleetWorker(QStringLiteral("w1"), QStringLiteral("running")),
                     fleetWorker(QStringLiteral("w2"), QStringLiteral("lost"))});
    QVERIFY(!dock.drainAction()->isEnabled()); // nothing selected
    dock.view()->selectRow(1);
    QVERIFY(!dock.drainAction()->isEnabled()); // lost: nobody there to drain
    dock.view()->selectRow(0);
    QVERIFY(dock.drainAction()->isEnabled());
    dock.drainAction()->trigger();
    QCOMPARE(asked.count(), 1);
    QCOMPARE(asked.at(0).at(0).toString(), QStringLiteral("w1"));
    // The same workers again: rows stay, so does the selection; a new state disables Drain.
    dock.setWorkers({fleetWorker(QStringLiteral("w1"), QStringLiteral("draining")),
                     fleetWorker(QStringLiteral("w2"), QStringLiteral("lost"))});
    QCOMPARE(dock.view()->selectionModel()->selectedRows().size(), 1);
    QVERIFY(!dock.drainAction()->isEnabled());
}

QTEST_MAIN(tst_WorkersPanel)
#include "tst_workerspanel.moc"
