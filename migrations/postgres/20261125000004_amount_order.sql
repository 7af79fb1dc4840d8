-- The expense list sorted by amount (largest or smallest first) walks this index from the
-- page cursor (amount_minor, id) in either direction, instead of sorting every expense of the
-- user for each page. Row-level security adds `owner = current_user`, the leading column.
CREATE INDEX expenses_user_amount ON outlay.expenses (owner, amount_minor, id) WHERE deleted_at IS NULL;
