-- 合并: a customer merged into another is retired (deleted_at set, so every
-- live read skips it) and remembers the survivor, so that its id still leads
-- there. Merging into a record that was itself a survivor re-points the
-- older retirees too, so the way to the survivor is always one step.
-- No REFERENCES here (PostgreSQL has one): SQLite could not drop the column
-- again in down.sql, and only the merge, in one transaction, writes it.
ALTER TABLE customers ADD COLUMN merged_into_id TEXT;
CREATE INDEX customers_merged_into ON customers (merged_into_id) WHERE merged_into_id IS NOT NULL;
