// The parsing stage's seam: bytes of one document in, per-page text out.
#pragma once

#include "model/document.h"
#include "model/result.h"
#include "stages/stagecontext.h"

#include <QByteArray>
#include <QString>

namespace Docpipe::Stages {

struct ParseRequest
{
    QByteArray bytes;
    QString fileName; // as dropped; a hint only, the type comes from the content
};

class DocumentParser
{
public:
    virtual ~DocumentParser() = default;
    // Called from worker threads, possibly several at once: implementations keep no mutable
    // shared state (or guard it).
    virtual Result<ParsedDocument> parse(const ParseRequest &request, const StageContext &context) const = 0;
    virtual QString name() const = 0;
};

} // namespace Docpipe::Stages
