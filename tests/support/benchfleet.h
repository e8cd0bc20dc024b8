// A big fleet for benchmarks: `jobs` jobs (90% embedded, 5% failed, 4% waiting at a checkpoint,
// 1% running, spread over two days) with eight events each and one live worker, made by the
// database itself (a recursive series), so 100,000 jobs take seconds. On a migrated database.
#pragma once

#include "store/database.h"

namespace Docpipe::Test {

void fillFleet(const Store::Database &db, int jobs);

} // namespace Docpipe::Test
