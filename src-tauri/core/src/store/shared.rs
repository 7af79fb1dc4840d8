//! Area methods whose whole body is the same on every backend, written once.
//!
//! They are macros, not generic impls, because sqlx's traits cannot be bounded once for "any
//! database this crate speaks": a generic impl would have to restate a dozen higher-ranked
//! `Encode`/`Decode`/`Executor` bounds at every use. Each backend invokes them on its handle
//! and its database type, in the area file where a reader looks for the methods, and gives
//! its handle the few inherent methods they call:
//!
//! - `owner()`: whose rows the shared SQL may see ([`super::sql::Owner`]);
//! - `conn()`: a pooled connection as the user;
//! - `write()`: a write transaction that serialises the user's writers;
//! - `evaluate_and_commit(tx, changes, now)`: budget evaluation, then the commit.

/// `SpendStore` from the shared day-totals queries.
macro_rules! spend_store {
    ($handle:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::SpendStore for $handle {
            async fn total(
                &self,
                currency: $crate::domain::Currency,
                from: chrono::NaiveDate,
                to: chrono::NaiveDate,
                categories: Option<&[uuid::Uuid]>,
            ) -> $crate::error::Result<i64> {
                let mut builder = <$db>::spend_in(self.owner(), "", currency, from, to);
                if let Some(ids) = categories {
                    <$db>::push_ids(&mut builder, "e.category_id", ids);
                }
                let query = builder.build_query_scalar();
                Ok(query.fetch_one(&mut *self.conn().await?).await?)
            }

            async fn by_category(
                &self,
                currency: $crate::domain::Currency,
                from: chrono::NaiveDate,
                to: chrono::NaiveDate,
            ) -> $crate::error::Result<Vec<$crate::store::SpendRow<uuid::Uuid>>> {
                let keys = "e.category_id,";
                let mut builder = <$db>::spend_in(self.owner(), keys, currency, from, to);
                builder.push(" GROUP BY e.category_id");
                let query = builder.build_query_as();
                let rows = query.fetch_all(&mut *self.conn().await?).await?;
                Ok($crate::store::rows::spend_rows(rows))
            }

            async fn by_month(
                &self,
                currency: $crate::domain::Currency,
                from: chrono::NaiveDate,
                to: chrono::NaiveDate,
            ) -> $crate::error::Result<Vec<$crate::store::SpendRow<String>>> {
                let keys = format!("{} AS month,", <$db>::MONTH);
                let mut builder = <$db>::spend_in(self.owner(), &keys, currency, from, to);
                builder.push(" GROUP BY month");
                let query = builder.build_query_as();
                let rows = query.fetch_all(&mut *self.conn().await?).await?;
                Ok($crate::store::rows::spend_rows(rows))
            }

            async fn by_category_and_month(
                &self,
                currency: $crate::domain::Currency,
                from: chrono::NaiveDate,
                to: chrono::NaiveDate,
            ) -> $crate::error::Result<Vec<$crate::store::CategoryMonthSpend>> {
                let keys = format!("e.category_id, {} AS month,", <$db>::MONTH);
                let mut builder = <$db>::spend_in(self.owner(), &keys, currency, from, to);
                builder.push(" GROUP BY e.category_id, month");
                let query = builder.build_query_as::<$crate::store::rows::CategoryMonthRow>();
                let rows = query.fetch_all(&mut *self.conn().await?).await?;
                Ok($crate::store::rows::category_months(rows))
            }
        }
    };
}

/// `BudgetStore` from the shared budget statements; every write checks the budget's period
/// holding `today` in its own transaction.
macro_rules! budget_store {
    ($handle:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::BudgetStore for $handle {
            async fn insert(
                &self,
                budget: &$crate::budgets::Budget,
                today: chrono::NaiveDate,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::error::Result<Vec<$crate::Alert>> {
                let mut tx = self.write().await?;
                let mut insert = <$db>::insert_budget(self.owner(), budget);
                insert.build().execute(&mut *tx).await?;
                let changes = [$crate::store::values::budget_touched(
                    budget.category_id,
                    today,
                )];
                self.evaluate_and_commit(tx, &changes, now).await
            }

            async fn list(&self) -> $crate::error::Result<Vec<$crate::budgets::Budget>> {
                let mut query = <$db>::budgets(self.owner());
                let query = query.build_query_as::<$crate::store::rows::BudgetRow>();
                let rows = query.fetch_all(&mut *self.conn().await?).await?;
                $crate::store::rows::budgets(rows)
            }

            async fn update(
                &self,
                budget: &$crate::budgets::Budget,
                today: chrono::NaiveDate,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::error::Result<Vec<$crate::Alert>> {
                let mut tx = self.write().await?;
                let mut update = <$db>::update_budget(self.owner(), budget);
                let done = update.build().execute(&mut *tx).await?;
                if done.rows_affected() == 0 {
                    return Err($crate::AppError::NotFound("Budget"));
                }
                let changes = [$crate::store::values::budget_touched(
                    budget.category_id,
                    today,
                )];
                self.evaluate_and_commit(tx, &changes, now).await
            }

            async fn delete(
                &self,
                id: uuid::Uuid,
                today: chrono::NaiveDate,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::error::Result<Vec<$crate::Alert>> {
                let mut tx = self.write().await?;
                let mut delete = <$db>::delete_budget(self.owner(), id);
                let done = delete.build().execute(&mut *tx).await?;
                if done.rows_affected() == 0 {
                    return Err($crate::AppError::NotFound("Budget"));
                }
                // Nothing the deleted budget watched can fire now; the others of its period
                // are evaluated like after any write, so every write behaves the same.
                let changes = [$crate::store::values::budget_touched(None, today)];
                self.evaluate_and_commit(tx, &changes, now).await
            }

            async fn set_email(&self, id: uuid::Uuid, on: bool) -> $crate::error::Result<()> {
                let mut update = <$db>::set_budget_email(self.owner(), id, on);
                let done = update.build().execute(&mut *self.conn().await?).await?;
                if done.rows_affected() == 0 {
                    return Err($crate::AppError::NotFound("Budget"));
                }
                Ok(())
            }

            async fn reevaluate(
                &self,
                changes: &[$crate::alerts::SpendChange],
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::error::Result<Vec<$crate::Alert>> {
                let tx = self.write().await?;
                self.evaluate_and_commit(tx, changes, now).await
            }
        }
    };
}

/// The reading half of `ExpenseStore` (one expense, a page, totals, the largest), for the
/// backend's `impl ExpenseStore` to call from its methods of the same names.
macro_rules! expense_reads {
    ($db:ty) => {
        async fn read_expense(
            &self,
            id: uuid::Uuid,
        ) -> $crate::error::Result<Option<$crate::expenses::Expense>> {
            let mut query = <$db>::expense(self.owner(), id);
            let query = query.build_query_as::<$crate::store::rows::ExpenseRow>();
            let row = query.fetch_optional(&mut *self.conn().await?).await?;
            row.map($crate::store::rows::ExpenseRow::into_expense)
                .transpose()
        }

        async fn read_page(
            &self,
            query: &$crate::expenses::ExpenseQuery,
            start: $crate::store::PageStart<'_>,
            limit: u32,
        ) -> $crate::error::Result<Vec<$crate::expenses::Expense>> {
            let mut query = <$db>::expense_page(self.owner(), query, start, limit)?;
            let query = query.build_query_as::<$crate::store::rows::ExpenseRow>();
            let rows = query.fetch_all(&mut *self.conn().await?).await?;
            $crate::store::rows::expenses(rows)
        }

        async fn read_totals(
            &self,
            query: &$crate::expenses::ExpenseQuery,
        ) -> $crate::error::Result<Vec<$crate::store::Total>> {
            let mut query = <$db>::expense_totals(self.owner(), query);
            let query = query.build_query_as::<$crate::store::rows::TotalRow>();
            let rows = query.fetch_all(&mut *self.conn().await?).await?;
            $crate::store::rows::totals(rows)
        }

        async fn read_largest(
            &self,
            query: &$crate::expenses::ExpenseQuery,
            limit: u32,
        ) -> $crate::error::Result<Vec<$crate::expenses::Expense>> {
            let mut query = <$db>::largest_expenses(self.owner(), query, limit);
            let query = query.build_query_as::<$crate::store::rows::ExpenseRow>();
            let rows = query.fetch_all(&mut *self.conn().await?).await?;
            $crate::store::rows::expenses(rows)
        }
    };
}

/// The saved layouts and the category rules of `StatementStore`, for the backend's
/// `impl StatementStore` to call from its methods of the same names (the references it
/// reads in its own dialect). A rule refused by the database (the same text twice, a
/// category not the user's) is the backend's `rule_error`.
macro_rules! statement_layouts_and_rules {
    ($db:ty) => {
        async fn read_layout(&self, fingerprint: &str) -> $crate::error::Result<Option<String>> {
            let mut query = <$db>::statement_layout(self.owner(), fingerprint);
            let query = query.build_query_scalar();
            Ok(query.fetch_optional(&mut *self.conn().await?).await?)
        }

        async fn write_layout(
            &self,
            fingerprint: &str,
            mapping: &str,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::error::Result<()> {
            let mut upsert = <$db>::save_statement_layout(self.owner(), fingerprint, mapping, now);
            upsert.build().execute(&mut *self.conn().await?).await?;
            Ok(())
        }

        async fn read_rules(&self) -> $crate::error::Result<Vec<$crate::statement::CategoryRule>> {
            let mut query = <$db>::category_rules(self.owner());
            let query = query.build_query_as::<$crate::store::rows::CategoryRuleRow>();
            let rows = query.fetch_all(&mut *self.conn().await?).await?;
            Ok($crate::store::rows::category_rules(rows))
        }

        async fn insert_rule(
            &self,
            rule: &$crate::statement::CategoryRule,
        ) -> $crate::error::Result<()> {
            let mut insert = <$db>::insert_category_rule(self.owner(), rule);
            let inserted = insert.build().execute(&mut *self.conn().await?).await;
            inserted.map_err(rule_error)?;
            Ok(())
        }

        async fn remove_rule(&self, id: uuid::Uuid) -> $crate::error::Result<bool> {
            let mut delete = <$db>::delete_category_rule(self.owner(), id);
            let done = delete.build().execute(&mut *self.conn().await?).await?;
            Ok(done.rows_affected() > 0)
        }
    };
}

/// `AlertStore` from the shared alert statements.
macro_rules! alert_store {
    ($handle:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::AlertStore for $handle {
            async fn list(&self, limit: u32) -> $crate::error::Result<Vec<$crate::Alert>> {
                let mut query = <$db>::alerts(self.owner(), limit);
                let query = query.build_query_as::<$crate::store::rows::AlertRow>();
                let rows = query.fetch_all(&mut *self.conn().await?).await?;
                $crate::store::rows::alerts(rows)
            }

            async fn unread(&self) -> $crate::error::Result<i64> {
                let mut query = <$db>::count_alerts(self.owner(), "read_at IS NULL");
                let query = query.build_query_scalar();
                Ok(query.fetch_one(&mut *self.conn().await?).await?)
            }

            async fn exists(&self, id: uuid::Uuid) -> $crate::error::Result<bool> {
                let mut query = <$db>::count_alerts(self.owner(), "id = ");
                query.push_bind(id);
                let query = query.build_query_scalar::<i64>();
                Ok(query.fetch_one(&mut *self.conn().await?).await? > 0)
            }

            async fn mark_read(
                &self,
                id: Option<uuid::Uuid>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::error::Result<u64> {
                let mut update = <$db>::mark_alerts_read(self.owner(), id, at);
                let done = update.build().execute(&mut *self.conn().await?).await?;
                Ok(done.rows_affected())
            }

            async fn email_settings(
                &self,
            ) -> $crate::error::Result<Option<$crate::mail::EmailSettings>> {
                let mut query = <$db>::email_settings(self.owner());
                let query = query.build_query_as();
                Ok(query.fetch_optional(&mut *self.conn().await?).await?)
            }

            async fn save_email_settings(
                &self,
                settings: &$crate::mail::EmailSettings,
            ) -> $crate::error::Result<()> {
                let mut upsert = <$db>::save_email_settings(self.owner(), settings);
                upsert.build().execute(&mut *self.conn().await?).await?;
                Ok(())
            }
        }
    };
}

/// `UserStore` for a handle that implements every area itself.
macro_rules! user_store {
    ($handle:ty) => {
        impl $crate::store::UserStore for $handle {
            fn profile(&self) -> &dyn $crate::store::ProfileStore {
                self
            }
            fn categories(&self) -> &dyn $crate::store::CategoryStore {
                self
            }
            fn expenses(&self) -> &dyn $crate::store::ExpenseStore {
                self
            }
            fn budgets(&self) -> &dyn $crate::store::BudgetStore {
                self
            }
            fn alerts(&self) -> &dyn $crate::store::AlertStore {
                self
            }
            fn outbox(&self) -> &dyn $crate::store::OutboxStore {
                self
            }
            fn spend(&self) -> &dyn $crate::store::SpendStore {
                self
            }
            fn transfer(&self) -> &dyn $crate::store::TransferStore {
                self
            }
            fn statements(&self) -> &dyn $crate::store::StatementStore {
                self
            }
        }
    };
}

/// The merge of two categories, for the backend's `CategoryStore::merge`: expenses, budgets,
/// category rules and children of `from` move to `into`, then `from` goes, in one write. A
/// clash of child names is the backend's `category_conflict`.
macro_rules! merge_categories {
    ($db:ty) => {
        async fn merge_categories(
            &self,
            from: uuid::Uuid,
            into: uuid::Uuid,
        ) -> $crate::error::Result<u64> {
            let owner = self.owner();
            let ids = (from, into);
            let mut tx = self.write().await?;
            let now = Some(chrono::Utc::now());
            let expenses = (<$db>::EXPENSES, "category_id");
            let mut update = <$db>::move_category(owner, expenses, ids, now);
            let moved = update.build().execute(&mut *tx).await?.rows_affected();
            let budgets = (<$db>::BUDGETS, "category_id");
            let mut update = <$db>::move_category(owner, budgets, ids, None);
            update.build().execute(&mut *tx).await?;
            let rules = (<$db>::CATEGORY_RULES, "category_id");
            let mut update = <$db>::move_category(owner, rules, ids, None);
            update.build().execute(&mut *tx).await?;
            let children = (<$db>::CATEGORIES, "parent_id");
            let mut update = <$db>::move_category(owner, children, ids, None);
            let moved_children = update.build().execute(&mut *tx).await;
            moved_children.map_err(category_conflict)?;
            let mut delete = <$db>::delete_category(owner, from);
            if delete.build().execute(&mut *tx).await?.rows_affected() == 0 {
                return Err($crate::AppError::NotFound("Category"));
            }
            tx.commit().await?;
            Ok(moved)
        }
    };
}

pub(crate) use {
    alert_store, budget_store, expense_reads, merge_categories, spend_store,
    statement_layouts_and_rules, user_store,
};
