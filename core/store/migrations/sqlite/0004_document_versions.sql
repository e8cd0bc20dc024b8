-- Documents with an identity and versions. A source is what a person calls "the document": a
-- file's path, or a name given through an API. Each job is one version of a source (a content
-- hash); the source's current job is the version whose chunks are in the chunks table.
CREATE TABLE watched_folders (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    on_delete TEXT NOT NULL DEFAULT 'remove',
    added_at INTEGER NOT NULL
);

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    source_key TEXT NOT NULL UNIQUE,
    folder_id INTEGER,
    latest_version INTEGER NOT NULL DEFAULT 0,
    current_job_id INTEGER,
    file_size INTEGER,
    file_mtime INTEGER,
    removed_at INTEGER
);
CREATE INDEX sources_folder ON sources (folder_id);

ALTER TABLE jobs ADD COLUMN source_id INTEGER REFERENCES sources(id);
ALTER TABLE jobs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX jobs_source ON jobs (source_id, version);

-- Jobs made before versions: one source per path, versions in the order the jobs were made.
INSERT INTO sources (source_key) SELECT DISTINCT source_path FROM jobs;
UPDATE jobs SET source_id = (SELECT s.id FROM sources s WHERE s.source_key = jobs.source_path);
UPDATE jobs SET version = (SELECT COUNT(*) FROM jobs o WHERE o.source_id = jobs.source_id AND o.id <= jobs.id);
UPDATE sources SET latest_version = (SELECT MAX(j.version) FROM jobs j WHERE j.source_id = sources.id),
    current_job_id = (SELECT MAX(j.id) FROM jobs j WHERE j.source_id = sources.id AND j.status = 'done');
