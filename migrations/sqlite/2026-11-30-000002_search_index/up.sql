-- Substring search without a full scan: an FTS5 index with the trigram
-- tokenizer over customers.search_text (already lower-cased). A query of three
-- or more characters is a MATCH on it; shorter ones (common in Chinese) keep
-- LIKE within the caller's scope. The index holds no copy of the text
-- (external content) and follows customers through the triggers below.
--
-- It is keyed by customers' implicit rowid. VACUUM may renumber the rowids of
-- a table without an INTEGER PRIMARY KEY: after a VACUUM, rebuild it with
--   INSERT INTO customers_fts (customers_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE customers_fts USING fts5 (
    search_text,
    content = 'customers',
    content_rowid = 'rowid',
    tokenize = 'trigram'
);
INSERT INTO customers_fts (customers_fts) VALUES ('rebuild');

CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF search_text ON customers
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO customers_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
