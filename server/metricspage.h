// GET /metrics: Prometheus text exposition of the fleet (from the shared database: every worker
// reports the same numbers, which survive restarts) and of this process (CPU, memory, file
// descriptors, its remote calls and rate-limit waits, free disk on this host).
#pragma once

#include "config/config.h"
#include "monitoring/eventtally.h"
#include "store/database.h"

#include <QByteArray>
#include <QString>

namespace Docpipe::Server {

class MetricsPage final
{
public:
    // role: worker | serve | window (the docpipe_build_info label).
    MetricsPage(const Config &config, const QString &role);

    // The exposition, or an error when the database cannot be read (then the caller answers 503).
    Result<QByteArray> render();

private:
    Config m_config;
    QString m_role;
    Store::Database m_db;
    Monitoring::EventTally m_tally;
};

} // namespace Docpipe::Server
