DROP TABLE customer_stage_changes;
