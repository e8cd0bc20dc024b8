// The window's way to search: queries run one at a time on a thread of their own (which also owns
// the in-memory index and its database connection), answers come back as signals on the owner's
// thread. A newer query does not wait for an older one's answer to be shown: stale answers are
// dropped.
#pragma once

#include "retrieval.h"
#include "store/database.h"
#include "store/storeexecutor.h"

#include <QObject>

#include <memory>

namespace Docpipe::Search {

class SearchService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SearchService)

public:
    SearchService(const Store::Database &db, std::shared_ptr<const Stages::Embedder> embedder,
                  QObject *parent = nullptr);
    ~SearchService() override;

    // The embedder queries are embedded with from now on (settings were saved).
    void setEmbedder(std::shared_ptr<const Stages::Embedder> embedder);
    void search(const SearchRequest &request);
    bool isBusy() const { return m_pending > 0; }

Q_SIGNALS:
    void answered(const Docpipe::Search::SearchRequest &request, const Docpipe::Search::SearchAnswer &answer);
    void failed(const Docpipe::Search::SearchRequest &request, const QString &message);

private:
    Store::Database m_db;
    std::shared_ptr<const Stages::Embedder> m_embedder;
    std::shared_ptr<SearchIndex> m_index; // touched only on the executor's thread
    std::unique_ptr<Store::StoreExecutor> m_executor;
    quint64 m_latest = 0;
    int m_pending = 0;
};

} // namespace Docpipe::Search
