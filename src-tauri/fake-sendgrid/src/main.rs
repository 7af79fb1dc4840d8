//! The fake SendGrid as a process, for end-to-end tests of the real app.
//!
//! ```text
//! fake-sendgrid [--port 0] [--key SG.test-key]
//! ```
//! The first line on stdout is the base URL (`http://127.0.0.1:PORT`); point the app's
//! SendGrid base URL at it. Then, from the test:
//! - `GET  {url}/_fake/mails`     accepted mails, oldest first (JSON array of `Mail`)
//! - `GET  {url}/_fake/requests`  every mail-send request with the status answered
//! - `POST {url}/_fake/script`    queue replies, e.g.
//!   `[{"reply":"tooManyRequests","retryAfter":1},{"reply":"accept"}]`
//! - `POST {url}/_fake/reset`     forget everything
//!
//! It runs until killed; only loopback is served.

use fake_sendgrid::FakeSendGrid;
use std::io::Write;

fn usage() -> ! {
    eprintln!("usage: fake-sendgrid [--port PORT] [--key API_KEY]");
    std::process::exit(2);
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut port = 0u16;
    let mut key = "SG.test-key".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--port", Some(value)) => port = value.parse().unwrap_or_else(|_| usage()),
            ("--key", Some(value)) => key = value,
            _ => usage(),
        }
    }
    let fake = match FakeSendGrid::start_on(&key, port).await {
        Ok(fake) => fake,
        Err(e) => {
            eprintln!("fake-sendgrid: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout();
    let _ = writeln!(out, "{}", fake.url());
    let _ = out.flush();
    std::future::pending::<()>().await;
}
