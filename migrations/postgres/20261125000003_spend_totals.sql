-- Spend per user, currency, day and category, kept exact by triggers on expenses, so the
-- dashboard, reports and budgets add up a few hundred rows instead of scanning every expense.
-- Only live expenses (deleted_at IS NULL) count; a cell goes away when its last expense does.
--
-- App roles may only read their own cells (row-level security as on every user table); the
-- statement-level triggers write them through a SECURITY DEFINER function, using the owner of
-- each changed expense row, which row-level security on expenses has already checked.
CREATE TABLE outlay.expense_day_totals (
    owner         name NOT NULL DEFAULT current_user REFERENCES outlay.users (owner),
    currency      text NOT NULL,
    spent_on      date NOT NULL,
    category_id   uuid NOT NULL,
    amount_minor  bigint NOT NULL,
    expense_count bigint NOT NULL,
    PRIMARY KEY (owner, currency, spent_on, category_id)
);

ALTER TABLE outlay.expense_day_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE outlay.expense_day_totals FORCE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON outlay.expense_day_totals
    USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY maintenance ON outlay.expense_day_totals TO CURRENT_USER
    USING (true) WITH CHECK (true);
REVOKE ALL ON outlay.expense_day_totals FROM PUBLIC;

INSERT INTO outlay.expense_day_totals (owner, currency, spent_on, category_id, amount_minor, expense_count)
SELECT owner, currency, spent_on, category_id, SUM(amount_minor), COUNT(*)
FROM outlay.expenses WHERE deleted_at IS NULL
GROUP BY owner, currency, spent_on, category_id;

-- Applies one statement's changes: + the new live rows, - the old live rows, netted per cell
-- (in key order, so concurrent writers lock cells in the same order), then drops empty cells.
-- Transition tables make a bulk import one upsert, not one per row.
CREATE FUNCTION outlay.apply_expense_totals() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO expense_day_totals AS t (owner, currency, spent_on, category_id, amount_minor, expense_count)
        SELECT owner, currency, spent_on, category_id, SUM(amount_minor), COUNT(*)
        FROM new_rows WHERE deleted_at IS NULL
        GROUP BY owner, currency, spent_on, category_id
        ORDER BY owner, currency, spent_on, category_id
        ON CONFLICT (owner, currency, spent_on, category_id) DO UPDATE
        SET amount_minor = t.amount_minor + EXCLUDED.amount_minor,
            expense_count = t.expense_count + EXCLUDED.expense_count;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO expense_day_totals AS t (owner, currency, spent_on, category_id, amount_minor, expense_count)
        SELECT owner, currency, spent_on, category_id, SUM(amount_minor), SUM(n)
        FROM (
            SELECT owner, currency, spent_on, category_id, amount_minor, 1 AS n
            FROM new_rows WHERE deleted_at IS NULL
            UNION ALL
            SELECT owner, currency, spent_on, category_id, -amount_minor, -1
            FROM old_rows WHERE deleted_at IS NULL
        ) AS change
        GROUP BY owner, currency, spent_on, category_id
        HAVING SUM(n) <> 0 OR SUM(amount_minor) <> 0
        ORDER BY owner, currency, spent_on, category_id
        ON CONFLICT (owner, currency, spent_on, category_id) DO UPDATE
        SET amount_minor = t.amount_minor + EXCLUDED.amount_minor,
            expense_count = t.expense_count + EXCLUDED.expense_count;
    ELSE
        INSERT INTO expense_day_totals AS t (owner, currency, spent_on, category_id, amount_minor, expense_count)
        SELECT owner, currency, spent_on, category_id, -SUM(amount_minor), -COUNT(*)
        FROM old_rows WHERE deleted_at IS NULL
        GROUP BY owner, currency, spent_on, category_id
        ORDER BY owner, currency, spent_on, category_id
        ON CONFLICT (owner, currency, spent_on, category_id) DO UPDATE
        SET amount_minor = t.amount_minor + EXCLUDED.amount_minor,
            expense_count = t.expense_count + EXCLUDED.expense_count;
    END IF;
    DELETE FROM expense_day_totals t
    USING (SELECT DISTINCT owner, currency, spent_on, category_id FROM old_rows) AS o
    WHERE t.owner = o.owner AND t.currency = o.currency AND t.spent_on = o.spent_on
      AND t.category_id = o.category_id AND t.expense_count = 0;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION outlay.apply_expense_totals() FROM PUBLIC;

CREATE TRIGGER expense_totals_insert AFTER INSERT ON outlay.expenses
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outlay.apply_expense_totals();
CREATE TRIGGER expense_totals_update AFTER UPDATE ON outlay.expenses
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outlay.apply_expense_totals();
CREATE TRIGGER expense_totals_delete AFTER DELETE ON outlay.expenses
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outlay.apply_expense_totals();

DO $$
DECLARE
    setup outlay.installation;
BEGIN
    SELECT * INTO STRICT setup FROM outlay.installation;
    EXECUTE format('GRANT SELECT ON outlay.expense_day_totals TO %I', setup.users_role);
END $$;
