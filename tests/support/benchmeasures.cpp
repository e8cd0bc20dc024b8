#include "benchmeasures.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include <unistd.h>

namespace Docpipe::Test {

namespace {

QByteArray readProc(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The fields of /proc/PID/stat after the ")" that closes the process's name (field 3 is the first).
QList<QByteArray> statFields(const QString &pidDir)
{
    const QByteArray line = readProc(pidDir + QStringLiteral("/stat"));
    const qsizetype close = line.lastIndexOf(')');
    return close < 0 ? QList<QByteArray>() : line.mid(close + 2).trimmed().split(' ');
}

} // namespace

qint64 scalar(const Store::Database &db, const QString &sql, const QVariantMap &bindings)
{
    QSqlQuery query(db.sql());
    query.prepare(sql);
    for (auto it = bindings.cbegin(); it != bindings.cend(); ++it)
        query.bindValue(it.key(), it.value());
    if (!query.exec() || !query.next())
        qFatal("query failed: %s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
    return query.value(0).toLongLong();
}

QList<qint64> queueWaits(const Store::Database &db, const QStringList &toStages, qint64 sinceMs)
{
    const QStringList stages = toStages.isEmpty()
        ? QStringList{QStringLiteral("parsing"), QStringLiteral("chunking"), QStringLiteral("embedding")}
        : toStages;
    QStringList placeholders;
    for (qsizetype i = 0; i < stages.size(); ++i)
        placeholders << QStringLiteral(":stage%1").arg(i);
    QSqlQuery query(db.sql());
    query.prepare(QStringLiteral("SELECT c.at - p.at FROM job_events c JOIN job_events p ON p.job_id = c.job_id "
                                 "AND p.id = (SELECT MAX(id) FROM job_events q WHERE q.job_id = c.job_id AND q.id < "
                                 "c.id) WHERE c.kind = 'transition' AND c.at >= :since AND c.to_stage IN (%1)")
                      .arg(placeholders.join(QStringLiteral(", "))));
    query.bindValue(QStringLiteral(":since"), sinceMs);
    for (qsizetype i = 0; i < stages.size(); ++i)
        query.bindValue(placeholders.at(i), stages.at(i));
    if (!query.exec())
        qFatal("cannot read queue waits: %s", qPrintable(query.lastError().text()));
    QList<qint64> waits;
    while (query.next())
        waits << query.value(0).toLongLong();
    return waits;
}

CpuSnapshot postgresCpu(int port)
{
    const long ticks = sysconf(_SC_CLK_TCK);
    const QByteArray portArgument = QByteArray::number(port);
    QHash<QString, QList<QByteArray>> servers; // postgres processes: pid -> stat fields
    QStringList started; // started with "-p PORT": the postmaster, and children it forked that have
                         // not set their process title yet (they carry its command line until then)
    QDirIterator it(QStringLiteral("/proc"), QDir::Dirs | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        const QString dir = it.next();
        if (!readProc(dir + QStringLiteral("/comm")).startsWith("postgres"))
            continue;
        const QString pid = dir.section(u'/', -1);
        servers.insert(pid, statFields(dir));
        const QList<QByteArray> argv = readProc(dir + QStringLiteral("/cmdline")).split('\0');
        const qsizetype p = argv.indexOf(QByteArray("-p"));
        if (p >= 0 && argv.value(p + 1) == portArgument)
            started << pid;
    }
    QString postmaster;
    for (const QString &pid : std::as_const(started)) {
        if (!started.contains(QString::fromLatin1(servers.value(pid).value(1)))) // field 4: the parent
            postmaster = pid;
    }
    CpuSnapshot snapshot;
    for (auto it = servers.cbegin(); it != servers.cend(); ++it) {
        const QList<QByteArray> &fields = it.value();
        if (postmaster.isEmpty() || fields.size() < 13)
            continue;
        if (it.key() != postmaster && QString::fromLatin1(fields.at(1)) != postmaster) // field 4: the parent
            continue;
        snapshot.insert(it.key().toLongLong(),
                        (fields.at(11).toLongLong() + fields.at(12).toLongLong()) * 1000 / ticks); // utime, stime
    }
    return snapshot;
}

qint64 cpuUsedMs(const CpuSnapshot &before, const CpuSnapshot &after)
{
    qint64 used = 0;
    for (auto it = after.cbegin(); it != after.cend(); ++it)
        used += it.value() - before.value(it.key(), 0);
    return used;
}

qint64 postgresTransactions(const Store::Database &db)
{
    QSqlQuery query(db.sql());
    query.exec(QStringLiteral("SELECT pg_stat_clear_snapshot()"));
    return scalar(db,
                  QStringLiteral("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                                 "WHERE datname = current_database()"));
}

qint64 peakRssKb(qint64 pid)
{
    const QByteArray status = readProc(QStringLiteral("/proc/%1/status").arg(pid));
    const qsizetype at = status.indexOf("VmHWM:");
    if (at < 0)
        return -1;
    return status.mid(at + 6, status.indexOf('\n', at) - at - 6).trimmed().split(' ').value(0).toLongLong();
}

} // namespace Docpipe::Test
