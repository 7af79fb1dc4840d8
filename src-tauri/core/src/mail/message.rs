//! The e-mails Outlay sends: an alert, or a test. Plain text and HTML; every piece of user
//! text is HTML-escaped, and no header value may hold a line break.

use super::settings::{check_header, EmailSettings};
use crate::alerts::Alert;
use crate::error::{AppError, Result};
use serde::Serialize;

/// One e-mail, ready to send. Built only through [`Message::new`], so its header values never
/// contain CR or LF.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// The To address.
    pub recipient: String,
    /// The From address.
    pub sender: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
}

impl Message {
    /// Checks the header values (recipient, sender, subject) for line breaks.
    pub fn new(
        recipient: &str,
        sender: &str,
        subject: &str,
        text: String,
        html: String,
    ) -> Result<Message> {
        check_header(recipient, "recipient")?;
        check_header(sender, "sender")?;
        check_header(subject, "subject")?;
        Ok(Message {
            recipient: recipient.to_owned(),
            sender: sender.to_owned(),
            subject: subject.to_owned(),
            text,
            html,
        })
    }

    /// The e-mail for `alert`, to and from the addresses in `settings`.
    pub fn for_alert(alert: &Alert, settings: &EmailSettings) -> Result<Message> {
        let (recipient, sender) = addresses(settings)?;
        let subject = format!(
            "{}: {} at {} % in {}",
            alert.title(),
            alert.budget_name,
            alert.percent(),
            alert.period_label()
        );
        let facts = [
            ("Budget", alert.budget_name.clone()),
            ("Period", alert.period_label()),
            ("Spent", alert.spent.to_display_string()),
            ("Limit", alert.limit.to_display_string()),
            ("Threshold reached", format!("{} %", alert.threshold)),
        ];
        let footer =
            "You get this e-mail because budget e-mails are on in Outlay. Turn them off in \
                      Settings, or for one budget on the Budgets screen.";
        let mut text = format!("{}\n\n", alert.body());
        for (name, value) in &facts {
            text.push_str(&format!("{name}: {value}\n"));
        }
        text.push_str(&format!("\n{footer}\n"));
        let mut html = format!(
            "<!doctype html><html><body><p><strong>{}</strong></p><table>",
            escape(&alert.body())
        );
        for (name, value) in &facts {
            html.push_str(&format!(
                "<tr><th align=\"left\">{}</th><td>{}</td></tr>",
                escape(name),
                escape(value)
            ));
        }
        html.push_str(&format!(
            "</table><p><small>{}</small></p></body></html>",
            escape(footer)
        ));
        Message::new(recipient, sender, &subject, text, html)
    }

    /// A short e-mail that proves the settings and the key work.
    pub fn test(settings: &EmailSettings) -> Result<Message> {
        let (recipient, sender) = addresses(settings)?;
        let line = "This is a test e-mail from Outlay. Budget alerts will arrive like this.";
        Message::new(
            recipient,
            sender,
            "Outlay test e-mail",
            format!("{line}\n"),
            format!(
                "<!doctype html><html><body><p>{}</p></body></html>",
                escape(line)
            ),
        )
    }
}

fn addresses(settings: &EmailSettings) -> Result<(&str, &str)> {
    let recipient = settings
        .recipient
        .as_deref()
        .ok_or_else(|| AppError::invalid("recipient", "Enter the address alerts should go to."))?;
    let sender = settings.sender.as_deref().ok_or_else(|| {
        AppError::invalid(
            "sender",
            "Enter the sender address you verified in SendGrid.",
        )
    })?;
    Ok((recipient, sender))
}

/// Escapes the five characters that matter in HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budgets::Budget;
    use crate::domain::{Currency, Money, Period, PeriodKind};
    use chrono::Utc;
    use uuid::Uuid;

    fn settings() -> EmailSettings {
        EmailSettings {
            enabled: true,
            recipient: Some("ann@example.com".into()),
            sender: Some("alerts@example.com".into()),
            updated_at: Utc::now(),
        }
    }

    fn alert(name: &str) -> Alert {
        let budget = Budget {
            id: Uuid::now_v7(),
            category_id: Some(Uuid::now_v7()),
            period: PeriodKind::Monthly,
            amount: Money {
                minor: 40_000,
                currency: Currency::parse("USD").unwrap(),
            },
            thresholds: vec![100],
            email_alerts: true,
            created_at: Utc::now(),
        };
        let period = Period::containing(PeriodKind::Monthly, "2026-11-03".parse().unwrap());
        Alert::new(
            &budget,
            name,
            period,
            100,
            41_250,
            "2026-11-25T12:00:00Z".parse().unwrap(),
        )
    }

    #[test]
    fn alert_mail_says_what_the_notification_says() {
        let mail = Message::for_alert(&alert("Groceries"), &settings()).unwrap();
        assert_eq!(
            mail.subject,
            "Budget alert: Groceries at 103 % in November 2026"
        );
        assert!(mail
            .text
            .starts_with("Groceries: $412.50 of $400.00 spent in November (103 %)\n"));
        assert!(mail.html.contains("<td>$412.50</td>"));
        assert_eq!(
            (mail.recipient.as_str(), mail.sender.as_str()),
            ("ann@example.com", "alerts@example.com")
        );
    }

    #[test]
    fn user_text_is_escaped_in_html() {
        let mail = Message::for_alert(&alert("<b>Tom & \"Jerry's\"</b>"), &settings()).unwrap();
        assert!(mail
            .html
            .contains("&lt;b&gt;Tom &amp; &quot;Jerry&#39;s&quot;&lt;/b&gt;"));
        assert!(!mail.html.contains("<b>Tom"));
        assert!(
            mail.text.contains("<b>Tom & \"Jerry's\"</b>"),
            "plain text stays as typed"
        );
    }

    #[test]
    fn line_breaks_in_any_header_are_a_typed_error() {
        for (recipient, sender, subject, field) in [
            (
                "a@example.com\r\nBcc: x@example.com",
                "s@example.com",
                "Hi",
                "recipient",
            ),
            ("a@example.com", "s@example.com\n", "Hi", "sender"),
            (
                "a@example.com",
                "s@example.com",
                "Hi\r\nBcc: x@example.com",
                "subject",
            ),
        ] {
            let error =
                Message::new(recipient, sender, subject, String::new(), String::new()).unwrap_err();
            assert_eq!(error.field(), Some(field));
        }
    }
}
