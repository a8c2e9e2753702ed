ALTER TABLE lead_forms DROP COLUMN allowed_origins;
