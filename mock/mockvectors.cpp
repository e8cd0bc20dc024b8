#include "mockvectors.h"

#include <QCryptographicHash>
#include <QMap>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace Docpipe::Services {

namespace {

quint64 splitmix(quint64 x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

quint64 seedOf(const QString &feature)
{
    const QByteArray hash = QCryptographicHash::hash(feature.toUtf8(), QCryptographicHash::Sha256);
    quint64 seed = 0;
    std::memcpy(&seed, hash.constData(), sizeof seed);
    return seed;
}

// Lowercased runs of letters and digits, counted; a text without any is one feature, itself.
QMap<QString, int> featuresOf(const QString &text)
{
    QMap<QString, int> counts; // sorted: the sum runs in one order everywhere, so vectors match bit for bit
    QString word;
    const auto flush = [&] {
        if (!word.isEmpty())
            ++counts[word.toLower()];
        word.clear();
    };
    for (const QChar c : text) {
        if (c.isLetterOrNumber())
            word += c;
        else
            flush();
    }
    flush();
    if (counts.isEmpty())
        counts.insert(text, 1);
    return counts;
}

} // namespace

Vector mockEmbedding(const QString &text, int dimensions)
{
    const int dims = std::max(1, dimensions);
    std::vector<double> sum(size_t(dims), 0.0);
    const QMap<QString, int> features = featuresOf(text);
    for (auto it = features.cbegin(); it != features.cend(); ++it) {
        // Component i of a feature's direction depends on the feature and i only: the prefix property.
        const quint64 seed = seedOf(it.key());
        const double weight = 1.0 + std::log(double(it.value()));
        for (int i = 0; i < dims; ++i)
            sum[size_t(i)] += weight * (double(splitmix(seed + quint64(i)) >> 11) * 0x1.0p-53 * 2.0 - 1.0);
    }
    double norm = 0;
    for (const double value : sum)
        norm += value * value;
    const double scale = norm > 0 ? 1.0 / std::sqrt(norm) : 1.0;
    Vector vector(dims);
    for (int i = 0; i < dims; ++i)
        vector[i] = float(sum[size_t(i)] * scale);
    return vector;
}

} // namespace Docpipe::Services
