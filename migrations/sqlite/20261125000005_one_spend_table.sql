-- One per-day spend table instead of two. Migration 2 made `daily_spend` for budget checks and
-- migration 3 `expense_day_totals` for the dashboard and reports: the same cells (user,
-- currency, day, category), each kept by its own triggers, so every expense write paid two
-- upserts. Budget checks now read `expense_day_totals` too, with an index for budgets limited
-- to some categories. The amount is left out of that index: every expense write updates the
-- amount of a cell, and an indexed amount would make each of those an index rewrite too.
DROP TRIGGER expenses_spend_added;
DROP TRIGGER expenses_spend_removed;
DROP TRIGGER expenses_spend_changed;
DROP TABLE daily_spend;

CREATE INDEX expense_day_totals_category
    ON expense_day_totals (user_id, category_id, currency, spent_on);
