-- Spend per user, currency, day and category, kept exact by triggers on expenses, so the
-- dashboard, reports and budgets add up a few hundred rows instead of scanning every expense.
-- Only live expenses (deleted_at IS NULL) count. Derived data: no foreign keys, a cell goes
-- away when its last expense does.
CREATE TABLE expense_day_totals (
    user_id       BLOB NOT NULL,
    currency      TEXT NOT NULL,
    spent_on      TEXT NOT NULL,
    category_id   BLOB NOT NULL,
    amount_minor  INTEGER NOT NULL,
    expense_count INTEGER NOT NULL,
    PRIMARY KEY (user_id, currency, spent_on, category_id)
) WITHOUT ROWID;

INSERT INTO expense_day_totals (user_id, currency, spent_on, category_id, amount_minor, expense_count)
SELECT user_id, currency, spent_on, category_id, SUM(amount_minor), COUNT(*)
FROM expenses WHERE deleted_at IS NULL
GROUP BY user_id, currency, spent_on, category_id;

CREATE TRIGGER expense_totals_insert AFTER INSERT ON expenses
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO expense_day_totals (user_id, currency, spent_on, category_id, amount_minor, expense_count)
    VALUES (NEW.user_id, NEW.currency, NEW.spent_on, NEW.category_id, NEW.amount_minor, 1)
    ON CONFLICT (user_id, currency, spent_on, category_id) DO UPDATE
    SET amount_minor = amount_minor + excluded.amount_minor, expense_count = expense_count + 1;
END;

CREATE TRIGGER expense_totals_delete AFTER DELETE ON expenses
WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE expense_day_totals
    SET amount_minor = amount_minor - OLD.amount_minor, expense_count = expense_count - 1
    WHERE user_id = OLD.user_id AND currency = OLD.currency AND spent_on = OLD.spent_on
      AND category_id = OLD.category_id;
    DELETE FROM expense_day_totals
    WHERE user_id = OLD.user_id AND currency = OLD.currency AND spent_on = OLD.spent_on
      AND category_id = OLD.category_id AND expense_count = 0;
END;

-- An edit, a soft delete, a restore, a recategorisation or a merge: the expense leaves its
-- old cell (if it counted) and enters its new one (if it counts). Edits that change nothing
-- the totals depend on (description, tags) do not fire.
CREATE TRIGGER expense_totals_update
AFTER UPDATE OF user_id, category_id, amount_minor, currency, spent_on, deleted_at ON expenses
WHEN (OLD.deleted_at IS NULL OR NEW.deleted_at IS NULL)
 AND ((OLD.deleted_at IS NULL) IS NOT (NEW.deleted_at IS NULL)
      OR OLD.user_id IS NOT NEW.user_id OR OLD.category_id IS NOT NEW.category_id
      OR OLD.amount_minor IS NOT NEW.amount_minor OR OLD.currency IS NOT NEW.currency
      OR OLD.spent_on IS NOT NEW.spent_on)
BEGIN
    UPDATE expense_day_totals
    SET amount_minor = amount_minor - OLD.amount_minor, expense_count = expense_count - 1
    WHERE OLD.deleted_at IS NULL AND user_id = OLD.user_id AND currency = OLD.currency
      AND spent_on = OLD.spent_on AND category_id = OLD.category_id;
    DELETE FROM expense_day_totals
    WHERE OLD.deleted_at IS NULL AND user_id = OLD.user_id AND currency = OLD.currency
      AND spent_on = OLD.spent_on AND category_id = OLD.category_id AND expense_count = 0;
    INSERT INTO expense_day_totals (user_id, currency, spent_on, category_id, amount_minor, expense_count)
    SELECT NEW.user_id, NEW.currency, NEW.spent_on, NEW.category_id, NEW.amount_minor, 1
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT (user_id, currency, spent_on, category_id) DO UPDATE
    SET amount_minor = amount_minor + excluded.amount_minor, expense_count = expense_count + 1;
END;
