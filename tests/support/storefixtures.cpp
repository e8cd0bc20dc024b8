#include "storefixtures.h"

#include "store/documentstore.h"
#include "store/jobqueue.h"

#include <QFile>
#include <QSqlQuery>

namespace Docpipe::Test {

QString writeFile(const QString &dir, const QString &name, const QByteArray &bytes)
{
    QFile file(dir + u'/' + name);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write test file");
    file.write(bytes);
    return file.fileName();
}

qint64 ingest(const Store::Database &db, const QString &path, bool force)
{
    Store::IngestOptions options;
    options.force = force;
    auto result = Store::ingestFile(db, path, options);
    if (!result)
        qFatal("ingest failed: %s", qPrintable(result.error().message));
    return result.value().jobId;
}

int countRows(const Store::Database &db, const QString &sql)
{
    QSqlQuery query(db.sql());
    if (!query.exec(sql) || !query.next())
        qFatal("count failed: %s", qPrintable(sql));
    return query.value(0).toInt();
}

ParsedDocument twoPages()
{
    ParsedDocument doc;
    doc.type = QStringLiteral("text");
    doc.pages = {{1, QStringLiteral("first page")}, {2, QStringLiteral("second page")}};
    return doc;
}

QList<Chunk> threeChunks()
{
    QList<Chunk> chunks;
    for (int i = 0; i < 3; ++i)
        chunks.append({i, QStringLiteral("chunk %1").arg(i), 3, 1, 2, i * 10, i * 10 + 7});
    return chunks;
}

Store::JobRecord claimOrFail(const Store::Database &db, Stage stage, const QString &worker, qint64 leaseMs)
{
    auto claimed = Store::claimNext(db, stage, worker, leaseMs);
    if (!claimed || !claimed.value())
        qFatal("expected to claim a job in %s", qPrintable(stageName(stage)));
    return *claimed.value();
}

} // namespace Docpipe::Test
