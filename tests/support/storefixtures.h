// Small building blocks for tests that drive the job queue by hand: a file to ingest, a job
// claimed or it fails, canned parse and chunk results, a row count.
#pragma once

#include "model/document.h"
#include "store/database.h"
#include "store/records.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Docpipe::Test {

QString writeFile(const QString &dir, const QString &name, const QByteArray &bytes);
qint64 ingest(const Store::Database &db, const QString &path, bool force = false);
int countRows(const Store::Database &db, const QString &sql);
ParsedDocument twoPages();
QList<Chunk> threeChunks();
Store::JobRecord claimOrFail(const Store::Database &db, Stage stage, const QString &worker, qint64 leaseMs = 30000);

} // namespace Docpipe::Test
