-- Fencing: every claim takes the next lease token, and every write a worker makes for the job
-- checks it, so a worker whose lease was taken over cannot write, even if the same worker id
-- claims the job again later.
ALTER TABLE jobs ADD COLUMN lease_token BIGINT NOT NULL DEFAULT 0;
