#include "tokencounter.h"

#include "cl100ktokenizer.h"
#include "tokenestimator.h"

namespace Docpipe::Stages {

int countTokens(QStringView text, Docpipe::TokenCounting counting)
{
    return counting == Docpipe::TokenCounting::Cl100k ? countCl100kTokens(text) : estimateTokens(text);
}

int countTokens(QStringView text, Docpipe::TokenCounting counting, int limit)
{
    return counting == Docpipe::TokenCounting::Cl100k ? countCl100kTokens(text, limit) : estimateTokens(text);
}

} // namespace Docpipe::Stages
