-- Docpipe schema v1 (SQLite). Times are milliseconds since the Unix epoch.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    size_bytes INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    content BLOB,
    created_at INTEGER NOT NULL
);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    name TEXT NOT NULL,
    source_path TEXT NOT NULL,
    doc_type TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_expires INTEGER,
    error_code TEXT,
    error_message TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    chunks INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    stage_started_at INTEGER NOT NULL
);
CREATE INDEX jobs_claim ON jobs (status, stage, priority DESC, id);
CREATE INDEX jobs_document ON jobs (document_id);
CREATE INDEX jobs_lease ON jobs (lease_owner);
CREATE INDEX jobs_updated ON jobs (updated_at);

CREATE TABLE job_events (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    from_stage TEXT,
    to_stage TEXT,
    code TEXT,
    message TEXT,
    worker TEXT,
    duration_ms INTEGER
);
CREATE INDEX job_events_job ON job_events (job_id, id);
CREATE INDEX job_events_at ON job_events (at);

CREATE TABLE parsed_pages (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    page_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (job_id, page_no)
);

CREATE TABLE chunk_buffer (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    page_start INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    PRIMARY KEY (job_id, idx)
);

CREATE TABLE vector_buffer (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    model TEXT NOT NULL,
    dims INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (job_id, idx)
);

CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    page_start INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    model TEXT NOT NULL,
    dims INTEGER NOT NULL,
    vector BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (job_id, idx)
);

CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    state TEXT NOT NULL
);

CREATE TABLE control (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
