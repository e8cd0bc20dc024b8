// Deterministic English-like prose for chunker tests and benchmarks: sentences of common and
// rarer words with numbers and punctuation, grouped into paragraphs and pages.
#pragma once

#include "model/document.h"

#include <QList>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

namespace Docpipe::Test {

inline QString proseSentence(QRandomGenerator &random)
{
    static const QStringList words
        = QStringLiteral(
              "the of and to in is was that for on are with as his they be at one have this from or had by "
              "word but what some we can out other were all there when up use your how said an each she which "
              "do their time if will way about many then them write would like so these her long make thing see "
              "him two has look more day could go come did number sound no most people my over know water than "
              "call first who may down side been now find committee proposal quarterly photosynthesis "
              "infrastructure municipality acknowledgement counterintuitive interoperability archaeological "
              "well-known state-of-the-art e-mail co-operate Thessaloniki Okonkwo Szczepański café naïve")
              .split(u' ');
    const int length = 5 + int(random.bounded(20));
    QString sentence;
    for (int i = 0; i < length; ++i) {
        QString word = words[random.bounded(int(words.size()))];
        if (i == 0)
            word[0] = word[0].toUpper();
        else
            sentence += u' ';
        sentence += word;
        const quint32 roll = random.bounded(100);
        if (roll < 6 && i + 1 < length)
            sentence += u',';
        else if (roll < 8)
            sentence += u' ' + QString::number(random.bounded(5000));
    }
    static const QStringList enders
        = {QStringLiteral("."), QStringLiteral("."), QStringLiteral("!"), QStringLiteral("?"), QStringLiteral(".\"")};
    return sentence + enders[random.bounded(int(enders.size()))];
}

inline QString proseParagraph(QRandomGenerator &random)
{
    QStringList sentences;
    const int count = 2 + int(random.bounded(7));
    for (int i = 0; i < count; ++i)
        sentences.append(proseSentence(random));
    return sentences.join(u' ');
}

// pages of about wordsPerPage words, paragraphs separated by blank lines; every fourth page
// begins with a Markdown heading when withHeadings.
inline QList<Docpipe::ParsedPage> prosePages(int pageCount, int wordsPerPage, bool withHeadings, quint32 seed = 42)
{
    QRandomGenerator random(seed);
    QList<Docpipe::ParsedPage> pages;
    for (int p = 0; p < pageCount; ++p) {
        QStringList paragraphs;
        if (withHeadings && p % 4 == 0)
            paragraphs.append(QStringLiteral("# Part %1").arg(p / 4 + 1));
        qsizetype words = 0;
        while (words < wordsPerPage) {
            paragraphs.append(proseParagraph(random));
            words += paragraphs.last().count(u' ') + 1;
        }
        pages.append({p + 1, paragraphs.join(QStringLiteral("\n\n"))});
    }
    return pages;
}

} // namespace Docpipe::Test
