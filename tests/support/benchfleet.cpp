#include "benchfleet.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace Docpipe::Test {

namespace {

void exec(const Store::Database &db, const QString &sql)
{
    QSqlQuery query(db.sql());
    if (!query.exec(sql))
        qFatal("%s: %s", qPrintable(sql.left(200)), qPrintable(query.lastError().text()));
}

} // namespace

void fillFleet(const Store::Database &db, int jobs)
{
    const QString now = Store::serverNowSql(db.dialect());
    const QString series
        = QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) ").arg(jobs);
    Store::Transaction tx(db);
    exec(db,
         series
             + QStringLiteral("INSERT INTO documents (sha256, size_bytes, mime_type, created_at) "
                              "SELECT 'sha-' || i, 100, 'text/plain', 0 FROM n"));
    // 90% embedded, 5% failed, 4% waiting at a checkpoint, 1% running; spread over two days.
    exec(db,
         series
             + QStringLiteral(
                   "INSERT INTO jobs (document_id, name, source_path, stage, status, created_at, updated_at, "
                   "stage_started_at) "
                   "SELECT i, 'doc-' || i, '/in/doc-' || i, "
                   "CASE WHEN i % 100 < 90 THEN 'embedded' WHEN i % 100 < 95 THEN 'parsing' WHEN i % 100 < 97 THEN "
                   "'uploaded' "
                   "WHEN i % 100 < 99 THEN 'chunks_buffered' ELSE 'embedding' END, "
                   "CASE WHEN i % 100 < 90 THEN 'done' WHEN i % 100 < 95 THEN 'failed' WHEN i % 100 < 99 THEN 'queued' "
                   "ELSE 'running' END, %1 - i * 1700, %1 - i * 1700, %1 - i * 1700 FROM n")
                   .arg(now));
    const QStringList kinds{QStringLiteral("created"),    QStringLiteral("transition"), QStringLiteral("transition"),
                            QStringLiteral("transition"), QStringLiteral("transition"), QStringLiteral("transition"),
                            QStringLiteral("retry"),      QStringLiteral("transition")};
    for (int k = 0; k < kinds.size(); ++k)
        exec(db,
             series
                 + QStringLiteral("INSERT INTO job_events (job_id, at, kind, from_stage, to_stage, code) "
                                  "SELECT i, %1 - i * 1700 + %2, '%3', 'embedding', 'embedded', "
                                  "CASE WHEN '%3' = 'retry' THEN 'timeout' END FROM n")
                       .arg(now)
                       .arg(k * 100)
                       .arg(kinds.at(k)));
    exec(db,
         QStringLiteral("INSERT INTO workers (id, host, pid, started_at, heartbeat_at, state) "
                        "VALUES ('bench', 'h', 1, %1, %1, 'running')")
             .arg(now));
    tx.commit();
    exec(db, QStringLiteral("ANALYZE jobs"));
    exec(db, QStringLiteral("ANALYZE job_events"));
}

} // namespace Docpipe::Test
