-- Foundation schema: users, sign-in throttling, remember-me tokens, categories, expenses,
-- tags and budgets. Ids are UUIDv7 stored as 16-byte BLOBs (sortable by creation time).
-- Dates of expenses are 'YYYY-MM-DD' text; instants are RFC 3339 UTC text.

CREATE TABLE users (
    id            BLOB PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    base_currency TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email COLLATE NOCASE);

-- Keyed by e-mail rather than user so unknown addresses are throttled exactly like known ones.
CREATE TABLE login_throttle (
    email        TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
    failures     INTEGER NOT NULL,
    locked_until TEXT
);

-- Only a SHA-256 of the 256-bit token is kept: a stolen database file cannot sign anyone in.
CREATE TABLE remember_tokens (
    token_hash BLOB PRIMARY KEY NOT NULL,
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX remember_tokens_user ON remember_tokens (user_id);

CREATE TABLE categories (
    id         BLOB PRIMARY KEY NOT NULL,
    user_id    BLOB NOT NULL REFERENCES users (id),
    parent_id  BLOB,
    name       TEXT NOT NULL,
    colour     TEXT NOT NULL,
    archived   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    -- (user_id, id) is unique so other tables can insist a category is the same user's.
    UNIQUE (user_id, id),
    FOREIGN KEY (user_id, parent_id) REFERENCES categories (user_id, id)
);
-- One name per parent per user, whatever the letter case.
CREATE UNIQUE INDEX categories_name_key ON categories (user_id, ifnull(parent_id, x''), lower(name));

CREATE TABLE expenses (
    id             BLOB PRIMARY KEY NOT NULL,
    user_id        BLOB NOT NULL REFERENCES users (id),
    category_id    BLOB NOT NULL,
    amount_minor   INTEGER NOT NULL CHECK (abs(amount_minor) <= 1000000000000),
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    spent_on       TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    payment_method TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    FOREIGN KEY (user_id, category_id) REFERENCES categories (user_id, id)
);
-- The hot paths: newest-first lists and date-range sums per user, and the same per category.
CREATE INDEX expenses_user_date ON expenses (user_id, spent_on DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX expenses_user_category_date ON expenses (user_id, category_id, spent_on) WHERE deleted_at IS NULL;

CREATE TABLE expense_tags (
    expense_id BLOB NOT NULL REFERENCES expenses (id) ON DELETE CASCADE,
    user_id    BLOB NOT NULL,
    tag        TEXT NOT NULL,
    PRIMARY KEY (expense_id, tag)
);
CREATE INDEX expense_tags_user_tag ON expense_tags (user_id, tag);

CREATE TABLE budgets (
    id           BLOB PRIMARY KEY NOT NULL,
    user_id      BLOB NOT NULL REFERENCES users (id),
    category_id  BLOB,
    period       TEXT NOT NULL CHECK (period IN ('weekly', 'monthly', 'yearly')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0 AND amount_minor <= 1000000000000),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    -- Percentages at which to alert, ascending, comma-separated: '80,100'.
    thresholds   TEXT NOT NULL DEFAULT '80,100',
    created_at   TEXT NOT NULL,
    FOREIGN KEY (user_id, category_id) REFERENCES categories (user_id, id)
);
CREATE INDEX budgets_user ON budgets (user_id);
