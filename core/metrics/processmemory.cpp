#include "processmemory.h"

#include <QFile>

#include <sys/resource.h>
#include <unistd.h>

#ifdef DOCPIPE_HAS_MIMALLOC
#include <mimalloc.h>
#endif

namespace Docpipe::Metrics {

qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    bool ok = false;
    const qint64 pages = fields.size() > 1 ? fields.at(1).toLongLong(&ok) : 0;
    return ok ? pages * ::sysconf(_SC_PAGESIZE) : -1;
}

qint64 peakResidentBytes()
{
    rusage usage = {};
    if (::getrusage(RUSAGE_SELF, &usage) != 0)
        return -1;
    return qint64(usage.ru_maxrss) * 1024; // Linux reports kilobytes
}

QString allocatorName()
{
#ifdef DOCPIPE_HAS_MIMALLOC
    const int version = mi_version(); // e.g. 209
    return QStringLiteral("mimalloc %1.%2.%3").arg(version / 100).arg(version / 10 % 10).arg(version % 10);
#else
    return QStringLiteral("glibc malloc");
#endif
}

void returnFreedMemoryPromptly()
{
#ifdef DOCPIPE_HAS_MIMALLOC
    // Not mi_option_decommit_delay (pages within a segment): at 0 it costs a system call for
    // nearly every free, and the run took 4 s more system time for the same peak.
    mi_option_set(mi_option_segment_decommit_delay, 0);
#endif
}

void releaseThreadMemory()
{
#ifdef DOCPIPE_HAS_MIMALLOC
    mi_collect(true);
#endif
}

} // namespace Docpipe::Metrics
