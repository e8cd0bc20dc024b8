// JSON shapes of store records: the contract of `docpipe-cli ... --json` and of exports.
#pragma once

#include "jobqueries.h"
#include "records.h"

#include <QJsonObject>

namespace Docpipe::Store {

QString isoTime(qint64 ms);

// {"id","document","stage","status","attempts","error_code","error_message","pages","chunks","updated_at"}
QJsonObject jobToJson(const JobRecord &job);
// {"id","job","document","at","kind","from_stage","to_stage","code","message","worker","duration_ms"}
QJsonObject eventToJson(const JobEvent &event);
// {"stages":{"<stage>":n,...},"failed":n,"cancelled":n,"total":n}
QJsonObject statusToJson(const StatusCounts &counts);

} // namespace Docpipe::Store
