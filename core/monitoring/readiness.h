// Is this process ready for work? The one set of checks behind GET /readyz and
// `docpipe-cli check --json`: the configuration is usable, the database answers within a time
// limit, its schema is the one this program writes, the disks holding the database and the
// uploads have more free space than alerts/min_free_disk_mb, and no remote service is in a known
// outage or out of quota (a firing alert in the shared ledger).
#pragma once

#include "alerts/alertrules.h"
#include "config/config.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Docpipe::Monitoring {

namespace Check {
inline constexpr char Config[] = "config";
inline constexpr char Database[] = "database";
inline constexpr char Schema[] = "schema";
inline constexpr char Disk[] = "disk";
inline constexpr char Services[] = "services";
} // namespace Check

struct ReadinessCheck
{
    QString name; // Check::*
    bool ok = false;
    QString detail; // one line for a person; never a secret
};

struct ReadinessReport
{
    QList<ReadinessCheck> checks; // in Check order
    QList<Alerts::DiskReading> disks;
    int schemaVersion = -1; // -1: unknown
    qint64 databaseMs = -1; // how long the database took to answer

    bool ready() const;
    QStringList failing() const;
};

// Blocks for at most server/ready_db_timeout_ms on the database (it is asked on a thread of its
// own; a probe still waiting from an earlier call counts as not answering).
ReadinessReport checkReadiness(const Config &config);

// {"ready":bool,"failing":["disk",...],"checks":{"database":{"ok":true,"detail":"..."},...},
//  "schema_version":n,"disks":[{"path","free_bytes","total_bytes"}]}
QJsonObject readinessToJson(const ReadinessReport &report);

} // namespace Docpipe::Monitoring
