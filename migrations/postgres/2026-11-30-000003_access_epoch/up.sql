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

CREATE FUNCTION bump_access_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE access_epoch SET epoch = epoch + 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER users_access_epoch AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch();
CREATE TRIGGER user_roles_access_epoch AFTER INSERT OR UPDATE OR DELETE ON user_roles
    FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch();
CREATE TRIGGER user_regions_access_epoch AFTER INSERT OR UPDATE OR DELETE ON user_regions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch();
CREATE TRIGGER user_product_lines_access_epoch AFTER INSERT OR UPDATE OR DELETE ON user_product_lines
    FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch();
CREATE TRIGGER roles_access_epoch AFTER INSERT OR UPDATE OR DELETE ON roles
    FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch();
CREATE TRIGGER role_grants_access_epoch AFTER INSERT OR UPDATE OR DELETE ON role_grants
    FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch();
CREATE TRIGGER org_units_access_epoch AFTER INSERT OR UPDATE OR DELETE ON org_units
    FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch();
CREATE TRIGGER api_keys_access_epoch AFTER INSERT OR UPDATE OF revoked_at, expires_at, user_id, key_hash OR DELETE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION bump_access_epoch();
