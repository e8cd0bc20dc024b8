#include "resourceusage.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>

#include <sys/resource.h>
#include <unistd.h>

namespace Docpipe::Monitoring {

namespace {

QByteArray readProcFile(const char *path)
{
    QFile file(QString::fromLatin1(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll(); // /proc files report size 0: readAll reads until the end
}

// "VmRSS:     1234 kB" -> bytes
qint64 statusKb(const QByteArray &status, const QByteArray &field)
{
    const qsizetype at = status.indexOf(QByteArray(field + ':'));
    if (at < 0)
        return -1;
    const qsizetype end = status.indexOf('\n', at);
    const QList<QByteArray> parts = status.mid(at, end - at).simplified().split(' ');
    bool ok = false;
    const qint64 kb = parts.size() >= 2 ? parts.at(1).toLongLong(&ok) : -1;
    return ok ? kb * 1024 : -1;
}

} // namespace

ResourceUsage readResourceUsage()
{
    ResourceUsage usage;
    const long ticks = sysconf(_SC_CLK_TCK);
    // /proc/self/stat: the command name may contain spaces and parentheses; fields follow the last ')'.
    const QByteArray stat = readProcFile("/proc/self/stat");
    const qsizetype close = stat.lastIndexOf(')');
    if (close > 0 && ticks > 0) {
        const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
        // After the name: state(3) ... utime(14) stime(15) ... starttime(22), numbered from pid = 1.
        if (fields.size() > 19) {
            usage.cpuSeconds = double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / double(ticks);
            // starttime counts ticks since boot; /proc/stat's btime is the boot time in epoch seconds.
            const QByteArray systemStat = readProcFile("/proc/stat");
            const qsizetype btime = systemStat.indexOf("\nbtime ");
            if (btime >= 0) {
                const qint64 bootSeconds
                    = systemStat.mid(btime + 7, systemStat.indexOf('\n', btime + 1) - btime - 7).trimmed().toLongLong();
                usage.startTimeSeconds = double(bootSeconds) + double(fields.at(19).toLongLong()) / double(ticks);
            }
        }
    }
    const QByteArray status = readProcFile("/proc/self/status");
    usage.residentBytes = statusKb(status, "VmRSS");
    usage.peakResidentBytes = statusKb(status, "VmHWM");
    const QDir fds(QStringLiteral("/proc/self/fd"));
    if (fds.exists())
        usage.openFds = fds.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System).size();
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0)
        usage.maxFds = limit.rlim_cur == RLIM_INFINITY ? -1 : qint64(limit.rlim_cur);
    return usage;
}

double cpuShare(const ResourceUsage &before, qint64 beforeMs, const ResourceUsage &after, qint64 afterMs)
{
    if (before.cpuSeconds < 0 || after.cpuSeconds < 0 || afterMs <= beforeMs)
        return -1;
    return (after.cpuSeconds - before.cpuSeconds) / (double(afterMs - beforeMs) / 1000.0);
}

} // namespace Docpipe::Monitoring
