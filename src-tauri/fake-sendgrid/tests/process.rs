//! The fake as the end-to-end tests use it: a process that prints its URL, scripted and read
//! over its `/_fake/` endpoints.

#![allow(
    clippy::unwrap_used,
    reason = "test code, helpers too: a failed unwrap is a failed test, naming the error"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// Kills the fake (by its own PID) however the test ends.
struct Fake(Child);

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 request over a fresh connection; returns the status and the body.
fn http(url: &str, method: &str, path: &str, auth: Option<&str>, body: &str) -> (u16, String) {
    let address = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    let auth = auth.map_or(String::new(), |a| format!("Authorization: {a}\r\n"));
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

const MAIL: &str = r#"{"personalizations":[{"to":[{"email":"ann@example.com"}]}],"from":{"email":"alerts@example.com"},"subject":"Budget alert","content":[{"type":"text/plain","value":"Over."}]}"#;

#[test]
fn the_process_prints_its_url_and_is_scripted_over_http() {
    let child = Command::new(env!("CARGO_BIN_EXE_fake-sendgrid"))
        .args(["--port", "0", "--key", "SG.e2e"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut fake = Fake(child);
    let mut url = String::new();
    BufReader::new(fake.0.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let send = |auth| http(url, "POST", "/v3/mail/send", auth, MAIL).0;
    assert_eq!(send(Some("Bearer SG.wrong")), 401);
    assert_eq!(send(None), 401);
    let script = r#"[{"reply":"tooManyRequests","retryAfter":1},{"reply":"accept"}]"#;
    assert_eq!(http(url, "POST", "/_fake/script", None, script).0, 200);
    assert_eq!(send(Some("Bearer SG.e2e")), 429);
    assert_eq!(send(Some("Bearer SG.e2e")), 202);
    let bad = MAIL.replace(r#""subject":"Budget alert","#, "");
    assert_eq!(
        http(url, "POST", "/v3/mail/send", Some("Bearer SG.e2e"), &bad).0,
        400
    );

    let (status, mails) = http(url, "GET", "/_fake/mails", None, "");
    assert_eq!(status, 200);
    let mails: serde_json::Value = serde_json::from_str(&mails).unwrap();
    assert_eq!(mails.as_array().unwrap().len(), 1);
    assert_eq!(mails[0]["to"][0], "ann@example.com");
    assert_eq!(mails[0]["subject"], "Budget alert");
    let (_, requests) = http(url, "GET", "/_fake/requests", None, "");
    let statuses: Vec<u64> = serde_json::from_str::<serde_json::Value>(&requests)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [401, 401, 429, 202, 400]);
    assert_eq!(http(url, "POST", "/_fake/reset", None, "").0, 200);
    assert_eq!(http(url, "GET", "/_fake/mails", None, "").1, "[]");
}
