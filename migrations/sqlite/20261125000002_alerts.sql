-- Budget alerts, the e-mail outbox and each user's e-mail settings. The SendGrid API key is
-- not stored here: it lives in the OS keychain.

-- Spend per user, currency, day and category, kept by triggers on expenses — whoever writes
-- them (the app, an import, a tool) — so that a budget's sum for a period reads at most
-- days x categories small rows however many expenses there are: budget checks run inside
-- every write that changes spend and must stay cheap. Rows may hold 0.
CREATE TABLE daily_spend (
    user_id     BLOB NOT NULL,
    currency    TEXT NOT NULL,
    day         TEXT NOT NULL,
    category_id BLOB NOT NULL,
    minor       INTEGER NOT NULL,
    PRIMARY KEY (user_id, currency, day, category_id)
) WITHOUT ROWID;
CREATE INDEX daily_spend_category ON daily_spend (user_id, category_id, currency, day, minor);

INSERT INTO daily_spend (user_id, currency, day, category_id, minor)
SELECT user_id, currency, spent_on, category_id, sum(amount_minor) FROM expenses
WHERE deleted_at IS NULL GROUP BY user_id, currency, spent_on, category_id;

CREATE TRIGGER expenses_spend_added AFTER INSERT ON expenses WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO daily_spend (user_id, currency, day, category_id, minor)
    VALUES (NEW.user_id, NEW.currency, NEW.spent_on, NEW.category_id, NEW.amount_minor)
    ON CONFLICT (user_id, currency, day, category_id) DO UPDATE SET minor = minor + excluded.minor;
END;

CREATE TRIGGER expenses_spend_removed AFTER DELETE ON expenses WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE daily_spend SET minor = minor - OLD.amount_minor
    WHERE user_id = OLD.user_id AND currency = OLD.currency AND day = OLD.spent_on AND category_id = OLD.category_id;
END;

-- An edit, a move to another category, a soft delete or its undo: the old spend leaves (if it
-- counted), the new one arrives (if it counts).
CREATE TRIGGER expenses_spend_changed
AFTER UPDATE OF user_id, category_id, amount_minor, currency, spent_on, deleted_at ON expenses
BEGIN
    UPDATE daily_spend SET minor = minor - OLD.amount_minor
    WHERE OLD.deleted_at IS NULL AND user_id = OLD.user_id AND currency = OLD.currency
      AND day = OLD.spent_on AND category_id = OLD.category_id;
    INSERT INTO daily_spend (user_id, currency, day, category_id, minor)
    SELECT NEW.user_id, NEW.currency, NEW.spent_on, NEW.category_id, NEW.amount_minor
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT (user_id, currency, day, category_id) DO UPDATE SET minor = minor + excluded.minor;
END;

-- The two expense indexes now carry currency and amount, so the dashboard's and the budget
-- screen's sums read the index alone. Same leading columns: lists and filters are unchanged.
DROP INDEX expenses_user_date;
CREATE INDEX expenses_user_date ON expenses (user_id, spent_on DESC, id DESC, currency, amount_minor) WHERE deleted_at IS NULL;
DROP INDEX expenses_user_category_date;
CREATE INDEX expenses_user_category_date ON expenses (user_id, category_id, spent_on, currency, amount_minor) WHERE deleted_at IS NULL;

-- E-mail for a budget's alerts, on by default (it only matters once e-mail is turned on).
ALTER TABLE budgets ADD COLUMN email_alerts INTEGER NOT NULL DEFAULT 1;

-- One row per budget, period and threshold reached. The budget's name, limit and spend are
-- copied in, so an alert still reads the same after the budget changes or is deleted.
CREATE TABLE alerts (
    id           BLOB PRIMARY KEY NOT NULL,
    user_id      BLOB NOT NULL REFERENCES users (id),
    budget_id    BLOB NOT NULL,
    budget_name  TEXT NOT NULL,
    period       TEXT NOT NULL CHECK (period IN ('weekly', 'monthly', 'yearly')),
    period_start TEXT NOT NULL,
    threshold    INTEGER NOT NULL CHECK (threshold BETWEEN 1 AND 1000),
    spent_minor  INTEGER NOT NULL,
    limit_minor  INTEGER NOT NULL,
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    created_at   TEXT NOT NULL,
    read_at      TEXT,
    UNIQUE (user_id, id)
);
-- Fires once: a write that finds its alert here already does nothing (ON CONFLICT DO NOTHING).
-- The period kind is part of the key so a budget switched from monthly to weekly is not
-- silenced by a month that starts on a Monday.
CREATE UNIQUE INDEX alerts_once ON alerts (user_id, budget_id, period, period_start, threshold);
CREATE INDEX alerts_user_newest ON alerts (user_id, id DESC);
CREATE INDEX alerts_user_unread ON alerts (user_id) WHERE read_at IS NULL;

-- Addresses become mail headers: no line breaks, whatever wrote the row.
CREATE TABLE email_settings (
    user_id    BLOB PRIMARY KEY NOT NULL REFERENCES users (id),
    enabled    INTEGER NOT NULL DEFAULT 0,
    recipient  TEXT CHECK (instr(recipient, char(10)) = 0 AND instr(recipient, char(13)) = 0),
    sender     TEXT CHECK (instr(sender, char(10)) = 0 AND instr(sender, char(13)) = 0),
    updated_at TEXT NOT NULL
);

-- Mail waiting to go out, queued in the same transaction as the write that fired its alert.
-- `due_ms` (unix milliseconds: integers compare reliably, RFC 3339 text does not) is when a
-- pending mail may be tried, or when a sending mail's claim lapses.
CREATE TABLE email_outbox (
    id         BLOB PRIMARY KEY NOT NULL,
    user_id    BLOB NOT NULL REFERENCES users (id),
    alert_id   BLOB,
    recipient  TEXT NOT NULL CHECK (instr(recipient, char(10)) = 0 AND instr(recipient, char(13)) = 0),
    sender     TEXT NOT NULL CHECK (instr(sender, char(10)) = 0 AND instr(sender, char(13)) = 0),
    subject    TEXT NOT NULL CHECK (instr(subject, char(10)) = 0 AND instr(subject, char(13)) = 0),
    text_body  TEXT NOT NULL,
    html_body  TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    due_ms     INTEGER NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    FOREIGN KEY (user_id, alert_id) REFERENCES alerts (user_id, id)
);
CREATE INDEX email_outbox_due ON email_outbox (user_id, due_ms) WHERE status IN ('pending', 'sending');
CREATE INDEX email_outbox_user_newest ON email_outbox (user_id, id DESC);
