// The process's own readings move with what it does: memory with what it holds, descriptors with
// the files it opens, CPU seconds with work.
#include "monitoring/resourceusage.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <memory>
#include <vector>

using namespace Docpipe::Monitoring;

class TestResourceUsage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void memoryFollowsWhatIsHeld()
    {
        const ResourceUsage before = readResourceUsage();
        QVERIFY(before.residentBytes > 0);
        constexpr size_t kBytes = 64u * 1024 * 1024;
        std::unique_ptr<char[]> block(new char[kBytes]);
        std::memset(block.get(), 1, kBytes); // touched, so resident
        const ResourceUsage after = readResourceUsage();
        QVERIFY2(after.residentBytes - before.residentBytes > qint64(kBytes) * 9 / 10,
                 qPrintable(QString::number(after.residentBytes - before.residentBytes)));
        QVERIFY(after.peakResidentBytes >= after.residentBytes);
        QCOMPARE(block[kBytes - 1], char(1));
    }

    void descriptorsFollowOpenFiles()
    {
        QTemporaryDir dir;
        const ResourceUsage before = readResourceUsage();
        std::vector<std::unique_ptr<QFile>> files;
        for (int i = 0; i < 20; ++i) {
            files.push_back(std::make_unique<QFile>(dir.filePath(QString::number(i))));
            QVERIFY(files.back()->open(QIODevice::WriteOnly));
        }
        const ResourceUsage after = readResourceUsage();
        QCOMPARE(after.openFds - before.openFds, 20);
        QVERIFY(after.maxFds >= after.openFds || after.maxFds == -1);
    }

    void cpuFollowsWork()
    {
        // On a busy machine this thread gets only part of a core: burn until the reading has
        // moved by 0.2 s of CPU (or give up after 30 s of wall time).
        const ResourceUsage before = readResourceUsage();
        const qint64 startMs = QDateTime::currentMSecsSinceEpoch();
        volatile double sink = 0;
        ResourceUsage after = before;
        while (after.cpuSeconds - before.cpuSeconds < 0.2 && QDateTime::currentMSecsSinceEpoch() - startMs < 30000) {
            for (int i = 0; i < 1000000; ++i)
                sink = sink + 1.0;
            after = readResourceUsage();
        }
        QVERIFY2(after.cpuSeconds - before.cpuSeconds >= 0.2,
                 qPrintable(QString::number(after.cpuSeconds - before.cpuSeconds)));
        const double share = cpuShare(before, startMs, after, QDateTime::currentMSecsSinceEpoch());
        QVERIFY2(share > 0 && share < 1.2, qPrintable(QString::number(share))); // one thread: at most one core
        const double now = double(QDateTime::currentSecsSinceEpoch());
        QVERIFY(after.startTimeSeconds > now - 3600 && after.startTimeSeconds <= now + 1);
    }
};

QTEST_GUILESS_MAIN(TestResourceUsage)
#include "tst_resourceusage.moc"
