// Internal to the store: the SELECT list for a job and how to read it back.
#pragma once

#include "jobqueries.h"
#include "records.h"

#include <QSqlQuery>
#include <QString>

namespace Docpipe::Store {

// Columns of `jobs j JOIN documents d ON d.id = j.document_id`, in the order readJobRow expects.
QString jobSelectColumns();
JobRecord readJobRow(const QSqlQuery &query);

// Columns of `chunks c JOIN jobs j ON j.id = c.job_id`, in the order readChunkRow expects.
QString chunkSelectColumns();
StoredChunk readChunkRow(const QSqlQuery &query);

} // namespace Docpipe::Store
