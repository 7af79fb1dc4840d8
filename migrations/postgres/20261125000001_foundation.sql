-- Foundation schema, PostgreSQL dialect: the same tables as sqlite/ plus the roles and
-- row-level security that keep users apart *inside the database*, whatever the client does.
--
-- Run by the owner role (a non-superuser with CREATEROLE that owns the database), once per
-- database, through `outlay-cli db init`. Every app user is their own LOGIN role, a member of
-- the group role; the shared sign-in role can only call the sign-up / sign-in functions.
-- Role names carry the database's oid because roles are cluster-wide and one cluster may host
-- several Outlay databases (every test gets its own).

CREATE SCHEMA outlay;
REVOKE ALL ON SCHEMA outlay FROM PUBLIC;
-- No app role may create anything anywhere: not in public, not in temporary schemas.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
DO $$ BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
END $$;
-- Functions are executable by PUBLIC by default; nothing of ours may be.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- The names of this database's roles, read by the functions below (one row).
CREATE TABLE outlay.installation (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    users_role  name NOT NULL,
    signin_role name NOT NULL,
    role_prefix text NOT NULL
);

DO $$
DECLARE
    prefix text := 'outlay_' || (SELECT oid FROM pg_database WHERE datname = current_database());
BEGIN
    -- Plain CREATE (not IF NOT EXISTS): a leftover role of a dropped database must not be
    -- silently adopted, with whatever members it still has.
    EXECUTE format('CREATE ROLE %I NOLOGIN', prefix || '_users');
    EXECUTE format('CREATE ROLE %I NOLOGIN', prefix || '_signin');
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I, %I',
                   current_database(), prefix || '_users', prefix || '_signin');
    INSERT INTO outlay.installation (users_role, signin_role, role_prefix)
    VALUES (prefix || '_users', prefix || '_signin', prefix);
END $$;

-- `password_hash` holds the argon2id PHC string WITHOUT its hash: algorithm, parameters and
-- salt. The hash itself is the user's database password, known to the server only as a SCRAM
-- verifier; so the table gives nobody anything to crack.
CREATE TABLE outlay.users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL CHECK (email = lower(email)),
    password_hash text NOT NULL,
    base_currency text NOT NULL CHECK (length(base_currency) = 3),
    created_at    timestamptz NOT NULL,
    owner         name NOT NULL UNIQUE DEFAULT current_user
);
CREATE UNIQUE INDEX users_email_key ON outlay.users (lower(email));

-- Keyed by e-mail rather than user so unknown addresses are throttled exactly like known ones.
-- Not a user table: no app role has any privilege on it, only the functions below.
CREATE TABLE outlay.login_throttle (
    email        text PRIMARY KEY CHECK (email = lower(email)),
    failures     bigint NOT NULL,
    locked_until timestamptz
);

-- Only a SHA-256 of the 256-bit token is kept. `sealed_key` is the user's database password
-- XOR a key stream derived from the token: the token (in the user's keychain) opens it, the
-- database alone does not.
CREATE TABLE outlay.remember_tokens (
    token_hash bytea PRIMARY KEY,
    owner      name NOT NULL DEFAULT current_user REFERENCES outlay.users (owner) ON DELETE CASCADE,
    sealed_key bytea NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX remember_tokens_owner ON outlay.remember_tokens (owner);

CREATE TABLE outlay.categories (
    id         uuid PRIMARY KEY,
    owner      name NOT NULL DEFAULT current_user REFERENCES outlay.users (owner),
    parent_id  uuid,
    name       text NOT NULL,
    colour     text NOT NULL,
    archived   boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    -- (owner, id) is unique so other tables can insist a category is the same user's.
    UNIQUE (owner, id),
    FOREIGN KEY (owner, parent_id) REFERENCES outlay.categories (owner, id)
);
-- One name per parent per user, whatever the letter case.
CREATE UNIQUE INDEX categories_name_key ON outlay.categories
    (owner, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'), lower(name));

CREATE TABLE outlay.expenses (
    id             uuid PRIMARY KEY,
    owner          name NOT NULL DEFAULT current_user,
    category_id    uuid NOT NULL,
    amount_minor   bigint NOT NULL CHECK (abs(amount_minor) <= 1000000000000),
    currency       text NOT NULL CHECK (length(currency) = 3),
    spent_on       date NOT NULL,
    description    text NOT NULL DEFAULT '',
    payment_method text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    deleted_at     timestamptz,
    UNIQUE (owner, id),
    FOREIGN KEY (owner, category_id) REFERENCES outlay.categories (owner, id)
);
-- The hot paths: newest-first lists and date-range sums per user, and the same per category.
CREATE INDEX expenses_user_date ON outlay.expenses (owner, spent_on DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX expenses_user_category_date ON outlay.expenses (owner, category_id, spent_on) WHERE deleted_at IS NULL;

CREATE TABLE outlay.expense_tags (
    expense_id uuid NOT NULL,
    owner      name NOT NULL DEFAULT current_user,
    tag        text NOT NULL,
    PRIMARY KEY (expense_id, tag),
    -- Through (owner, id): nobody can hang a tag on someone else's expense.
    FOREIGN KEY (owner, expense_id) REFERENCES outlay.expenses (owner, id) ON DELETE CASCADE
);
CREATE INDEX expense_tags_user_tag ON outlay.expense_tags (owner, tag);

CREATE TABLE outlay.budgets (
    id           uuid PRIMARY KEY,
    owner        name NOT NULL DEFAULT current_user REFERENCES outlay.users (owner),
    category_id  uuid,
    period       text NOT NULL CHECK (period IN ('weekly', 'monthly', 'yearly')),
    amount_minor bigint NOT NULL CHECK (amount_minor > 0 AND amount_minor <= 1000000000000),
    currency     text NOT NULL CHECK (length(currency) = 3),
    -- Percentages at which to alert, ascending, comma-separated: '80,100'.
    thresholds   text NOT NULL DEFAULT '80,100',
    created_at   timestamptz NOT NULL,
    FOREIGN KEY (owner, category_id) REFERENCES outlay.categories (owner, id)
);
CREATE INDEX budgets_user ON outlay.budgets (owner);

-- Roles of deleted accounts, dropped once none of their sessions is left.
CREATE TABLE outlay.deleted_roles (
    role name PRIMARY KEY
);

-- Row-level security. FORCE makes it bind the table owner too; the owner (who runs the
-- SECURITY DEFINER functions) gets its own policy. Every user table's owner column references
-- users.owner, so even SET ROLE to the group role cannot create rows (it has no users row).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'remember_tokens', 'categories', 'expenses', 'expense_tags', 'budgets'] LOOP
        EXECUTE format('ALTER TABLE outlay.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE outlay.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY own_rows ON outlay.%I USING (owner = current_user) WITH CHECK (owner = current_user)', t);
        EXECUTE format('CREATE POLICY maintenance ON outlay.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['installation', 'login_throttle', 'deleted_roles'] LOOP
        EXECUTE format('ALTER TABLE outlay.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE outlay.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY maintenance ON outlay.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    END LOOP;
END $$;
REVOKE ALL ON ALL TABLES IN SCHEMA outlay FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- Functions. All SECURITY DEFINER with a pinned search_path, so a caller cannot slip in objects
-- of their own; `session_user` (not `current_user`, which is the owner in here) is the caller.

-- Drops the roles of deleted accounts that have no session left.
CREATE FUNCTION outlay.drop_deleted_roles() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
DECLARE
    gone name;
BEGIN
    FOR gone IN
        SELECT d.role FROM deleted_roles d
        WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.usename = d.role)
    LOOP
        BEGIN
            EXECUTE format('DROP ROLE IF EXISTS %I', gone);
            DELETE FROM deleted_roles WHERE role = gone;
        EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege THEN
            NULL; -- kept for a later sweep; sign-up must not fail because of it
        END;
    END LOOP;
END $$;

-- Creates an account: its LOGIN role (a member of the group role, nothing more), its users row
-- and its starting categories, all or nothing. `p_verifier` is a SCRAM-SHA-256 verifier the
-- client computed, so no password ever travels or lands in a server log.
CREATE FUNCTION outlay.sign_up(
    p_id uuid, p_email text, p_password_hash text, p_verifier text,
    p_base_currency text, p_created_at timestamptz, p_categories jsonb
) RETURNS name
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
DECLARE
    setup installation;
    new_role name;
BEGIN
    IF p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION 'a SCRAM-SHA-256 verifier is required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM drop_deleted_roles();
    SELECT * INTO STRICT setup FROM installation;
    new_role := setup.role_prefix || '_' || replace(p_id::text, '-', '');
    -- The users row first: a taken e-mail fails before any role exists.
    INSERT INTO users (id, email, password_hash, base_currency, created_at, owner)
    VALUES (p_id, p_email, p_password_hash, p_base_currency, p_created_at, new_role);
    EXECUTE format(
        'CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS IN ROLE %I PASSWORD %L',
        new_role, setup.users_role, p_verifier);
    INSERT INTO categories (id, owner, parent_id, name, colour, archived, created_at)
    SELECT c.id, new_role, c.parent_id, c.name, c.colour, c.archived, c.created_at
    FROM jsonb_to_recordset(p_categories)
        AS c (id uuid, parent_id uuid, name text, colour text, archived boolean, created_at timestamptz);
    RETURN new_role;
END $$;

-- What sign-in needs before the password is checked: nothing secret (see users).
CREATE FUNCTION outlay.sign_in_params(p_email text)
RETURNS TABLE (user_id uuid, role name, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
    SELECT u.id, u.owner, u.password_hash FROM users u WHERE lower(u.email) = lower(p_email)
$$;

CREATE FUNCTION outlay.login_throttle(p_email text)
RETURNS TABLE (failures bigint, locked_until timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
    SELECT t.failures, t.locked_until FROM login_throttle t WHERE t.email = lower(p_email)
$$;

-- Counts one more failure atomically and returns the new count.
CREATE FUNCTION outlay.login_failed(p_email text) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
    INSERT INTO login_throttle AS t (email, failures) VALUES (lower(p_email), 1)
    ON CONFLICT (email) DO UPDATE SET failures = t.failures + 1
    RETURNING t.failures
$$;

-- Only ever extends a lock: whoever holds the sign-in role cannot lift one this way.
CREATE FUNCTION outlay.lock_login(p_email text, p_until timestamptz) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
    UPDATE login_throttle SET locked_until = greatest(locked_until, p_until) WHERE email = lower(p_email)
$$;

-- Forgets the caller's own failures: only a signed-in user (who proved the password to the
-- server) can clear a throttle, and only their own.
CREATE FUNCTION outlay.clear_my_login_failures() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
    DELETE FROM login_throttle WHERE email = (SELECT u.email FROM users u WHERE u.owner = session_user)
$$;

-- The account a still-valid remember-me token belongs to, with the sealed database password.
CREATE FUNCTION outlay.resume_session(p_token_hash bytea, p_now timestamptz)
RETURNS TABLE (user_id uuid, role name, sealed_key bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
    SELECT u.id, u.owner, t.sealed_key
    FROM remember_tokens t JOIN users u ON u.owner = t.owner
    WHERE t.token_hash = p_token_hash AND t.expires_at > p_now
$$;

-- Whoever holds a token may forget it (signing out); its hash is the proof.
CREATE FUNCTION outlay.forget_remember_token(p_token_hash bytea) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
    DELETE FROM remember_tokens WHERE token_hash = p_token_hash
$$;

-- Deletes the caller's account and every row of it; their role can no longer sign in and is
-- dropped by a later sweep, once its last session has gone (a session's own role cannot be
-- dropped under it).
CREATE FUNCTION outlay.delete_my_account() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
DECLARE
    me name := session_user;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users WHERE owner = me) THEN
        RETURN;
    END IF;
    DELETE FROM expense_tags WHERE owner = me;
    DELETE FROM expenses WHERE owner = me;
    DELETE FROM budgets WHERE owner = me;
    DELETE FROM categories WHERE owner = me;
    DELETE FROM remember_tokens WHERE owner = me;
    DELETE FROM login_throttle WHERE email = (SELECT email FROM users WHERE owner = me);
    DELETE FROM users WHERE owner = me;
    INSERT INTO deleted_roles (role) VALUES (me) ON CONFLICT DO NOTHING;
    EXECUTE format('ALTER ROLE %I NOLOGIN', me);
END $$;

-- The applied schema versions, so the app (which cannot migrate) can refuse a newer schema.
CREATE FUNCTION outlay.schema_versions() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
BEGIN
    RETURN QUERY SELECT m.version FROM public._sqlx_migrations m WHERE m.success ORDER BY m.version;
END $$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA outlay FROM PUBLIC;

-- Privileges: only what the app needs, only to the two roles.
DO $$
DECLARE
    setup outlay.installation;
BEGIN
    SELECT * INTO STRICT setup FROM outlay.installation;
    EXECUTE format('GRANT USAGE ON SCHEMA outlay TO %I, %I', setup.users_role, setup.signin_role);
    EXECUTE format('GRANT SELECT, UPDATE (password_hash) ON outlay.users TO %I', setup.users_role);
    EXECUTE format('GRANT SELECT, INSERT, DELETE ON outlay.remember_tokens TO %I', setup.users_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON outlay.categories, outlay.expenses, outlay.expense_tags, outlay.budgets TO %I', setup.users_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION outlay.clear_my_login_failures(), outlay.forget_remember_token(bytea), outlay.delete_my_account(), outlay.schema_versions() TO %I', setup.users_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION outlay.sign_up(uuid, text, text, text, text, timestamptz, jsonb), outlay.sign_in_params(text), outlay.login_throttle(text), outlay.login_failed(text), outlay.lock_login(text, timestamptz), outlay.resume_session(bytea, timestamptz), outlay.forget_remember_token(bytea), outlay.drop_deleted_roles(), outlay.schema_versions() TO %I', setup.signin_role);
END $$;
