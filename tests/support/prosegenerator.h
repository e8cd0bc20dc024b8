// Deterministic English-like prose for generated test documents: varied sentences built from
// word lists and sentence patterns, so parsers and chunkers see realistic text, not lorem ipsum.
#pragma once

#include <QRandomGenerator>
#include <QString>
#include <QStringList>

namespace Docpipe::Test {

class ProseGenerator final
{
public:
    explicit ProseGenerator(quint32 seed);

    QString sentence();
    QString paragraph(int sentences);
    QString title(); // "The Quiet Harbour Report"
    QString word(); // a noun, for table cells and names

private:
    QString pick(const QStringList &words);

    QRandomGenerator m_random;
};

} // namespace Docpipe::Test
