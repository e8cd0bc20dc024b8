// What a newcomer meets first at the command line, through the real docpipe-cli binary: a mistyped
// database path, a narrow terminal, a wrong setting, paths that are not there, the event log, and
// the default data folder.
#include "clirunner.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe::Test;

namespace {

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(bytes);
}

QByteArray prose(int seed)
{
    QByteArray text;
    for (int i = 0; i < 5; ++i)
        text += QByteArray("Paragraph ") + QByteArray::number(seed * 10 + i)
            + " says what the release notes promised and what shipped.\n\n";
    return text;
}

// The environment of a user whose home is `home`: the default data and config folders under it.
QMap<QString, QString> homeAt(const QString &home)
{
    return {{QStringLiteral("HOME"), home},
            {QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share")},
            {QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config")}};
}

} // namespace

class tst_CliEdges final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void readCommandsDoNotCreateADatabase_data();
    void readCommandsDoNotCreateADatabase();
    void checkInitCreatesTheDatabase();
    void jobsTableKeepsColumnsApartAndFitsTheTerminal();
    void badSettingsStopCheckBeforeAnyService();
    void checkNamesAMissingOcrLanguage();
    void ingestOfNothingFails();
    void warningEventsNameTheirStage();
    void defaultDataFolderIsOneLevel();
    void databaseInTheEarlierFolderKeepsBeingUsed();
};

void tst_CliEdges::initTestCase()
{
    QVERIFY2(QFile::exists(cliPath()), "DOCPIPE_CLI must point at the built docpipe-cli");
}

void tst_CliEdges::readCommandsDoNotCreateADatabase_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::newRow("status") << QStringList{QStringLiteral("status")};
    QTest::newRow("jobs") << QStringList{QStringLiteral("jobs")};
    QTest::newRow("events") << QStringList{QStringLiteral("events"), QStringLiteral("--json")};
    QTest::newRow("export") << QStringList{QStringLiteral("export")};
    QTest::newRow("retry") << QStringList{QStringLiteral("retry"), QStringLiteral("--failed")};
    QTest::newRow("cancel") << QStringList{QStringLiteral("cancel"), QStringLiteral("1")};
    QTest::newRow("pause") << QStringList{QStringLiteral("pause")};
    QTest::newRow("watch list") << QStringList{QStringLiteral("watch"), QStringLiteral("list")};
}

void tst_CliEdges::readCommandsDoNotCreateADatabase()
{
    QFETCH(QStringList, command);
    QTemporaryDir dir;
    const QString typo = dir.filePath(QStringLiteral("jbos/docpipe.sqlite"));
    const CliResult result = runCli(QStringList{QStringLiteral("--db"), typo} + command);
    QVERIFY2(result.exitCode != 0, qPrintable(result.describe()));
    QVERIFY2(QByteArray(result.out + result.err).contains(QByteArray(QByteArray("no database at ") + typo.toUtf8())),
             qPrintable(result.describe()));
    QVERIFY2(!QFileInfo::exists(typo) && !QFileInfo::exists(dir.filePath(QStringLiteral("jbos"))),
             "a read command created the database or its folder");
}

void tst_CliEdges::checkInitCreatesTheDatabase()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("docpipe.sqlite"));
    const CliResult check = runCli({QStringLiteral("--db"), path, QStringLiteral("check")});
    QCOMPARE(check.exitCode, 1);
    QVERIFY2(check.out.contains(QByteArray(QByteArray("no database at ") + path.toUtf8())),
             qPrintable(check.describe()));
    QVERIFY(!QFileInfo::exists(path));
    const CliResult init = runCli({QStringLiteral("--db"), path, QStringLiteral("check"), QStringLiteral("--init")});
    QVERIFY2(init.exitCode == 0, qPrintable(init.describe()));
    QVERIFY2(init.out.contains("ocr: ok (Tesseract "), qPrintable(init.describe()));
    QVERIFY(QFileInfo::exists(path));
    const CliResult status = runCli({QStringLiteral("--db"), path, QStringLiteral("status")});
    QVERIFY2(status.exitCode == 0, qPrintable(status.describe()));
    QVERIFY(status.out.contains("total"));
}

void tst_CliEdges::jobsTableKeepsColumnsApartAndFitsTheTerminal()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("docpipe.sqlite"));
    const QString longName = QStringLiteral("developers-reference_best-pkging-practices-embedded-manual.txt");
    writeBytes(dir.filePath(QStringLiteral("docs/") + longName), prose(1));
    writeBytes(dir.filePath(QStringLiteral("docs/short.txt")), prose(2));
    const CliResult ingest
        = runCli({QStringLiteral("--db"), db, QStringLiteral("ingest"), dir.filePath(QStringLiteral("docs"))});
    QVERIFY2(ingest.exitCode == 0, qPrintable(ingest.describe()));

    for (const int width : {80, 200}) {
        const CliResult jobs = runCli({QStringLiteral("--db"), db, QStringLiteral("jobs")},
                                      {{QStringLiteral("COLUMNS"), QString::number(width)}});
        QVERIFY2(jobs.exitCode == 0, qPrintable(jobs.describe()));
        const QStringList lines = QString::fromUtf8(jobs.out).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        for (const QString &line : lines) {
            QVERIFY2(line.size() <= width, qPrintable(QStringLiteral("%1 columns: %2").arg(width).arg(line)));
            // Each row is ID, DOCUMENT, STAGE, STATUS, ...: a name never runs into the stage.
            const QStringList cells = line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
            QVERIFY2(cells.size() >= 4, qPrintable(line));
            if (line.startsWith(QLatin1String("ID")))
                continue;
            QCOMPARE(cells.at(2), QStringLiteral("uploaded"));
            QCOMPARE(cells.at(3), QStringLiteral("queued"));
        }
        QCOMPARE(jobs.out.contains(longName.toUtf8()), width == 200); // whole where it fits, cut where not
    }
}

void tst_CliEdges::badSettingsStopCheckBeforeAnyService()
{
    QTemporaryDir dir;
    QTcpServer openAiHost; // where the check would go: it must not connect at all
    QVERIFY(openAiHost.listen(QHostAddress::LocalHost));
    const QString ini = dir.filePath(QStringLiteral("docpipe.ini"));
    {
        QSettings settings(ini, QSettings::IniFormat);
        settings.setValue(QStringLiteral("engine/lease_seconds"), QStringLiteral("abc"));
        settings.setValue(QStringLiteral("embedder/kind"), QStringLiteral("opneai"));
        settings.setValue(QStringLiteral("embedder/request_timeout_ms"), 2000);
    }
    const QMap<QString, QString> env{
        {QStringLiteral("OPENAI_BASE_URL"), QStringLiteral("http://127.0.0.1:%1/v1").arg(openAiHost.serverPort())},
        {QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-test-edges")}};
    const CliResult check = runCli({QStringLiteral("--db"), dir.filePath(QStringLiteral("docpipe.sqlite")),
                                    QStringLiteral("--config"), ini, QStringLiteral("check"), QStringLiteral("--init")},
                                   env);
    QCOMPARE(check.exitCode, 1);
    QVERIFY2(check.out.contains("engine/lease_seconds is not a number ('abc')"), qPrintable(check.describe()));
    QVERIFY2(check.out.contains("opneai"), qPrintable(check.describe()));
    QVERIFY2(check.err.contains("services not checked"), qPrintable(check.describe()));
    QVERIFY2(!openAiHost.waitForNewConnection(200), "check contacted the embedding host despite a wrong kind");
}

void tst_CliEdges::checkNamesAMissingOcrLanguage()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("docpipe.ini"));
    {
        QSettings settings(ini, QSettings::IniFormat);
        settings.setValue(QStringLiteral("ocr/languages"), QStringLiteral("eng+zzz"));
    }
    const CliResult check
        = runCli({QStringLiteral("--db"), dir.filePath(QStringLiteral("docpipe.sqlite")), QStringLiteral("--config"),
                  ini, QStringLiteral("check"), QStringLiteral("--init")});
    QCOMPARE(check.exitCode, 1);
    QVERIFY2(check.out.contains("ocr: FAILED: OCR cannot run: Tesseract has no language data for zzz")
                 && check.out.contains("install tesseract-ocr-zzz"),
             qPrintable(check.describe()));
}

void tst_CliEdges::ingestOfNothingFails()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("docpipe.sqlite"));
    const CliResult missing = runCli({QStringLiteral("--db"), db, QStringLiteral("ingest"),
                                      dir.filePath(QStringLiteral("nope.pdf")), dir.filePath(QStringLiteral("gone"))});
    QVERIFY2(missing.exitCode != 0, qPrintable(missing.describe()));
    QVERIFY2(missing.err.contains("none of the given paths exists"), qPrintable(missing.describe()));
    QVERIFY(!QFileInfo::exists(db)); // nothing to record: no database made either

    QDir().mkpath(dir.filePath(QStringLiteral("empty")));
    const CliResult empty
        = runCli({QStringLiteral("--db"), db, QStringLiteral("ingest"), dir.filePath(QStringLiteral("empty"))});
    QVERIFY2(empty.exitCode != 0, qPrintable(empty.describe()));
    QVERIFY2(empty.err.contains("nothing ingested"), qPrintable(empty.describe()));
}

void tst_CliEdges::warningEventsNameTheirStage()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("docpipe.sqlite"));
    // Latin-1 bytes: the parser falls back to Windows-1252 and records a warning event.
    writeBytes(dir.filePath(QStringLiteral("latin.txt")),
               prose(3)
                   + QByteArray("Caf\xe9 cr\xe8me, na\xefve fa\xe7"
                                "ade.\n"));
    const CliResult ingest = runCli({QStringLiteral("--db"), db, QStringLiteral("ingest"), QStringLiteral("--wait"),
                                     dir.filePath(QStringLiteral("latin.txt"))});
    QVERIFY2(ingest.exitCode == 0, qPrintable(ingest.describe()));
    const CliResult events = runCli({QStringLiteral("--db"), db, QStringLiteral("events")});
    QVERIFY2(events.exitCode == 0, qPrintable(events.describe()));
    const QList<QByteArray> lines = events.out.split('\n');
    const auto warning = std::find_if(lines.cbegin(), lines.cend(),
                                      [](const QByteArray &line) { return line.contains("[parser_warning]"); });
    QVERIFY2(warning != lines.cend(), qPrintable(events.describe()));
    QVERIFY2(warning->contains(" parsing  [parser_warning]") && !warning->contains("->"), warning->constData());
    // Transitions still show where they went.
    QVERIFY(events.out.contains("parsing -> parse_validated"));
}

void tst_CliEdges::defaultDataFolderIsOneLevel()
{
    QTemporaryDir home;
    writeBytes(home.filePath(QStringLiteral("doc.txt")), prose(4));
    const CliResult ingest
        = runCli({QStringLiteral("ingest"), home.filePath(QStringLiteral("doc.txt"))}, homeAt(home.path()));
    QVERIFY2(ingest.exitCode == 0, qPrintable(ingest.describe()));
    QVERIFY(QFileInfo::exists(home.filePath(QStringLiteral(".local/share/docpipe/docpipe.sqlite"))));
    QVERIFY(!QFileInfo::exists(home.filePath(QStringLiteral(".local/share/docpipe/docpipe"))));
}

void tst_CliEdges::databaseInTheEarlierFolderKeepsBeingUsed()
{
    QTemporaryDir home;
    const QString legacy = home.filePath(QStringLiteral(".local/share/docpipe/docpipe/docpipe.sqlite"));
    writeBytes(home.filePath(QStringLiteral("doc.txt")), prose(5));
    QCOMPARE(
        runCli({QStringLiteral("--db"), legacy, QStringLiteral("ingest"), home.filePath(QStringLiteral("doc.txt"))})
            .exitCode,
        0);

    const CliResult status = runCli({QStringLiteral("status"), QStringLiteral("--json")}, homeAt(home.path()));
    QVERIFY2(status.exitCode == 0, qPrintable(status.describe()));
    QCOMPARE(status.json().object().value(QStringLiteral("total")).toInt(), 1); // the user's jobs are still there
    const CliResult check = runCli({QStringLiteral("check")}, homeAt(home.path()));
    QVERIFY2(check.exitCode == 0, qPrintable(check.describe()));
    QVERIFY2(check.out.contains("folder of earlier releases") && check.out.contains("docpipe.sqlite*"),
             qPrintable(check.describe()));
    QVERIFY(!QFileInfo::exists(home.filePath(QStringLiteral(".local/share/docpipe/docpipe.sqlite"))));
}

QTEST_GUILESS_MAIN(tst_CliEdges)
#include "tst_cliedges.moc"
