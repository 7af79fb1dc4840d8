//! The e-mail outbox table on PostgreSQL. Rows are the signed-in user's by row-level security.

use super::PgUser;
use crate::error::Result;
use crate::mail::{MailOutcome, MailStatus, Message, OutboxMail};
use crate::store::OutboxStore;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgExecutor, Row};
use uuid::Uuid;

fn mail_from_row(row: &PgRow) -> Result<OutboxMail> {
    let attempts: i32 = row.try_get("attempts")?;
    Ok(OutboxMail {
        id: row.try_get("id")?,
        alert_id: row.try_get("alert_id")?,
        message: Message {
            recipient: row.try_get("recipient")?,
            sender: row.try_get("sender")?,
            subject: row.try_get("subject")?,
            text: row.try_get("text_body")?,
            html: row.try_get("html_body")?,
        },
        status: MailStatus::parse(&row.try_get::<String, _>("status")?)?,
        attempts: u32::try_from(attempts).unwrap_or(0),
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        sent_at: row.try_get("sent_at")?,
    })
}

pub(super) async fn insert<'e>(conn: impl PgExecutor<'e>, mail: &OutboxMail) -> Result<()> {
    sqlx::query(
        r#"INSERT INTO outlay.email_outbox (id, alert_id, recipient,
            sender, subject, text_body, html_body, status, attempts, next_attempt_at,
            created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"#,
    )
    .bind(mail.id)
    .bind(mail.alert_id)
    .bind(&mail.message.recipient)
    .bind(&mail.message.sender)
    .bind(&mail.message.subject)
    .bind(&mail.message.text)
    .bind(&mail.message.html)
    .bind(mail.status.as_str())
    .bind(i32::try_from(mail.attempts).unwrap_or(i32::MAX))
    .bind(mail.next_attempt_at)
    .bind(mail.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

async fn claim<'e>(
    conn: impl PgExecutor<'e>,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<OutboxMail>> {
    // SKIP LOCKED: a second device draining at the same moment takes the next mail instead of
    // waiting for (and then re-checking) this one.
    let row = sqlx::query(
        r#"UPDATE outlay.email_outbox
            SET status = 'sending', attempts = attempts + 1, next_attempt_at = $2
            WHERE id = (SELECT id FROM outlay.email_outbox WHERE owner = current_user AND status
            IN ('pending', 'sending') AND next_attempt_at <= $1 ORDER BY next_attempt_at, id
            LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING *"#,
    )
    .bind(now)
    .bind(lease_until)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(mail_from_row).transpose()
}

async fn finish<'e>(
    conn: impl PgExecutor<'e>,
    id: Uuid,
    attempt: u32,
    outcome: &MailOutcome,
) -> Result<bool> {
    let (status, due, error, sent_at) = match outcome {
        MailOutcome::Sent(at) => (MailStatus::Sent, None, None, Some(*at)),
        MailOutcome::RetryAt(at, error) => (MailStatus::Pending, Some(*at), Some(error), None),
        MailOutcome::Failed(error) => (MailStatus::Failed, None, Some(error), None),
    };
    let done = sqlx::query(
        r#"UPDATE outlay.email_outbox
            SET status = $1, next_attempt_at = coalesce($2, next_attempt_at), last_error =
            coalesce($3, last_error), sent_at = $4
            WHERE id = $5 AND status = 'sending' AND attempts = $6"#,
    )
    .bind(status.as_str())
    .bind(due)
    .bind(error)
    .bind(sent_at)
    .bind(id)
    .bind(i32::try_from(attempt).unwrap_or(i32::MAX))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

async fn list<'e>(
    conn: impl PgExecutor<'e>,
    status: Option<MailStatus>,
    limit: u32,
) -> Result<Vec<OutboxMail>> {
    let rows = sqlx::query(
        r#"SELECT *
            FROM outlay.email_outbox
            WHERE ($1::text IS NULL OR status = $1)
            ORDER BY id DESC
            LIMIT $2"#,
    )
    .bind(status.map(MailStatus::as_str))
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.iter().map(mail_from_row).collect()
}

async fn retry<'e>(conn: impl PgExecutor<'e>, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE outlay.email_outbox SET status = 'pending', attempts = 0, next_attempt_at = $1 \
         WHERE id = $2 AND status = 'failed'",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

async fn next_due<'e>(conn: impl PgExecutor<'e>) -> Result<Option<DateTime<Utc>>> {
    Ok(sqlx::query_scalar(
        "SELECT min(next_attempt_at) FROM outlay.email_outbox \
         WHERE owner = current_user AND status IN ('pending', 'sending')",
    )
    .fetch_one(conn)
    .await?)
}

#[async_trait::async_trait]
impl OutboxStore for PgUser {
    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<OutboxMail>> {
        claim(&mut *self.conn().await?, now, lease_until).await
    }

    async fn finish(&self, id: Uuid, attempt: u32, outcome: &MailOutcome) -> Result<bool> {
        finish(&mut *self.conn().await?, id, attempt, outcome).await
    }

    async fn list(&self, status: Option<MailStatus>, limit: u32) -> Result<Vec<OutboxMail>> {
        list(&mut *self.conn().await?, status, limit).await
    }

    async fn retry(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
        retry(&mut *self.conn().await?, id, now).await
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        next_due(&mut *self.conn().await?).await
    }
}
