-- The version of everything a signed-in caller's rights are made of: users,
-- their roles and assignments, role grants, the organisation trees (teams,
-- regions, product lines, partners) and API keys. Each API node caches
-- callers by user or key and reuses an entry only while this number is the
-- one it was loaded under; the triggers below bump it in the same transaction
-- as any such change, so a deactivation or a role change acts on the next
-- request on every node. API keys' last_used_at is bookkeeping and does not count.
CREATE TABLE access_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch BIGINT NOT NULL
);
INSERT INTO access_epoch (id, epoch) VALUES (1, 1);

CREATE TRIGGER users_access_epoch_insert AFTER INSERT ON users BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER users_access_epoch_update AFTER UPDATE ON users BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER users_access_epoch_delete AFTER DELETE ON users BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER user_roles_access_epoch_insert AFTER INSERT ON user_roles BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER user_roles_access_epoch_update AFTER UPDATE ON user_roles BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER user_roles_access_epoch_delete AFTER DELETE ON user_roles BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER user_regions_access_epoch_insert AFTER INSERT ON user_regions BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER user_regions_access_epoch_update AFTER UPDATE ON user_regions BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER user_regions_access_epoch_delete AFTER DELETE ON user_regions BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER user_product_lines_access_epoch_insert AFTER INSERT ON user_product_lines BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER user_product_lines_access_epoch_update AFTER UPDATE ON user_product_lines BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER user_product_lines_access_epoch_delete AFTER DELETE ON user_product_lines BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER roles_access_epoch_insert AFTER INSERT ON roles BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER roles_access_epoch_update AFTER UPDATE ON roles BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER roles_access_epoch_delete AFTER DELETE ON roles BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER role_grants_access_epoch_insert AFTER INSERT ON role_grants BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER role_grants_access_epoch_update AFTER UPDATE ON role_grants BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER role_grants_access_epoch_delete AFTER DELETE ON role_grants BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER org_units_access_epoch_insert AFTER INSERT ON org_units BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER org_units_access_epoch_update AFTER UPDATE ON org_units BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER org_units_access_epoch_delete AFTER DELETE ON org_units BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER api_keys_access_epoch_insert AFTER INSERT ON api_keys BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER api_keys_access_epoch_update AFTER UPDATE OF revoked_at, expires_at, user_id, key_hash ON api_keys BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
CREATE TRIGGER api_keys_access_epoch_delete AFTER DELETE ON api_keys BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
END;
