ALTER TABLE audit_log DROP COLUMN import_id;
DROP TABLE import_templates;
DROP TABLE import_rows;
DROP TABLE imports;
