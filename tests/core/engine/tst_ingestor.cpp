// Hostile dropped folders: links that lead out of the folder, named pipes, sockets and devices are
// skipped and named (never opened) unless the operator allows links; what is inside is ingested.
#include "engine/ingestor.h"
#include "specialfiles.h"
#include "store/documentstore.h"
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Docpipe;

namespace {

void writeText(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(text.toUtf8());
}

// <root>/drop holds documents, links in and out, and special files; <root>/outside is private.
struct HostileFolder
{
    explicit HostileFolder(const QString &root)
        : drop(root + QStringLiteral("/drop"))
        , outside(root + QStringLiteral("/outside"))
    {
        QDir().mkpath(drop + QStringLiteral("/sub"));
        QDir().mkpath(outside + QStringLiteral("/private"));
        writeText(drop + QStringLiteral("/plain.txt"), QStringLiteral("An ordinary document about rivers.\n"));
        writeText(drop + QStringLiteral("/sub/inner.txt"), QStringLiteral("A document about lakes.\n"));
        writeText(outside + QStringLiteral("/shadow.txt"), QStringLiteral("root:$y$secret-hash:19000:0:99999:7:::\n"));
        writeText(outside + QStringLiteral("/private/notes.txt"), QStringLiteral("Private notes.\n"));
        ok = QFile::link(drop + QStringLiteral("/sub/inner.txt"), drop + QStringLiteral("/inner-link.txt"))
            && QFile::link(outside + QStringLiteral("/shadow.txt"), drop + QStringLiteral("/shadow.txt"))
            && QFile::link(outside + QStringLiteral("/private"), drop + QStringLiteral("/private"))
            && QFile::link(QStringLiteral("/dev/null"), drop + QStringLiteral("/null.txt"))
            && Test::makeFifo(drop + QStringLiteral("/pipe.txt"))
            && Test::makeSocketFile(drop + QStringLiteral("/socket.txt"));
    }

    QString path(const char *name) const { return drop + u'/' + QLatin1String(name); }

    QString drop;
    QString outside;
    bool ok = false;
};

QString noteFor(const CollectedFiles &collected, const QString &path)
{
    for (const QString &note : collected.notes) {
        if (note.startsWith(QStringLiteral("skipped %1: ").arg(path)))
            return note;
    }
    return {};
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

class tst_Ingestor final : public QObject
{
    Q_OBJECT
private slots:
    void linksOutAndSpecialFilesAreSkippedAndNamed();
    void followingLinksReadsOutsideButNeverSpecialFiles();
    void specialFileNamedAloneIsSkipped();
    void ingestNeverOpensAPipe_data() { Test::addBackendRows(); }
    void ingestNeverOpensAPipe();
};

void tst_Ingestor::linksOutAndSpecialFilesAreSkippedAndNamed()
{
    QTemporaryDir tmp;
    const HostileFolder folder(tmp.path());
    QVERIFY(folder.ok);
    const CollectedFiles collected = collectDocuments({folder.drop});

    QCOMPARE(sorted(collected.files),
             sorted({folder.path("inner-link.txt"), folder.path("plain.txt"), folder.path("sub/inner.txt")}));
    const QString shadow = noteFor(collected, folder.path("shadow.txt"));
    QVERIFY2(shadow.contains(QStringLiteral("symbolic link to %1/shadow.txt, outside the folder").arg(folder.outside)),
             qPrintable(shadow));
    QVERIFY2(shadow.contains(QLatin1String("--follow-symlinks")), qPrintable(shadow));
    QVERIFY2(!shadow.contains(QLatin1String("secret-hash")), qPrintable(shadow)); // named, never read
    QVERIFY(noteFor(collected, folder.path("private")).contains(QLatin1String("outside the folder")));
    QVERIFY(noteFor(collected, folder.path("null.txt")).contains(QLatin1String("outside the folder")));
    QVERIFY2(noteFor(collected, folder.path("pipe.txt")).contains(QLatin1String("named pipe (FIFO)")),
             qPrintable(collected.notes.join(u'\n')));
    QVERIFY(noteFor(collected, folder.path("socket.txt")).contains(QLatin1String("a socket")));
}

void tst_Ingestor::followingLinksReadsOutsideButNeverSpecialFiles()
{
    QTemporaryDir tmp;
    const HostileFolder folder(tmp.path());
    QVERIFY(folder.ok);
    const CollectedFiles collected = collectDocuments({folder.drop}, {.followSymlinks = true});

    QCOMPARE(sorted(collected.files),
             sorted({folder.path("inner-link.txt"), folder.path("plain.txt"), folder.path("private/notes.txt"),
                     folder.path("shadow.txt"), folder.path("sub/inner.txt")}));
    QVERIFY(noteFor(collected, folder.path("null.txt")).contains(QLatin1String("a device file")));
    QVERIFY(noteFor(collected, folder.path("pipe.txt")).contains(QLatin1String("named pipe (FIFO)")));
    QVERIFY(noteFor(collected, folder.path("socket.txt")).contains(QLatin1String("a socket")));
}

void tst_Ingestor::specialFileNamedAloneIsSkipped()
{
    QTemporaryDir tmp;
    const HostileFolder folder(tmp.path());
    QVERIFY(folder.ok);
    // A link named on its own is the operator's choice and is read; a pipe or a device never is.
    const CollectedFiles collected
        = collectDocuments({folder.path("pipe.txt"), folder.path("shadow.txt"), QStringLiteral("/dev/zero")});
    QCOMPARE(collected.files, QStringList{folder.path("shadow.txt")});
    QVERIFY(noteFor(collected, folder.path("pipe.txt")).contains(QLatin1String("named pipe (FIFO)")));
    QVERIFY(noteFor(collected, QStringLiteral("/dev/zero")).contains(QLatin1String("a device file")));
}

void tst_Ingestor::ingestNeverOpensAPipe()
{
    DOCPIPE_TEST_DATABASE(fixture);
    const HostileFolder folder(fixture.tempPath());
    QVERIFY(folder.ok);
    const Store::Database db = fixture.database();

    // Opening the pipe would block this call for ever (no writer): returning at all is the point.
    const IngestReport report = ingestPaths(db, {folder.drop}, {});
    QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join(u'\n')));
    QStringList names;
    for (const auto &created : report.created)
        names << created.name;
    for (const auto &duplicate : report.duplicates)
        names << duplicate.name;
    QCOMPARE(sorted(names),
             sorted({QStringLiteral("inner-link.txt"), QStringLiteral("inner.txt"), QStringLiteral("plain.txt")}));
    QVERIFY(!noteFor({{}, report.notes}, folder.path("shadow.txt")).isEmpty());
    QVERIFY(!noteFor({{}, report.notes}, folder.path("pipe.txt")).isEmpty());

    // The store itself refuses what is not a regular file, should a caller hand one over.
    auto direct = Store::ingestFile(db, folder.path("pipe.txt"), {});
    QVERIFY(!direct);
    QCOMPARE(direct.error().code, QStringLiteral("unreadable_file"));
    QVERIFY(direct.error().message.contains(QLatin1String("not a regular file")));
}

QTEST_GUILESS_MAIN(tst_Ingestor)
#include "tst_ingestor.moc"
