-- One per-day spend table instead of two. Migration 2 made `daily_spend` for budget checks and
-- migration 3 `expense_day_totals` for the dashboard and reports: the same cells (owner,
-- currency, day, category), each kept by its own triggers, so every expense write paid a
-- row trigger on top of the statement trigger. Budget checks now read `expense_day_totals`,
-- which app roles may only read (its trigger function writes it), with an index for budgets
-- limited to some categories. The amount is left out of that index: every expense write
-- updates the amount of a cell, and with the amount indexed none of those could be a HOT
-- update.
DROP TRIGGER expenses_daily_spend ON outlay.expenses;
DROP FUNCTION outlay.keep_daily_spend();
DROP TABLE outlay.daily_spend;

CREATE INDEX expense_day_totals_category
    ON outlay.expense_day_totals (owner, category_id, currency, spent_on);

-- Deleting an account: as in migration 2, without the table that is gone (the per-day totals
-- go with the expenses, through their trigger).
CREATE OR REPLACE FUNCTION outlay.delete_my_account() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, outlay AS $$
DECLARE
    me name := session_user;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users WHERE owner = me) THEN
        RETURN;
    END IF;
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
