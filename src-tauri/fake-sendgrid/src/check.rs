//! The request body checked against SendGrid's documented v3 Mail Send schema (the parts a
//! client can get wrong): at least one personalization with at least one `to` address,
//! `from.email`, a subject, and content items with `type` and a non-empty `value`, plain text
//! before HTML.

use crate::Mail;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Why a body was refused: the field and SendGrid-like wording.
#[derive(Debug)]
pub struct Refusal {
    pub field: String,
    pub message: String,
}

fn refuse(field: impl Into<String>, message: impl Into<String>) -> Refusal {
    Refusal {
        field: field.into(),
        message: message.into(),
    }
}

/// A plausible address: something@something.tld, no spaces or line breaks.
fn is_address(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn address(value: Option<&Value>, field: &str) -> Result<String, Refusal> {
    let email = value
        .and_then(Value::as_object)
        .and_then(|o| o.get("email"))
        .and_then(Value::as_str)
        .ok_or_else(|| refuse(field, "The email parameter is required."))?;
    if !is_address(email) {
        return Err(refuse(
            format!("{field}.email"),
            "Does not contain a valid address.",
        ));
    }
    Ok(email.to_owned())
}

fn string_map(value: Option<&Value>, field: &str) -> Result<BTreeMap<String, String>, Refusal> {
    let Some(value) = value else {
        return Ok(BTreeMap::new());
    };
    let object = value
        .as_object()
        .ok_or_else(|| refuse(field, "Must be an object of strings."))?;
    object
        .iter()
        .map(|(k, v)| match v.as_str() {
            Some(text) => Ok((k.clone(), text.to_owned())),
            None => Err(refuse(format!("{field}.{k}"), "Values must be strings.")),
        })
        .collect()
}

fn non_empty_str<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Checks `body` and returns the mail it describes.
pub fn mail(body: &Value) -> Result<Mail, Refusal> {
    let root = body
        .as_object()
        .ok_or_else(|| refuse("", "The request body must be a JSON object."))?;
    let personalizations = root
        .get("personalizations")
        .and_then(Value::as_array)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            refuse(
                "personalizations",
                "You must have at least one personalization.",
            )
        })?;
    if personalizations.len() > 1000 {
        return Err(refuse(
            "personalizations",
            "The personalization block is limited to 1000 personalizations per API request.",
        ));
    }
    let mut to = Vec::new();
    let mut personal_subject = None;
    for (i, personalization) in personalizations.iter().enumerate() {
        let field = format!("personalizations.{i}");
        let object = personalization
            .as_object()
            .ok_or_else(|| refuse(&field, "Each personalization must be an object."))?;
        let recipients = object
            .get("to")
            .and_then(Value::as_array)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                refuse(
                    format!("{field}.to"),
                    "The to array is required for all personalization objects, and must have at \
                     least one email object with a valid email address.",
                )
            })?;
        for (j, recipient) in recipients.iter().enumerate() {
            to.push(address(Some(recipient), &format!("{field}.to.{j}"))?);
        }
        if personal_subject.is_none() {
            personal_subject = non_empty_str(object, "subject").map(str::to_owned);
        }
    }
    let from = address(root.get("from"), "from")?;
    let subject = non_empty_str(root, "subject")
        .map(str::to_owned)
        .or(personal_subject)
        .ok_or_else(|| {
            refuse(
                "subject",
                "The subject is required. You can get around this requirement if you use a \
                 template with a subject defined or if every personalization has a subject \
                 defined.",
            )
        })?;
    let content = root
        .get("content")
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            refuse(
                "content",
                "Unless a valid template_id is provided, the content parameter is required.",
            )
        })?;
    let (mut text, mut html) = (None, None);
    for (i, item) in content.iter().enumerate() {
        let field = format!("content.{i}");
        let object = item
            .as_object()
            .ok_or_else(|| refuse(&field, "Each content item must be an object."))?;
        let kind = non_empty_str(object, "type")
            .ok_or_else(|| refuse(format!("{field}.type"), "The content type cannot be blank."))?;
        let value = non_empty_str(object, "value").ok_or_else(|| {
            refuse(
                format!("{field}.value"),
                "The content value must be a string at least one character in length.",
            )
        })?;
        match kind {
            "text/plain" if i != 0 => {
                return Err(refuse(
                    format!("{field}.type"),
                    "If present, text/plain content must be first, followed by text/html.",
                ))
            }
            "text/plain" => text = Some(value.to_owned()),
            "text/html" => html = Some(value.to_owned()),
            _ => {}
        }
    }
    Ok(Mail {
        to,
        from,
        subject,
        text,
        html,
        custom_args: string_map(root.get("custom_args"), "custom_args")?,
        headers: string_map(root.get("headers"), "headers")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid() -> Value {
        json!({
            "personalizations": [{"to": [{"email": "ann@example.com"}]}],
            "from": {"email": "alerts@example.com"},
            "subject": "Budget alert",
            "content": [
                {"type": "text/plain", "value": "Over."},
                {"type": "text/html", "value": "<p>Over.</p>"}
            ],
            "custom_args": {"outbox_id": "42"}
        })
    }

    #[test]
    fn a_documented_body_passes() {
        let mail = mail(&valid()).unwrap();
        assert_eq!(mail.to, ["ann@example.com"]);
        assert_eq!(mail.html.as_deref(), Some("<p>Over.</p>"));
        assert_eq!(mail.custom_args["outbox_id"], "42");
    }

    /// Spoils one part of a valid body.
    type Spoil = fn(&mut Value);

    #[test]
    fn each_required_part_is_checked() {
        let cases: [(&str, Spoil); 6] = [
            ("personalizations", |b| b["personalizations"] = json!([])),
            ("personalizations.0.to", |b| {
                b["personalizations"][0]["to"] = json!([])
            }),
            ("from", |b| {
                b.as_object_mut().unwrap().remove("from");
            }),
            ("subject", |b| b["subject"] = json!("")),
            ("content.0.value", |b| b["content"][0]["value"] = json!("")),
            ("content.1.type", |b| {
                b["content"] = json!([
                    {"type": "text/html", "value": "x"},
                    {"type": "text/plain", "value": "y"}
                ])
            }),
        ];
        for (field, spoil) in cases {
            let mut body = valid();
            spoil(&mut body);
            assert_eq!(mail(&body).unwrap_err().field, field);
        }
    }
}
