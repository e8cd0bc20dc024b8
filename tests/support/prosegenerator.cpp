// Sentence patterns over small word lists; QRandomGenerator with a fixed seed makes the same
// text on every machine.
#include "prosegenerator.h"

namespace Docpipe::Test {

namespace {

const QStringList &nouns()
{
    static const QStringList words
        = QStringLiteral("harbour committee engineer river report village library station market garden council "
                         "teacher winter budget railway museum factory bridge farmer journey season process network "
                         "archive museum painter orchard valley lighthouse ferry workshop theatre province survey "
                         "harvest mill canal record")
              .split(u' ');
    return words;
}

const QStringList &adjectives()
{
    static const QStringList words
        = QStringLiteral("quiet northern careful ancient modest busy narrow annual remarkable steady practical "
                         "familiar distant gentle crowded patient unusual generous local formal")
              .split(u' ');
    return words;
}

const QStringList &verbs()
{
    static const QStringList words
        = QStringLiteral("reviewed described repaired visited measured announced explained delayed recorded "
                         "improved questioned welcomed organised studied replaced")
              .split(u' ');
    return words;
}

const QStringList &adverbs()
{
    static const QStringList words
        = QStringLiteral("slowly carefully finally quietly recently openly clearly briefly gradually usually")
              .split(u' ');
    return words;
}

const QStringList &connectors()
{
    static const QStringList words
        = QStringLiteral("because|although|while|after|before|since|even though|as soon as").split(u'|');
    return words;
}

QString capitalised(QString s)
{
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s;
}

} // namespace

ProseGenerator::ProseGenerator(quint32 seed)
    : m_random(seed)
{ }

QString ProseGenerator::pick(const QStringList &words)
{
    return words.at(int(m_random.bounded(quint32(words.size()))));
}

QString ProseGenerator::word()
{
    return pick(nouns());
}

QString ProseGenerator::title()
{
    return QStringLiteral("The ") + capitalised(pick(adjectives())) + u' ' + capitalised(pick(nouns())) + u' '
        + capitalised(pick(nouns()));
}

QString ProseGenerator::sentence()
{
    const QString subject = QStringLiteral("the ") + pick(adjectives()) + u' ' + pick(nouns());
    const QString object = QStringLiteral("the ") + pick(nouns());
    switch (m_random.bounded(4)) {
    case 0:
        return capitalised(subject) + u' ' + pick(verbs()) + u' ' + object + u'.';
    case 1:
        return capitalised(subject) + u' ' + pick(adverbs()) + u' ' + pick(verbs()) + u' ' + object + u' '
            + pick(connectors()) + QStringLiteral(" the ") + pick(nouns()) + QStringLiteral(" was ")
            + pick(adjectives()) + u'.';
    case 2:
        return QStringLiteral("In the ") + pick(adjectives()) + u' ' + pick(nouns()) + u", " + subject + u' '
            + pick(verbs()) + u' ' + object + QStringLiteral(" and the ") + pick(nouns()) + u'.';
    default:
        return capitalised(pick(connectors())) + u' ' + subject + QStringLiteral(" was ") + pick(adjectives()) + u", "
            + object + u' ' + pick(verbs()) + QStringLiteral(" the ") + pick(nouns()) + u' ' + pick(adverbs()) + u'.';
    }
}

QString ProseGenerator::paragraph(int sentences)
{
    QStringList parts;
    for (int i = 0; i < sentences; ++i)
        parts << sentence();
    return parts.join(u' ');
}

} // namespace Docpipe::Test
