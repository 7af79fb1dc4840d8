//! PostgreSQL only: isolation enforced by the server. User A connects with a raw connection and
//! their own credentials (what `psql` could do) and tries everything against user B.

use crate::harness::postgres::{credentials, TestDatabase};
use crate::harness::{Backend, TestApp};
use crate::statements::{expense, import, rule};
use sqlx::{Connection, Executor, PgConnection, Row};

const PASSWORD: &str = "correct horse battery";
const USER_TABLES: [&str; 13] = [
    "users",
    "categories",
    "expenses",
    "expense_tags",
    "budgets",
    "remember_tokens",
    "expense_day_totals",
    "alerts",
    "email_settings",
    "email_outbox",
    "statement_layouts",
    "category_rules",
    "bank_references",
];

/// Ann and Bob with an expense (tagged), a budget, an alert with its queued e-mail, e-mail
/// settings, a remember-me token, a saved statement layout, a category rule and an imported
/// expense (in October) with its bank reference each; Ann's raw connection; Bob's role name.
struct World {
    app: TestApp,
    ann: PgConnection,
    bob_role: String,
    bob_expense: uuid::Uuid,
    bob_category: uuid::Uuid,
    bob_budget: uuid::Uuid,
    bob_alert: uuid::Uuid,
}

async fn world() -> Option<World> {
    if !Backend::Postgres.available() {
        return None;
    }
    let app = Backend::Postgres.app().await;
    let (mut bob_expense, mut bob_budget, mut bob_alert) = (None, None, None);
    let mut bob_session = None;
    for email in ["ann@example.com", "bob@example.com"] {
        let session = app.user(email).await;
        app.outlay
            .save_email_settings(
                &session,
                outlay_core::mail::EmailSettingsInput {
                    enabled: true,
                    recipient: email.into(),
                    sender: "alerts@example.com".into(),
                },
            )
            .await
            .unwrap();
        let category = app.category(&session, "Groceries").await.id;
        let budget = app
            .outlay
            .create_budget(
                &session,
                outlay_core::budgets::BudgetInput {
                    category_id: None,
                    period: outlay_core::domain::PeriodKind::Monthly,
                    amount: "10".into(),
                    currency: None,
                    thresholds: None,
                },
            )
            .await
            .unwrap();
        let mut input = crate::harness::input("12.50", "2026-11-20", category);
        input.tags = vec!["secret".into()];
        let saved = app.outlay.add_expense(&session, input).await.unwrap();
        assert_eq!(saved.fired.len(), 2, "80 % and 100 % of 10");
        let statements = session.store().statements();
        statements
            .save_layout("bank-x", "{}", crate::harness::test_now())
            .await
            .unwrap();
        statements
            .add_rule(&rule("LIDL", category, 0))
            .await
            .unwrap();
        let mut imported = expense(category, 100, "from the bank");
        imported.date = "2026-10-05".parse().unwrap();
        import(
            &session,
            std::slice::from_ref(&imported),
            &[(imported.id, "FITID-1")],
        )
        .await;
        bob_expense = Some(saved.value.id);
        bob_budget = Some(budget.value.id);
        bob_alert = Some(saved.fired[0].id);
        app.outlay.log_in(email, PASSWORD, true).await.unwrap();
        bob_session = Some(session);
    }
    let bob = outlay_core::domain::Email::parse("bob@example.com").unwrap();
    let bob_login = app
        .outlay
        .store()
        .login_record(&bob)
        .await
        .unwrap()
        .unwrap();
    let bob_session = bob_session.expect("Bob signed up last");
    let bob_category = app.category(&bob_session, "Groceries").await.id;
    let ann = connect_as(&app, "ann@example.com").await;
    Some(World {
        bob_role: bob_login.database_role.unwrap(),
        bob_expense: bob_expense.unwrap(),
        bob_category,
        bob_budget: bob_budget.unwrap(),
        bob_alert: bob_alert.unwrap(),
        ann,
        app,
    })
}

fn database(app: &TestApp) -> &TestDatabase {
    app.postgres().expect("a PostgreSQL test app")
}

async fn connect_as(app: &TestApp, email: &str) -> PgConnection {
    let (role, key) = credentials(&app.outlay, email, PASSWORD).await;
    let options = database(app).signin.clone().username(&role).password(&key);
    PgConnection::connect_with(&options).await.unwrap()
}

/// The SQLSTATE of a statement that must fail.
async fn refused(conn: &mut PgConnection, sql: &str) -> String {
    match conn.execute(sqlx::AssertSqlSafe(sql.to_owned())).await {
        Ok(done) => panic!("{sql:?} succeeded ({} rows)", done.rows_affected()),
        Err(sqlx::Error::Database(db)) => db.code().unwrap_or_default().into_owned(),
        Err(other) => panic!("{sql:?}: {other}"),
    }
}

/// Rows of `owner` per user table, counted by the superuser behind RLS's back.
async fn rows_of(db: &TestDatabase, owner: &str) -> Vec<i64> {
    let mut admin = db.admin().await;
    let mut counts = Vec::new();
    for table in USER_TABLES {
        let sql = format!("SELECT count(*) FROM outlay.{table} WHERE owner = $1");
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(owner)
            .fetch_one(&mut admin)
            .await
            .unwrap();
        counts.push(count);
    }
    counts
}

#[tokio::test]
async fn a_user_sees_only_their_own_rows() {
    let Some(mut w) = world().await else { return };
    for table in USER_TABLES {
        let sql = format!(
            r#"
            SELECT count(*) AS mine, count(*) FILTER (WHERE owner <> current_user) AS theirs
            FROM outlay.{table}
            "#
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut w.ann)
            .await
            .unwrap();
        assert_eq!(row.get::<i64, _>("theirs"), 0, "{table}");
        assert!(
            row.get::<i64, _>("mine") > 0,
            "{table}: Ann sees her own rows"
        );
    }
    for table in ["login_throttle", "installation", "deleted_roles"] {
        let sql = format!("SELECT * FROM outlay.{table}");
        assert_eq!(refused(&mut w.ann, &sql).await, "42501", "{table}");
    }
    assert_eq!(
        refused(&mut w.ann, "SELECT rolpassword FROM pg_authid").await,
        "42501"
    );
}

#[tokio::test]
async fn a_user_cannot_change_or_delete_anothers_rows() {
    let Some(mut w) = world().await else { return };
    let before = rows_of(database(&w.app), &w.bob_role).await;
    let bob = &w.bob_role;
    for table in USER_TABLES {
        for sql in [
            format!("UPDATE outlay.{table} SET owner = owner WHERE owner = '{bob}'"),
            format!("DELETE FROM outlay.{table} WHERE owner = '{bob}'"),
        ] {
            // Either not granted at all, or no row of Bob's is visible to change.
            match w.ann.execute(sqlx::AssertSqlSafe(sql.clone())).await {
                Ok(done) => assert_eq!(done.rows_affected(), 0, "{sql}"),
                Err(sqlx::Error::Database(db)) => {
                    assert_eq!(db.code().unwrap(), "42501", "{sql}")
                }
                Err(other) => panic!("{sql}: {other}"),
            }
        }
    }
    let sql = format!(
        "UPDATE outlay.expenses SET description = 'pwned' WHERE id = '{}'",
        w.bob_expense
    );
    let done = w.ann.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    assert_eq!(done.rows_affected(), 0);
    // Handing her own rows to Bob is refused too (WITH CHECK).
    let sql = format!("UPDATE outlay.expenses SET owner = '{bob}'");
    assert_eq!(refused(&mut w.ann, &sql).await, "42501");
    // Nor can she read his alerts for him, or mark his mail sent.
    let sql = format!(
        "UPDATE outlay.alerts SET read_at = now() WHERE id = '{}'",
        w.bob_alert
    );
    assert_eq!(
        w.ann
            .execute(sqlx::AssertSqlSafe(sql))
            .await
            .unwrap()
            .rows_affected(),
        0
    );
    let sql = format!("UPDATE outlay.email_outbox SET status = 'sent' WHERE owner = '{bob}'");
    assert_eq!(
        w.ann
            .execute(sqlx::AssertSqlSafe(sql))
            .await
            .unwrap()
            .rows_affected(),
        0
    );
    // Only the delivery columns of her own mail may change: not its recipient or text.
    assert_eq!(
        refused(
            &mut w.ann,
            "UPDATE outlay.email_outbox SET recipient = 'eve@example.com'"
        )
        .await,
        "42501"
    );
    assert_eq!(
        refused(&mut w.ann, "UPDATE outlay.alerts SET threshold = 1").await,
        "42501"
    );
    assert_eq!(rows_of(database(&w.app), &w.bob_role).await, before);
}

#[tokio::test]
async fn a_user_cannot_insert_rows_as_another() {
    let Some(mut w) = world().await else { return };
    let before = rows_of(database(&w.app), &w.bob_role).await;
    let (bob, expense, category) = (&w.bob_role, w.bob_expense, w.bob_category);
    let (budget, alert) = (w.bob_budget, w.bob_alert);
    let id = uuid::Uuid::now_v7();
    for (sql, code) in [
        (
            format!(
                r#"
                INSERT INTO outlay.categories (id, owner, name, colour, created_at)
                VALUES ('{id}', '{bob}', 'x', '#000000', now())
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.expenses (id, owner, category_id, amount_minor, currency,
                    spent_on, created_at, updated_at)
                VALUES ('{id}', '{bob}', '{category}', 1, 'USD', '2026-11-01', now(), now())
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.expense_tags (expense_id, owner, tag)
                VALUES ('{expense}', '{bob}', 'mine')
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.budgets (id, owner, period, amount_minor, currency, created_at)
                VALUES ('{id}', '{bob}', 'monthly', 1, 'USD', now())
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.remember_tokens (token_hash, owner, sealed_key, created_at,
                    expires_at)
                VALUES ('\x00', '{bob}', '\x00', now(), now())
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.expense_day_totals (owner, currency, spent_on, category_id,
                    amount_minor, expense_count)
                VALUES ('{bob}', 'USD', '2026-11-01', '{category}', 1, 1)
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.users (id, email, password_hash, base_currency, created_at,
                    owner)
                VALUES ('{id}', 'x@example.com', 'x', 'USD', now(), '{bob}')
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.alerts (id, owner, budget_id, budget_name, period, period_start,
                    threshold, spent_minor, limit_minor, currency, created_at)
                VALUES ('{id}', '{bob}', '{budget}', 'x', 'monthly', '2026-12-01', 80, 1, 1, 'USD',
                    now())
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.email_settings (owner, enabled, recipient, sender, updated_at)
                VALUES ('{bob}', true, 'eve@example.com', 'eve@example.com', now())
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.email_outbox (id, owner, recipient, sender, subject, text_body,
                    html_body, next_attempt_at, created_at)
                VALUES ('{id}', '{bob}', 'x@example.com', 'x@example.com', 'x', 'x', 'x', now(),
                    now())
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.statement_layouts (owner, fingerprint, mapping, updated_at)
                VALUES ('{bob}', 'bank-y', '{{}}', now())
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.category_rules (id, owner, contains, folded, category_id,
                    created_at)
                VALUES ('{id}', '{bob}', 'x', 'x', '{category}', now())
                "#
            ),
            "42501",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.bank_references (owner, reference, expense_id)
                VALUES ('{bob}', 'FITID-2', '{expense}')
                "#
            ),
            "42501",
        ),
        // Her mail cannot hang off his alert: the foreign key includes the owner.
        (
            format!(
                r#"
                INSERT INTO outlay.email_outbox (id, alert_id, recipient, sender, subject,
                    text_body, html_body, next_attempt_at, created_at)
                VALUES ('{id}', '{alert}', 'x@example.com', 'x@example.com', 'x', 'x', 'x', now(),
                    now())
                "#
            ),
            "23503",
        ),
        // A header injected behind the app's back is refused by the table itself.
        (
            format!(
                r#"
                INSERT INTO outlay.email_outbox (id, recipient, sender, subject, text_body,
                    html_body, next_attempt_at, created_at)
                VALUES ('{id}', 'x@example.com', 'x@example.com', E'Hi\r\nBcc: eve@example.com',
                    'x', 'x', now(), now())
                "#
            ),
            "23514",
        ),
        // Her own rows cannot point at Bob's: the foreign keys include the owner.
        (
            format!(
                r#"
                INSERT INTO outlay.expenses (id, category_id, amount_minor, currency, spent_on,
                    created_at, updated_at)
                VALUES ('{id}', '{category}', 1, 'USD', '2026-11-01', now(), now())
                "#
            ),
            "23503",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.expense_tags (expense_id, tag)
                VALUES ('{expense}', 'mine')
                "#
            ),
            "23503",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.category_rules (id, contains, folded, category_id, created_at)
                VALUES ('{id}', 'x', 'x', '{category}', now())
                "#
            ),
            "23503",
        ),
        (
            format!(
                r#"
                INSERT INTO outlay.bank_references (reference, expense_id)
                VALUES ('FITID-2', '{expense}')
                "#
            ),
            "23503",
        ),
    ] {
        assert_eq!(refused(&mut w.ann, &sql).await, code, "{sql}");
    }
    assert_eq!(rows_of(database(&w.app), &w.bob_role).await, before);
}

#[tokio::test]
async fn a_user_cannot_change_the_rules() {
    let Some(mut w) = world().await else { return };
    for sql in [
        "ALTER TABLE outlay.expenses DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE outlay.expenses NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY own_rows ON outlay.expenses",
        "ALTER POLICY own_rows ON outlay.expenses USING (true)",
        "CREATE POLICY everything ON outlay.expenses USING (true)",
        "CREATE TABLE public.mine (a int)",
        "CREATE TABLE outlay.mine (a int)",
        "CREATE TEMP TABLE mine (a int)",
        "CREATE FUNCTION public.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "CREATE FUNCTION outlay.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "CREATE FUNCTION pg_temp.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        r#"
        CREATE OR REPLACE FUNCTION outlay.clear_my_login_failures() RETURNS void
        LANGUAGE sql AS ''
        "#,
        "CREATE SCHEMA mine",
        r#"
        SELECT outlay.sign_up('00000000-0000-7000-8000-000000000000', 'x@example.com', 'x',
            'SCRAM-SHA-256$x', 'USD', now(), '[]')
        "#,
        "SELECT outlay.login_failed('bob@example.com')",
        "SELECT outlay.drop_deleted_roles()",
    ] {
        assert_eq!(refused(&mut w.ann, sql).await, "42501", "{sql}");
    }
    let sql = format!("SET ROLE \"{}\"", w.bob_role);
    assert_eq!(refused(&mut w.ann, &sql).await, "42501");
    let sql = format!("SET SESSION AUTHORIZATION \"{}\"", w.bob_role);
    assert_eq!(refused(&mut w.ann, &sql).await, "42501");
    let sql = format!("SET ROLE \"{}\"", database(&w.app).name);
    assert_eq!(refused(&mut w.ann, &sql).await, "42501", "the owner role");
}

#[tokio::test]
async fn the_group_role_is_no_back_door() {
    let Some(mut w) = world().await else { return };
    let group = format!("outlay_{}_users", database(&w.app).oid);
    // PostgreSQL 15 lets members SET ROLE to a group; as the group no row is visible and
    // none can be made (it has no account to own rows).
    w.ann
        .execute(sqlx::AssertSqlSafe(format!("SET ROLE \"{group}\"")))
        .await
        .unwrap();
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM outlay.expenses")
        .fetch_one(&mut w.ann)
        .await
        .unwrap();
    assert_eq!(seen, 0);
    let id = uuid::Uuid::now_v7();
    let sql = format!(
        r#"
        INSERT INTO outlay.categories (id, name, colour, created_at)
        VALUES ('{id}', 'x', '#000000', now())
        "#
    );
    assert_eq!(refused(&mut w.ann, &sql).await, "23503");
}

#[tokio::test]
async fn app_roles_are_not_owner_superuser_or_bypassrls() {
    let Some(mut w) = world().await else { return };
    let db = database(&w.app);
    let mut signin = PgConnection::connect_with(&db.signin).await.unwrap();
    for conn in [&mut w.ann, &mut signin] {
        let row = sqlx::query(
            r#"
            SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication,
                pg_has_role(current_user, $1, 'MEMBER') AS in_owner
            FROM pg_roles WHERE rolname = current_user
            "#,
        )
        .bind(&db.name)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        for column in [
            "rolsuper",
            "rolbypassrls",
            "rolcreaterole",
            "rolcreatedb",
            "rolreplication",
            "in_owner",
        ] {
            assert!(!row.get::<bool, _>(column), "{column}");
        }
        let owned: i64 = sqlx::query_scalar(
            r#"
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'outlay' AND pg_has_role(current_user, c.relowner, 'MEMBER')
            "#,
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert_eq!(owned, 0, "owns no table of the schema");
    }
    // The shared sign-in role reads no table at all.
    for table in USER_TABLES {
        let sql = format!("SELECT * FROM outlay.{table}");
        assert_eq!(refused(&mut signin, &sql).await, "42501", "{table}");
    }
}

#[tokio::test]
async fn the_server_checks_each_users_password() {
    let Some(w) = world().await else { return };
    let (_, anns_key) = credentials(&w.app.outlay, "ann@example.com", PASSWORD).await;
    let options = database(&w.app)
        .signin
        .clone()
        .username(&w.bob_role)
        .password(&anns_key);
    let error = PgConnection::connect_with(&options).await.unwrap_err();
    assert!(
        matches!(&error, sqlx::Error::Database(db) if db.code().as_deref() == Some("28P01")),
        "a trust rule in pg_hba.conf would void the isolation: {error}"
    );
}

#[tokio::test]
async fn spend_totals_are_kept_by_the_server_alone() {
    let Some(mut w) = world().await else { return };
    // Ann may read her own totals but not forge them, even her own.
    for sql in [
        "UPDATE outlay.expense_day_totals SET amount_minor = 0",
        "DELETE FROM outlay.expense_day_totals",
        r#"
        INSERT INTO outlay.expense_day_totals (currency, spent_on, category_id, amount_minor,
            expense_count)
        VALUES ('USD', '2026-11-01', '00000000-0000-7000-8000-000000000000', 1, 1)
        "#,
    ] {
        assert_eq!(refused(&mut w.ann, sql).await, "42501", "{sql}");
    }
    // Her own expenses (12.50 and the imported 1.00), written over her raw connection, still
    // update them (the trigger).
    w.ann
        .execute("UPDATE outlay.expenses SET amount_minor = amount_minor + 100")
        .await
        .unwrap();
    let total: i64 =
        sqlx::query_scalar("SELECT sum(amount_minor)::bigint FROM outlay.expense_day_totals")
            .fetch_one(&mut w.ann)
            .await
            .unwrap();
    assert_eq!(total, 1550);
    let ann = w
        .app
        .outlay
        .log_in("ann@example.com", PASSWORD, false)
        .await
        .unwrap()
        .session;
    let ann_role = credentials(&w.app.outlay, "ann@example.com", PASSWORD)
        .await
        .0;
    w.app.outlay.delete_account(&ann, PASSWORD).await.unwrap();
    let mut admin = database(&w.app).admin().await;
    let left: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outlay.expense_day_totals WHERE owner = $1")
            .bind(&ann_role)
            .fetch_one(&mut admin)
            .await
            .unwrap();
    assert_eq!(left, 0, "a deleted account leaves no totals");
}

#[tokio::test]
async fn a_deleted_account_leaves_no_rows() {
    let Some(w) = world().await else { return };
    let ann = w
        .app
        .outlay
        .log_in("ann@example.com", PASSWORD, false)
        .await
        .unwrap()
        .session;
    let ann_role = credentials(&w.app.outlay, "ann@example.com", PASSWORD)
        .await
        .0;
    let bobs = rows_of(database(&w.app), &w.bob_role).await;
    w.app.outlay.delete_account(&ann, PASSWORD).await.unwrap();
    let left = rows_of(database(&w.app), &ann_role).await;
    assert_eq!(left, [0; USER_TABLES.len()], "{USER_TABLES:?}");
    assert_eq!(rows_of(database(&w.app), &w.bob_role).await, bobs);
}
