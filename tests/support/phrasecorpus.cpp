#include "phrasecorpus.h"

#include "prosegenerator.h"

#include <QDir>
#include <QFile>
#include <QStringList>

namespace Docpipe::Test {

namespace {

QStringList words(const char *list)
{
    return QString::fromLatin1(list).split(u' ');
}

} // namespace

QString distinctivePhrase(int n)
{
    static const QStringList colours = words("turquoise saffron crimson cobalt ivory emerald");
    static const QStringList animals = words("pelican walrus lynx heron otter gecko");
    static const QStringList actions = words("juggles polishes smuggles serenades");
    static const QStringList things = words("accordions teaspoons telescopes snowglobes");
    // Neighbouring documents share a colour, an animal or an action; no two share all four words.
    return QStringLiteral("%1 %2 %3 %4")
        .arg(colours.at(n % colours.size()), animals.at((n / 2) % animals.size()), actions.at((n / 3) % actions.size()),
             things.at((n / 5 + n) % things.size()));
}

QList<PhraseDocument> writePhraseCorpus(const QString &dir, int count, quint32 seed, int paragraphs)
{
    QDir().mkpath(dir);
    ProseGenerator prose(seed);
    QList<PhraseDocument> documents;
    for (int n = 0; n < count; ++n) {
        PhraseDocument document;
        document.name = QStringLiteral("phrase-%1.txt").arg(n, 3, 10, QChar(u'0'));
        document.path = QDir(dir).filePath(document.name);
        document.phrase = distinctivePhrase(n);
        QStringList text;
        for (int p = 0; p < paragraphs; ++p) {
            QString paragraph = prose.paragraph(6);
            if (p == paragraphs / 2)
                paragraph += QStringLiteral(" In the end the %1 at dawn.").arg(document.phrase);
            text << paragraph;
        }
        QFile file(document.path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(document.path));
        file.write(text.join(QStringLiteral("\n\n")).toUtf8());
        documents << document;
    }
    return documents;
}

} // namespace Docpipe::Test
