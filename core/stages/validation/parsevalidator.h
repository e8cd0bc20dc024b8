// The check between parsing and chunking: is there real, readable text, and not too many pages?
#pragma once

#include "model/document.h"
#include "model/stageerror.h"

#include <optional>

namespace Docpipe::Stages {

struct ValidationLimits
{
    int maxPages = 10000;
    // A document fails as garbage when more than this share of its non-whitespace characters
    // are control characters, U+FFFD replacement characters, private-use characters,
    // noncharacters or unpaired surrogates. 30% leaves room for a scanned page's stray symbols
    // or a few undecodable bytes, and still catches binary data read as text (typically > 50%).
    double maxGarbageRatio = 0.30;
    // Below this many non-whitespace characters the ratio says little; only an all-garbage
    // text fails then.
    qint64 minCharactersForRatio = 20;
};

struct TextStats
{
    qint64 nonSpace = 0;
    qint64 garbage = 0;
};

// One linear pass over UTF-16 code units, no allocation.
TextStats measureText(QStringView text);

// Returns the permanent error that stops this document (empty_text, garbage_text,
// too_many_pages), or nothing when it may go on to chunking.
std::optional<StageError> validateParsed(const ParsedDocument &document, const ValidationLimits &limits = {});

} // namespace Docpipe::Stages
