// The retrieval test: a query embedded with the embedder that embedded the chunks, compared by
// cosine similarity with every current chunk of that embedding space, the best k returned with
// their documents, pages and texts. Blocking (it may call an embedding service): run it off the
// GUI thread. The CLI's `search` and the window's Search panel both end here.
#pragma once

#include "searchindex.h"
#include "stages/embedding/embedder.h"

#include <QList>
#include <QString>

namespace Docpipe::Search {

struct SearchRequest
{
    QString query;
    int k = 10;
    QString document = {}; // only chunks of documents of this name (empty: all)
};

struct SearchHit
{
    double score = 0;
    QString document;
    qint64 jobId = 0;
    int index = 0;
    int pageStart = 1;
    int pageEnd = 1;
    QString text;
};

struct SearchAnswer
{
    QList<SearchHit> hits; // best first
    QString model; // the embedding space searched
    int dims = 0;
    bool lexical = false; // the local embedder: shared words, not meaning
    qsizetype searched = 0; // chunks in that space
    qsizetype otherSpaces = 0; // chunks embedded by other models (or dimensions), not compared
};

// True for Docpipe's local lexical-hash embedder.
bool isLexicalModel(const QString &model);

// Errors: empty_query; search_model_mismatch (every stored chunk was embedded by another model or
// at another dimension count); the embedder's own; database errors.
Result<SearchAnswer> search(const Store::Database &db, SearchIndex &index, const Stages::Embedder &embedder,
                            const SearchRequest &request, const StageContext &context = {});

} // namespace Docpipe::Search
