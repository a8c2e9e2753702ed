DROP TABLE customer_duplicate_overrides;
DROP INDEX customers_keys_version;
ALTER TABLE customers DROP COLUMN keys_version;
DROP TABLE customer_keys;
