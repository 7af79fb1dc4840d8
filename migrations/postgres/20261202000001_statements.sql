-- Bank statement import: the column mapping saved per bank file layout, the user's category
-- rules ("description contains LIDL -> Groceries"), and the bank's own ids of the
-- transactions imported (OFX FITID, CAMT entry references), so a later statement that
-- repeats them is recognised. Row-level security, grants and account deletion as for every
-- other user table.

-- `mapping` is the importer's own JSON, opaque to the database; `fingerprint` names a layout
-- (its header and conventions).
CREATE TABLE outlay.statement_layouts (
    owner       name NOT NULL DEFAULT current_user REFERENCES outlay.users (owner),
    fingerprint text NOT NULL,
    mapping     text NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (owner, fingerprint)
);

-- `folded` is `contains` in lower case, folded by the app (the same on every backend and
-- whatever the server's locale), so one text has one rule whatever its case.
CREATE TABLE outlay.category_rules (
    id          uuid PRIMARY KEY,
    owner       name NOT NULL DEFAULT current_user REFERENCES outlay.users (owner),
    contains    text NOT NULL CHECK (contains <> ''),
    folded      text NOT NULL,
    category_id uuid NOT NULL,
    created_at  timestamptz NOT NULL,
    -- Through (owner, id): a rule cannot file anything under someone else's category.
    FOREIGN KEY (owner, category_id) REFERENCES outlay.categories (owner, id)
);
-- The owner is part of the key, so nobody can learn or block someone else's rules.
CREATE UNIQUE INDEX category_rules_contains_key ON outlay.category_rules (owner, folded);
-- A category merge moves its rules: found by category, not by a scan.
CREATE INDEX category_rules_category ON outlay.category_rules (owner, category_id);

-- Saved in the import's transaction with the expenses. A reference is known once per user;
-- it stays with the expense first imported with it, deleted or not.
CREATE TABLE outlay.bank_references (
    owner      name NOT NULL DEFAULT current_user,
    reference  text NOT NULL,
    expense_id uuid NOT NULL,
    PRIMARY KEY (owner, reference),
    -- Through (owner, id): nobody can hang a reference on someone else's expense.
    FOREIGN KEY (owner, expense_id) REFERENCES outlay.expenses (owner, id) ON DELETE CASCADE
);
-- For the cascade when an expense row goes.
CREATE INDEX bank_references_expense ON outlay.bank_references (owner, expense_id);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['statement_layouts', 'category_rules', 'bank_references'] LOOP
        EXECUTE format('ALTER TABLE outlay.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE outlay.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY own_rows ON outlay.%I USING (owner = current_user) WITH CHECK (owner = current_user)', t);
        EXECUTE format('CREATE POLICY maintenance ON outlay.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    END LOOP;
END $$;
REVOKE ALL ON outlay.statement_layouts, outlay.category_rules, outlay.bank_references FROM PUBLIC;

-- Deleting an account: as in migration 5, with the new tables first (children first).
CREATE OR REPLACE FUNCTION outlay.delete_my_account() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
DECLARE
    me name := session_user;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users WHERE owner = me) THEN
        RETURN;
    END IF;
    DELETE FROM bank_references WHERE owner = me;
    DELETE FROM category_rules WHERE owner = me;
    DELETE FROM statement_layouts WHERE owner = me;
    DELETE FROM email_outbox WHERE owner = me;
    DELETE FROM alerts WHERE owner = me;
    DELETE FROM email_settings WHERE owner = me;
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

-- Privileges: a layout is saved over (its mapping and time), a rule is added, deleted or
-- moved by a category merge (its category only), a reference is only ever added (it goes
-- with its expense or its account).
DO $$
DECLARE
    setup outlay.installation;
BEGIN
    SELECT * INTO STRICT setup FROM outlay.installation;
    EXECUTE format('GRANT SELECT, INSERT, UPDATE (mapping, updated_at) ON outlay.statement_layouts TO %I', setup.users_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE (category_id), DELETE ON outlay.category_rules TO %I', setup.users_role);
    EXECUTE format('GRANT SELECT, INSERT ON outlay.bank_references TO %I', setup.users_role);
END $$;
