// The embedding stage's seam: a batch of chunk texts in, one vector per text out.
#pragma once

#include "model/document.h"
#include "model/result.h"
#include "stages/stagecontext.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Docpipe::Stages {

class Embedder
{
public:
    virtual ~Embedder() = default;
    virtual QString model() const = 0;
    virtual int dimensions() const = 0;
    // Upper bound on texts per embed() call; the engine batches by it.
    virtual int maxBatchSize() const = 0;
    // Upper bound on estimated tokens per embed() call (summed); the engine batches by it too.
    virtual int maxBatchTokens() const { return 1 << 30; }
    // Called from worker threads, possibly several at once. Returns exactly texts.size()
    // vectors of dimensions() floats each, in order, or the error that stopped the batch.
    virtual Result<QList<Vector>> embed(const QStringList &texts, const StageContext &context) const = 0;
};

} // namespace Docpipe::Stages
