#include "mockvectors.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace Docpipe::Services {

Vector mockEmbedding(const QString &text, int dimensions)
{
    const QByteArray hash = QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
    quint32 seed[8];
    std::memcpy(seed, hash.constData(), sizeof seed);
    QRandomGenerator random(seed, 8);
    Vector vector(std::max(1, dimensions));
    double norm = 0;
    for (float &value : vector) {
        value = float(random.generateDouble() * 2.0 - 1.0);
        norm += double(value) * double(value);
    }
    const double scale = norm > 0 ? 1.0 / std::sqrt(norm) : 1.0;
    for (float &value : vector)
        value = float(double(value) * scale);
    return vector;
}

} // namespace Docpipe::Services
