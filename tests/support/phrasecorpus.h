// A corpus for retrieval tests: text documents of generated prose, each with one distinctive
// phrase. The phrases share single words with each other (so a search must match the phrase,
// not one word), and none of their words occur in the generated prose.
#pragma once

#include <QList>
#include <QString>

namespace Docpipe::Test {

struct PhraseDocument
{
    QString name; // file name, as the job is named
    QString path;
    QString phrase;
};

// Writes `count` documents of about `paragraphs` paragraphs into `dir` (created if needed).
QList<PhraseDocument> writePhraseCorpus(const QString &dir, int count, quint32 seed, int paragraphs = 8);

// The distinctive phrase of document number `n` (0-based) of any such corpus.
QString distinctivePhrase(int n);

} // namespace Docpipe::Test
