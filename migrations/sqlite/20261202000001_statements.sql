-- Bank statement import: the column mapping saved per bank file layout, the user's category
-- rules ("description contains LIDL -> Groceries"), and the bank's own ids of the
-- transactions imported (OFX FITID, CAMT entry references), so a later statement that
-- repeats them is recognised.

-- `mapping` is the importer's own JSON, opaque to the database; `fingerprint` names a layout
-- (its header and conventions).
CREATE TABLE statement_layouts (
    user_id     BLOB NOT NULL REFERENCES users (id),
    fingerprint TEXT NOT NULL,
    mapping     TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, fingerprint)
) WITHOUT ROWID;

-- `folded` is `contains` in lower case, folded by the app (Unicode-aware, the same on every
-- backend; SQLite's lower() folds ASCII only), so one text has one rule whatever its case.
CREATE TABLE category_rules (
    id          BLOB PRIMARY KEY NOT NULL,
    user_id     BLOB NOT NULL REFERENCES users (id),
    contains    TEXT NOT NULL CHECK (contains <> ''),
    folded      TEXT NOT NULL,
    category_id BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    FOREIGN KEY (user_id, category_id) REFERENCES categories (user_id, id)
);
CREATE UNIQUE INDEX category_rules_contains_key ON category_rules (user_id, folded);
-- A category merge moves its rules: found by category, not by a scan.
CREATE INDEX category_rules_category ON category_rules (user_id, category_id);

-- Saved in the import's transaction with the expenses. A reference is known once per user;
-- it stays with the expense first imported with it, deleted or not.
CREATE TABLE bank_references (
    user_id    BLOB NOT NULL,
    reference  TEXT NOT NULL,
    expense_id BLOB NOT NULL REFERENCES expenses (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, reference)
) WITHOUT ROWID;
-- For the cascade when an expense row goes.
CREATE INDEX bank_references_expense ON bank_references (expense_id);
