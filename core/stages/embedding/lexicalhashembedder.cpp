// Feature hashing: every feature's 64-bit hash picks a dimension (high bits) and a sign (low
// bit); signs make collisions cancel on average instead of piling up.
#include "lexicalhashembedder.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace Docpipe::Stages {
namespace {

constexpr quint64 kFnvOffset = 14695981039346656037ULL;
constexpr quint64 kFnvPrime = 1099511628211ULL;

quint64 fnv1a(quint64 hash, unsigned char byte)
{
    return (hash ^ byte) * kFnvPrime;
}

// FNV-1a 64 over the UTF-8 encoding of code point.
quint64 hashCodePoint(quint64 hash, char32_t c)
{
    if (c < 0x80)
        return fnv1a(hash, static_cast<unsigned char>(c));
    if (c < 0x800)
        return fnv1a(fnv1a(hash, 0xC0 | (c >> 6)), 0x80 | (c & 0x3F));
    if (c < 0x10000)
        return fnv1a(fnv1a(fnv1a(hash, 0xE0 | (c >> 12)), 0x80 | ((c >> 6) & 0x3F)), 0x80 | (c & 0x3F));
    return fnv1a(fnv1a(fnv1a(fnv1a(hash, 0xF0 | (c >> 18)), 0x80 | ((c >> 12) & 0x3F)), 0x80 | ((c >> 6) & 0x3F)),
                 0x80 | (c & 0x3F));
}

// A stable mix for combining two word hashes into a bigram feature (splitmix64's finaliser).
quint64 mix(quint64 x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

// Scripts written without spaces: each character is a word of its own.
bool isIdeographic(char32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

bool isWordCharacter(char32_t c)
{
    return QChar::isLetterOrNumber(c) || QChar::isMark(c);
}

// Hashes of the text's lowercased words, in order.
QList<quint64> wordHashes(QStringView text)
{
    QList<quint64> words;
    quint64 hash = kFnvOffset;
    bool inWord = false;
    const auto endWord = [&] {
        if (inWord)
            words.append(hash);
        hash = kFnvOffset;
        inWord = false;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate())
            c = QChar::surrogateToUcs4(char16_t(c), text[++i].unicode());
        if (isIdeographic(c)) {
            endWord();
            words.append(hashCodePoint(kFnvOffset, c));
            continue;
        }
        if (!isWordCharacter(c)) {
            endWord();
            continue;
        }
        hash = hashCodePoint(hash, QChar::toCaseFolded(c));
        inWord = true;
    }
    endWord();
    return words;
}

// Fallback features for a text without words: its non-space characters; then a reserved one.
QList<quint64> fallbackHashes(QStringView text)
{
    QList<quint64> features;
    for (QChar c : text) {
        if (!c.isSpace())
            features.append(mix(hashCodePoint(kFnvOffset, c.unicode()) ^ 0x5EED));
    }
    return features;
}

quint64 emptyTextFeature()
{
    return mix(0xE3B0C44298FC1C14ULL); // an arbitrary constant, fixed forever for v1
}

} // namespace

LexicalHashEmbedder::LexicalHashEmbedder(int dimensions)
    : m_dimensions(std::max(1, dimensions))
{ }

QString LexicalHashEmbedder::model() const
{
    return QStringLiteral("docpipe-lexical-hash-v1");
}

Vector LexicalHashEmbedder::embedText(QStringView text) const
{
    // Ordered, so features are summed in the same order in every process: QHash's per-process
    // seed would change float rounding, and the same text must give the same bits everywhere.
    std::map<quint64, int> counts;
    const QList<quint64> words = wordHashes(text);
    for (qsizetype i = 0; i < words.size(); ++i) {
        ++counts[mix(words[i])];
        if (i > 0)
            ++counts[mix(words[i - 1] * 31 + mix(words[i]))];
    }
    if (counts.empty()) {
        for (quint64 feature : fallbackHashes(text))
            ++counts[feature];
    }
    Vector vector(m_dimensions, 0.0f);
    double norm = 0;
    for (int pass = 0; pass < 2 && norm == 0; ++pass) {
        if (pass == 1) { // nothing at all, or every feature cancelled out
            counts.clear();
            counts.emplace(emptyTextFeature(), 1);
        }
        std::fill(vector.begin(), vector.end(), 0.0f);
        for (const auto &[feature, count] : counts) {
            const float weight = 1.0f + std::log(float(count));
            vector[int((feature >> 32) % quint64(m_dimensions))] += (feature & 1) ? -weight : weight;
        }
        norm = 0;
        for (float value : vector)
            norm += double(value) * value;
    }
    const float scale = float(1.0 / std::sqrt(norm));
    for (float &value : vector)
        value *= scale;
    return vector;
}

Result<QList<Vector>> LexicalHashEmbedder::embed(const QStringList &texts, const StageContext &context) const
{
    QList<Vector> vectors;
    vectors.reserve(texts.size());
    for (const QString &text : texts) {
        if (vectors.size() % 32 == 0 && context.cancelled())
            return StageError::transient(QStringLiteral("cancelled"), QStringLiteral("Embedding was cancelled."));
        vectors.append(embedText(text));
    }
    return vectors;
}

} // namespace Docpipe::Stages
