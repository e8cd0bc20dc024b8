// The token count that sizes chunks, by the counting the embedding model calls for (see
// TokenCounting in config.h): exact cl100k_base, or the conservative estimate.
#pragma once

#include "config/config.h"

#include <QStringView>

namespace Docpipe::Stages {

int countTokens(QStringView text, Docpipe::TokenCounting counting);
// Exact up to `limit`; above it, some number above `limit` (see countCl100kTokens).
int countTokens(QStringView text, Docpipe::TokenCounting counting, int limit);

} // namespace Docpipe::Stages
