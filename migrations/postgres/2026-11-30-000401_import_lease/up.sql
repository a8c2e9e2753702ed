-- The lease of a running import: the node running it renews `heartbeat_at`
-- with each batch it commits. A running import whose heartbeat is older
-- than the lease is taken over by another node (its node died), which
-- continues from the first row not yet written.
ALTER TABLE imports ADD COLUMN heartbeat_at TIMESTAMP;
CREATE INDEX imports_running ON imports (status, heartbeat_at);
