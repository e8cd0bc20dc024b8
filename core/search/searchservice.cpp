#include "searchservice.h"

#include <QFuture>

namespace Docpipe::Search {

SearchService::SearchService(const Store::Database &db, std::shared_ptr<const Stages::Embedder> embedder,
                             QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_embedder(std::move(embedder))
    , m_index(std::make_shared<SearchIndex>())
    , m_executor(std::make_unique<Store::StoreExecutor>())
{ }

SearchService::~SearchService()
{
    m_executor.reset(); // waits for a running query: it holds the index and the embedder
}

void SearchService::setEmbedder(std::shared_ptr<const Stages::Embedder> embedder)
{
    m_embedder = std::move(embedder);
}

void SearchService::search(const SearchRequest &request)
{
    const quint64 id = ++m_latest;
    ++m_pending;
    struct Outcome
    {
        SearchAnswer answer;
        QString error; // empty: answered
    };
    auto run = [db = m_db, index = m_index, embedder = m_embedder, request] {
        auto answer = Search::search(db, *index, *embedder, request);
        return answer ? Outcome{answer.value(), {}} : Outcome{{}, answer.error().message};
    };
    m_executor->run(std::move(run)).then(this, [this, id, request](const Outcome &outcome) {
        --m_pending;
        if (id != m_latest)
            return;
        if (outcome.error.isEmpty())
            Q_EMIT answered(request, outcome.answer);
        else
            Q_EMIT failed(request, outcome.error);
    });
}

} // namespace Docpipe::Search
