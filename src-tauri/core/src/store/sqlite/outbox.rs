//! The e-mail outbox table on SQLite. Times the queue compares are unix milliseconds.

use super::SqliteUser;
use crate::error::{AppError, Result};
use crate::mail::{MailOutcome, MailStatus, Message, OutboxMail};
use crate::store::OutboxStore;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor};
use uuid::Uuid;

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn instant(millis: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| AppError::Internal("A stored time is out of range.".into()))
}

fn mail_from_row(row: &SqliteRow) -> Result<OutboxMail> {
    let attempts: i64 = row.try_get("attempts")?;
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
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        next_attempt_at: instant(row.try_get("due_ms")?)?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        sent_at: row.try_get("sent_at")?,
    })
}

pub(super) async fn insert<'e>(
    conn: impl SqliteExecutor<'e>,
    user: Uuid,
    mail: &OutboxMail,
) -> Result<()> {
    sqlx::query(
        r#"INSERT INTO email_outbox (id, user_id, alert_id, recipient,
            sender, subject, text_body, html_body, status, attempts, due_ms, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"#,
    )
    .bind(mail.id)
    .bind(user)
    .bind(mail.alert_id)
    .bind(&mail.message.recipient)
    .bind(&mail.message.sender)
    .bind(&mail.message.subject)
    .bind(&mail.message.text)
    .bind(&mail.message.html)
    .bind(mail.status.as_str())
    .bind(i64::from(mail.attempts))
    .bind(millis(mail.next_attempt_at))
    .bind(mail.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

async fn claim<'e>(
    conn: impl SqliteExecutor<'e>,
    user: Uuid,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<OutboxMail>> {
    // One statement: picking and claiming cannot be split by another sender.
    let row = sqlx::query(
        r#"UPDATE email_outbox
            SET status = 'sending', attempts = attempts + 1, due_ms = ?
            WHERE id = (SELECT id FROM email_outbox WHERE user_id = ? AND status IN ('pending',
            'sending') AND due_ms <= ? ORDER BY due_ms, id LIMIT 1)
            RETURNING *"#,
    )
    .bind(millis(lease_until))
    .bind(user)
    .bind(millis(now))
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(mail_from_row).transpose()
}

async fn finish<'e>(
    conn: impl SqliteExecutor<'e>,
    user: Uuid,
    id: Uuid,
    attempt: u32,
    outcome: &MailOutcome,
) -> Result<bool> {
    let (status, due, error, sent_at) = match outcome {
        MailOutcome::Sent(at) => (MailStatus::Sent, None, None, Some(*at)),
        MailOutcome::RetryAt(at, error) => {
            (MailStatus::Pending, Some(millis(*at)), Some(error), None)
        }
        MailOutcome::Failed(error) => (MailStatus::Failed, None, Some(error), None),
    };
    let done = sqlx::query(
        r#"UPDATE email_outbox
            SET status = ?, due_ms = coalesce(?, due_ms), last_error = coalesce(?, last_error),
            sent_at = ?
            WHERE user_id = ? AND id = ? AND status = 'sending' AND attempts = ?"#,
    )
    .bind(status.as_str())
    .bind(due)
    .bind(error)
    .bind(sent_at)
    .bind(user)
    .bind(id)
    .bind(i64::from(attempt))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

async fn list<'e>(
    conn: impl SqliteExecutor<'e>,
    user: Uuid,
    status: Option<MailStatus>,
    limit: u32,
) -> Result<Vec<OutboxMail>> {
    let rows = sqlx::query(
        r#"SELECT *
            FROM email_outbox
            WHERE user_id = ? AND (? IS NULL OR status = ?)
            ORDER BY id DESC
            LIMIT ?"#,
    )
    .bind(user)
    .bind(status.map(MailStatus::as_str))
    .bind(status.map(MailStatus::as_str))
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.iter().map(mail_from_row).collect()
}

async fn retry<'e>(
    conn: impl SqliteExecutor<'e>,
    user: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE email_outbox SET status = 'pending', attempts = 0, due_ms = ? \
         WHERE user_id = ? AND id = ? AND status = 'failed'",
    )
    .bind(millis(now))
    .bind(user)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

async fn next_due<'e>(conn: impl SqliteExecutor<'e>, user: Uuid) -> Result<Option<DateTime<Utc>>> {
    let due: Option<i64> = sqlx::query_scalar(
        r#"SELECT min(due_ms)
            FROM email_outbox
            WHERE user_id = ? AND status IN ('pending', 'sending')"#,
    )
    .bind(user)
    .fetch_one(conn)
    .await?;
    due.map(instant).transpose()
}

#[async_trait::async_trait]
impl OutboxStore for SqliteUser {
    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<OutboxMail>> {
        claim(&self.pool, self.user, now, lease_until).await
    }

    async fn finish(&self, id: Uuid, attempt: u32, outcome: &MailOutcome) -> Result<bool> {
        finish(&self.pool, self.user, id, attempt, outcome).await
    }

    async fn list(&self, status: Option<MailStatus>, limit: u32) -> Result<Vec<OutboxMail>> {
        list(&self.pool, self.user, status, limit).await
    }

    async fn retry(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
        retry(&self.pool, self.user, id, now).await
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        next_due(&self.pool, self.user).await
    }
}
