DROP INDEX customers_merged_into;
ALTER TABLE customers DROP COLUMN merged_into_id;
