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

} // namespace Docpipe::Metrics
