-- Fleet-level alerts. One row per alert key: the rule and what it is about ("failure_rate",
-- "queue_growing:embedding", "disk_low@host:/var/lib/docpipe"). Firing and resolving are
-- compare-and-set on `state`, so when several workers evaluate the same rule on one database
-- only one of them fires it (and only one resolves it): one event, one webhook.
CREATE TABLE alerts (
    key TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    state TEXT NOT NULL, -- firing | resolved
    severity TEXT NOT NULL, -- warning | critical
    summary TEXT NOT NULL,
    fired_at INTEGER NOT NULL,
    resolved_at INTEGER,
    worker TEXT NOT NULL -- who fired it, then who resolved it
);
CREATE INDEX alerts_state ON alerts (state);

-- What happened to the fleet rather than to one job (job_events.job_id is NOT NULL).
CREATE TABLE fleet_events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL, -- alert_fired | alert_resolved
    alert_key TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    worker TEXT NOT NULL
);
CREATE INDEX fleet_events_at ON fleet_events (at);

-- The stuck-job rule asks for the oldest job still waiting or running.
CREATE INDEX jobs_status_age ON jobs (status, stage_started_at);
