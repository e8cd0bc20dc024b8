// Watched folders and document versions through the real docpipe-cli binary, on SQLite and
// PostgreSQL: `watch add|remove|list`, two workers that pick a folder up from the database, and an
// export that holds only each document's current version.
#include "clirunner.h"
#include "store/jobqueries.h"
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSettings>
#include <QTest>

#include <csignal>

using namespace Docpipe;
using namespace Docpipe::Test;

namespace {

void writeText(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(text.toUtf8());
}

QString prose(const QString &word)
{
    QString text;
    for (int i = 0; i < 6; ++i)
        text += QStringLiteral("The %1 memo, part %2, lists what was decided and by whom.\n\n").arg(word).arg(i);
    return text;
}

// document name -> the text of its exported chunks, joined.
QMap<QString, QString> exportedText(const QStringList &common)
{
    const CliResult result = runCli(common + QStringList{QStringLiteral("export")});
    QMap<QString, QString> texts;
    for (const QByteArray &line : result.out.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        texts[object.value(QStringLiteral("document")).toString()] += object.value(QStringLiteral("text")).toString();
    }
    return texts;
}

} // namespace

class tst_WatchCli final : public QObject
{
    Q_OBJECT
private slots:
    void watchCommands_data() { addBackendRows(); }
    void watchCommands();
    void redroppedFileReplacesItsVersion_data() { addBackendRows(); }
    void redroppedFileReplacesItsVersion();
    void workersPickUpWatchedFolder_data() { addBackendRows(); }
    void workersPickUpWatchedFolder();
};

void tst_WatchCli::watchCommands()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QStringList db{QStringLiteral("--db"), fixture.url()};
    const QString folder = fixture.tempPath() + QStringLiteral("/inbox");
    QVERIFY(QDir().mkpath(folder));

    CliResult added = runCli(db
                             + QStringList{QStringLiteral("watch"), QStringLiteral("add"), folder + u'/',
                                           QStringLiteral("--on-delete"), QStringLiteral("keep")});
    QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
    QVERIFY(added.out.contains("chunks are kept"));

    const CliResult listed
        = runCli(db + QStringList{QStringLiteral("watch"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(listed.exitCode, 0);
    const QJsonArray folders = listed.json().array();
    QCOMPARE(folders.size(), 1);
    QCOMPARE(folders.first().toObject().value(QStringLiteral("path")).toString(), QDir::cleanPath(folder));
    QCOMPARE(folders.first().toObject().value(QStringLiteral("on_delete")).toString(), QStringLiteral("keep"));

    QCOMPARE(runCli(db
                    + QStringList{QStringLiteral("watch"), QStringLiteral("add"),
                                  fixture.tempPath() + QStringLiteral("/missing")})
                 .exitCode,
             2);
    QCOMPARE(runCli(db
                    + QStringList{QStringLiteral("watch"), QStringLiteral("add"), folder, QStringLiteral("--on-delete"),
                                  QStringLiteral("shred")})
                 .exitCode,
             2);
    QCOMPARE(runCli(db + QStringList{QStringLiteral("watch"), QStringLiteral("sideways")}).exitCode, 2);

    QCOMPARE(runCli(db + QStringList{QStringLiteral("watch"), QStringLiteral("remove"), folder}).exitCode, 0);
    const CliResult again = runCli(db + QStringList{QStringLiteral("watch"), QStringLiteral("remove"), folder});
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.err.contains("was not watched"));
    QCOMPARE(runCli(db + QStringList{QStringLiteral("watch"), QStringLiteral("list"), QStringLiteral("--json")})
                 .json()
                 .array()
                 .size(),
             0);
}

void tst_WatchCli::redroppedFileReplacesItsVersion()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QStringList db{QStringLiteral("--db"), fixture.url()};
    const QString file = fixture.tempPath() + QStringLiteral("/memo.txt");
    writeText(file, prose(QStringLiteral("spring")));
    QCOMPARE(runCli(db + QStringList{QStringLiteral("ingest"), QStringLiteral("--wait"), file}).exitCode, 0);
    writeText(file, prose(QStringLiteral("autumn")));
    const CliResult second = runCli(db + QStringList{QStringLiteral("ingest"), QStringLiteral("--wait"), file});
    QVERIFY2(second.exitCode == 0, qPrintable(second.describe()));

    const QJsonArray jobs = runCli(db + QStringList{QStringLiteral("jobs"), QStringLiteral("--json")}).json().array();
    QCOMPARE(jobs.size(), 2);
    QCOMPARE(jobs.at(1).toObject().value(QStringLiteral("version")).toInt(), 2);
    QVERIFY(jobs.at(1).toObject().value(QStringLiteral("current")).toBool());
    QVERIFY(!jobs.at(0).toObject().value(QStringLiteral("current")).toBool());
    const CliResult table = runCli(db + QStringList{QStringLiteral("jobs")});
    QVERIFY(table.out.contains("VER"));
    QVERIFY(table.out.contains("2*"));

    const QMap<QString, QString> exported = exportedText(db);
    QCOMPARE(exported.keys(), QStringList{QStringLiteral("memo.txt")});
    QVERIFY(exported.value(QStringLiteral("memo.txt")).contains(QStringLiteral("autumn")));
    QVERIFY(!exported.value(QStringLiteral("memo.txt")).contains(QStringLiteral("spring")));
}

void tst_WatchCli::workersPickUpWatchedFolder()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const QString ini = fixture.tempPath() + QStringLiteral("/docpipe.ini");
    {
        QSettings settings(ini, QSettings::IniFormat);
        settings.setValue(QStringLiteral("watch/rescan_seconds"), 1);
        settings.setValue(QStringLiteral("watch/settle_ms"), 300);
        settings.setValue(QStringLiteral("engine/heartbeat_ms"), 200);
    }
    const QStringList common{QStringLiteral("--db"), fixture.url(), QStringLiteral("--config"), ini};
    const QString folder = fixture.tempPath() + QStringLiteral("/inbox");
    QVERIFY(QDir().mkpath(folder));
    writeText(folder + QStringLiteral("/before.txt"), prose(QStringLiteral("early")));

    // Two workers on one database; the folder is added afterwards, from a third process.
    QProcess *first = startCli(common + QStringList{QStringLiteral("worker")}, this);
    QProcess *second = startCli(common + QStringList{QStringLiteral("worker")}, this);
    QVERIFY(first->waitForStarted() && second->waitForStarted());
    QCOMPARE(runCli(common + QStringList{QStringLiteral("watch"), QStringLiteral("add"), folder}).exitCode, 0);
    writeText(folder + QStringLiteral("/after.txt"), prose(QStringLiteral("late")));

    QVERIFY(QTest::qWaitFor([&] { return exportedText(common).size() == 2; }, 60000));
    writeText(folder + QStringLiteral("/after.txt"), prose(QStringLiteral("later")));
    QVERIFY(QTest::qWaitFor(
        [&] { return exportedText(common).value(QStringLiteral("after.txt")).contains(QStringLiteral("later memo")); },
        60000));
    for (QProcess *worker : {first, second}) {
        ::kill(pid_t(worker->processId()), SIGTERM);
        QVERIFY(worker->waitForFinished(20000));
        QCOMPARE(worker->exitCode(), 0);
    }
    // Both workers saw every file; each version was made once.
    const Store::Database db = fixture.database();
    const auto jobs = Store::listJobs(db).value();
    QCOMPARE(jobs.size(), 3);
    QCOMPARE(exportedText(common).keys(), (QStringList{QStringLiteral("after.txt"), QStringLiteral("before.txt")}));
}

QTEST_GUILESS_MAIN(tst_WatchCli)
#include "tst_watchcli.moc"
