-- Budget alerts, the e-mail outbox and each user's e-mail settings, PostgreSQL dialect: the
-- same tables as sqlite/, each owned row by row like the foundation's (owner column, FORCE
-- ROW LEVEL SECURITY, policies USING and WITH CHECK). The SendGrid API key is not stored
-- here: it lives in the OS keychain of each device.

-- Spend per user, currency, day and category, kept by a trigger on expenses — whoever writes
-- them — so that a budget's sum for a period reads at most days x categories small rows however
-- many expenses there are: budget checks run inside every write that changes spend and must
-- stay cheap. Rows may hold 0.
CREATE TABLE outlay.daily_spend (
    owner       name NOT NULL DEFAULT current_user REFERENCES outlay.users (owner),
    currency    text NOT NULL,
    day         date NOT NULL,
    category_id uuid NOT NULL,
    minor       bigint NOT NULL,
    PRIMARY KEY (owner, currency, day, category_id)
);
CREATE INDEX daily_spend_category ON outlay.daily_spend (owner, category_id, currency, day) INCLUDE (minor);

INSERT INTO outlay.daily_spend (owner, currency, day, category_id, minor)
SELECT owner, currency, spent_on, category_id, sum(amount_minor) FROM outlay.expenses
WHERE deleted_at IS NULL GROUP BY owner, currency, spent_on, category_id;

-- Runs as whoever writes the expense (row-level security applies to them as usual); the
-- row's own owner column says whose spend it is.
CREATE FUNCTION outlay.keep_daily_spend() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, outlay AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
        UPDATE daily_spend SET minor = minor - OLD.amount_minor
        WHERE owner = OLD.owner AND currency = OLD.currency AND day = OLD.spent_on
          AND category_id = OLD.category_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.deleted_at IS NULL THEN
        INSERT INTO daily_spend AS d (owner, currency, day, category_id, minor)
        VALUES (NEW.owner, NEW.currency, NEW.spent_on, NEW.category_id, NEW.amount_minor)
        ON CONFLICT (owner, currency, day, category_id) DO UPDATE SET minor = d.minor + excluded.minor;
    END IF;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION outlay.keep_daily_spend() FROM PUBLIC;
CREATE TRIGGER expenses_daily_spend
AFTER INSERT OR DELETE OR UPDATE OF owner, category_id, amount_minor, currency, spent_on, deleted_at
ON outlay.expenses FOR EACH ROW EXECUTE FUNCTION outlay.keep_daily_spend();

-- The two expense indexes now include currency and amount, so the dashboard's and the budget
-- screen's sums can be index-only scans. Same key columns as before.
DROP INDEX outlay.expenses_user_date;
CREATE INDEX expenses_user_date ON outlay.expenses (owner, spent_on DESC, id DESC) INCLUDE (currency, amount_minor) WHERE deleted_at IS NULL;
DROP INDEX outlay.expenses_user_category_date;
CREATE INDEX expenses_user_category_date ON outlay.expenses (owner, category_id, spent_on) INCLUDE (currency, amount_minor) WHERE deleted_at IS NULL;

-- E-mail for a budget's alerts, on by default (it only matters once e-mail is turned on).
ALTER TABLE outlay.budgets ADD COLUMN email_alerts boolean NOT NULL DEFAULT true;

-- One row per budget, period and threshold reached. The budget's name, limit and spend are
-- copied in, so an alert still reads the same after the budget changes or is deleted.
CREATE TABLE outlay.alerts (
    id           uuid PRIMARY KEY,
    owner        name NOT NULL DEFAULT current_user REFERENCES outlay.users (owner),
    budget_id    uuid NOT NULL,
    budget_name  text NOT NULL,
    period       text NOT NULL CHECK (period IN ('weekly', 'monthly', 'yearly')),
    period_start date NOT NULL,
    threshold    integer NOT NULL CHECK (threshold BETWEEN 1 AND 1000),
    spent_minor  bigint NOT NULL,
    limit_minor  bigint NOT NULL,
    currency     text NOT NULL CHECK (length(currency) = 3),
    created_at   timestamptz NOT NULL,
    read_at      timestamptz,
    UNIQUE (owner, id),
    -- Fires once, whichever device writes (ON CONFLICT DO NOTHING). The owner is part of the
    -- key, so nobody can pre-empt someone else's alert with a row of their own.
    CONSTRAINT alerts_once UNIQUE (owner, budget_id, period, period_start, threshold)
);
CREATE INDEX alerts_owner_newest ON outlay.alerts (owner, id DESC);
CREATE INDEX alerts_owner_unread ON outlay.alerts (owner) WHERE read_at IS NULL;

-- Addresses become mail headers: no line breaks, whatever client wrote the row.
CREATE TABLE outlay.email_settings (
    owner      name PRIMARY KEY DEFAULT current_user REFERENCES outlay.users (owner),
    enabled    boolean NOT NULL DEFAULT false,
    recipient  text CHECK (recipient !~ '[\r\n]'),
    sender     text CHECK (sender !~ '[\r\n]'),
    updated_at timestamptz NOT NULL
);

-- Mail waiting to go out, queued in the same transaction as the write that fired its alert.
-- `next_attempt_at` is when a pending mail may be tried, or when a sending mail's claim lapses.
CREATE TABLE outlay.email_outbox (
    id              uuid PRIMARY KEY,
    owner           name NOT NULL DEFAULT current_user REFERENCES outlay.users (owner),
    alert_id        uuid,
    recipient       text NOT NULL CHECK (recipient !~ '[\r\n]'),
    sender          text NOT NULL CHECK (sender !~ '[\r\n]'),
    subject         text NOT NULL CHECK (subject !~ '[\r\n]'),
    text_body       text NOT NULL,
    html_body       text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    -- Through (owner, id): nobody can attach mail to someone else's alert.
    FOREIGN KEY (owner, alert_id) REFERENCES outlay.alerts (owner, id)
);
CREATE INDEX email_outbox_due ON outlay.email_outbox (owner, next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX email_outbox_owner_newest ON outlay.email_outbox (owner, id DESC);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['daily_spend', 'alerts', 'email_settings', 'email_outbox'] LOOP
        EXECUTE format('ALTER TABLE outlay.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE outlay.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY own_rows ON outlay.%I USING (owner = current_user) WITH CHECK (owner = current_user)', t);
        EXECUTE format('CREATE POLICY maintenance ON outlay.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    END LOOP;
END $$;
REVOKE ALL ON outlay.daily_spend, outlay.alerts, outlay.email_settings, outlay.email_outbox FROM PUBLIC;

-- Deleting an account now also deletes its alerts, mail and e-mail settings (children first).
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
    DELETE FROM daily_spend WHERE owner = me;
    DELETE FROM budgets WHERE owner = me;
    DELETE FROM categories WHERE owner = me;
    DELETE FROM remember_tokens WHERE owner = me;
    DELETE FROM login_throttle WHERE email = (SELECT email FROM users WHERE owner = me);
    DELETE FROM users WHERE owner = me;
    INSERT INTO deleted_roles (role) VALUES (me) ON CONFLICT DO NOTHING;
    EXECUTE format('ALTER ROLE %I NOLOGIN', me);
END $$;
REVOKE ALL ON FUNCTION outlay.delete_my_account() FROM PUBLIC;

-- Privileges: users keep their own daily spend (through the trigger), read and add their own
-- alerts and mail, and change only the columns the app changes (an alert's read mark; a
-- mail's delivery state).
DO $$
DECLARE
    setup outlay.installation;
BEGIN
    SELECT * INTO STRICT setup FROM outlay.installation;
    EXECUTE format('GRANT SELECT, INSERT, UPDATE (minor) ON outlay.daily_spend TO %I', setup.users_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE (read_at) ON outlay.alerts TO %I', setup.users_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE (status, attempts, next_attempt_at, last_error, sent_at) ON outlay.email_outbox TO %I', setup.users_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE (enabled, recipient, sender, updated_at) ON outlay.email_settings TO %I', setup.users_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION outlay.delete_my_account() TO %I', setup.users_role);
END $$;
