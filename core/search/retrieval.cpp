#include "retrieval.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>

namespace Docpipe::Search {

namespace {

struct SearchText
{
    Q_DECLARE_TR_FUNCTIONS(Docpipe::Search)
};

QString spaceName(const QString &model, int dims)
{
    if (dims <= 0) // a remote model whose dimension count is learnt from its first answer
        return model;
    return SearchText::tr("%1 (%2 dimensions)").arg(model).arg(dims);
}

StageError mismatch(const QList<EmbeddingSpace> &stored, const QString &model, int dims)
{
    QStringList names;
    for (const EmbeddingSpace &space : stored)
        names << spaceName(space.model, space.dims);
    return StageError::permanent(
        QStringLiteral("search_model_mismatch"),
        SearchText::tr("The chunks were embedded with %1, but the query would be embedded with %2: vectors of "
                       "different models or dimensions cannot be compared. Search with the embedder that embedded "
                       "the chunks, or re-run the jobs with this one.")
            .arg(names.join(QStringLiteral(", ")), spaceName(model, dims)));
}

} // namespace

bool isLexicalModel(const QString &model)
{
    return model.startsWith(QLatin1String("docpipe-lexical"));
}

Result<SearchAnswer> search(const Store::Database &db, SearchIndex &index, const Stages::Embedder &embedder,
                            const SearchRequest &request, const StageContext &context)
{
    const QString query = request.query.trimmed();
    if (query.isEmpty())
        return StageError::permanent(QStringLiteral("empty_query"), SearchText::tr("Type what to search for."));
    if (auto synced = index.sync(db); !synced)
        return synced.error();

    SearchAnswer answer;
    answer.model = embedder.model();
    answer.lexical = isLexicalModel(answer.model);
    const QList<EmbeddingSpace> stored = index.vectors().spaces();
    if (stored.isEmpty())
        return answer; // nothing embedded yet: nothing to find, and nothing to embed the query for
    // Refuse before asking an embedding service for a vector that could not be compared anyway.
    const bool modelStored = std::any_of(stored.cbegin(), stored.cend(),
                                         [&](const EmbeddingSpace &space) { return space.model == answer.model; });
    if (!modelStored)
        return mismatch(stored, answer.model, embedder.dimensions());

    auto embedded = embedder.embed({query}, context);
    if (!embedded)
        return embedded.error();
    const Vector &vector = embedded.value().constFirst();
    answer.dims = int(vector.size());
    for (const EmbeddingSpace &space : stored) {
        if (space.model == answer.model && space.dims == answer.dims)
            answer.searched = space.chunks;
        else
            answer.otherSpaces += space.chunks;
    }
    if (answer.searched == 0)
        return mismatch(stored, answer.model, answer.dims);

    QSet<qint64> onlyJobs;
    if (!request.document.isEmpty()) {
        onlyJobs = index.jobsNamed(request.document);
        if (onlyJobs.isEmpty())
            return answer;
    }
    const QList<Hit> hits = index.vectors().nearest(answer.model, std::vector<float>(vector.cbegin(), vector.cend()),
                                                    std::max(1, request.k), onlyJobs);
    QList<qint64> ids;
    for (const Hit &hit : hits)
        ids << hit.chunk.chunkId;
    auto texts = Store::currentChunksByIds(db, ids);
    if (!texts)
        return texts.error();
    for (const Hit &hit : hits) {
        const auto row = texts.value().constFind(hit.chunk.chunkId);
        if (row == texts.value().cend()) // replaced since the index last looked
            continue;
        answer.hits.append({double(hit.score), row->document, hit.chunk.jobId, hit.chunk.index, hit.chunk.pageStart,
                            hit.chunk.pageEnd, row->chunk.text});
    }
    return answer;
}

} // namespace Docpipe::Search
