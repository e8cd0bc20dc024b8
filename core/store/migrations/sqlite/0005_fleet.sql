-- A fleet of workers. A job whose worker was lost (its lease expired) is rescued back to its
-- checkpoint; the count bounds that, so a job that kills every worker that takes it fails as
-- worker_lost instead of looping. Workers say which Docpipe they run; state is running, draining
-- (an operator asked it to finish what it holds and take nothing new) or stopped.
ALTER TABLE jobs ADD COLUMN rescues INTEGER NOT NULL DEFAULT 0;
ALTER TABLE workers ADD COLUMN version TEXT NOT NULL DEFAULT '';
CREATE INDEX workers_heartbeat ON workers (heartbeat_at);
CREATE INDEX job_events_worker ON job_events (worker, at);
