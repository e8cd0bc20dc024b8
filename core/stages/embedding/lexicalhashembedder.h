// An offline embedder for local use and tests: LEXICAL, not semantic. Texts that share words
// get similar vectors; synonyms and paraphrases do not. Signed feature hashing of lowercased
// word unigrams and bigrams (each CJK character counts as a word), tf weighted 1 + ln(count),
// L2-normalised. Deterministic across runs and platforms (FNV-1a 64 over UTF-8, never qHash),
// stateless and so safe to call from several threads at once.
#pragma once

#include "embedder.h"

#include <QStringView>

namespace Docpipe::Stages {

class LexicalHashEmbedder final : public Embedder
{
public:
    static constexpr int kDefaultDimensions = 384;

    explicit LexicalHashEmbedder(int dimensions = kDefaultDimensions);

    QString model() const override; // "docpipe-lexical-hash-v1"
    int dimensions() const override { return m_dimensions; }
    int maxBatchSize() const override { return 256; }
    Result<QList<Vector>> embed(const QStringList &texts, const StageContext &context) const override;

    // Always a unit vector. A text without letters or digits is embedded from its other
    // characters; an empty or whitespace-only text gets one fixed unit vector (the embedding of
    // a reserved feature), never a zero vector.
    Vector embedText(QStringView text) const;

private:
    int m_dimensions;
};

} // namespace Docpipe::Stages
