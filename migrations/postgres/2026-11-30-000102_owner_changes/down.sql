DROP TABLE customer_owner_changes;
