//! `outlay-cli`: sets up a PostgreSQL database for Outlay, as its owner role.
//!
//! ```text
//! outlay-cli db init --url postgres://owner@host/db [--rotate-signin-password]
//! ```
//! The owner's password may be in the URL, in `PGPASSWORD` or in `~/.pgpass`.

use outlay_core::store::postgres::{initialise, Installation, PgConnectOptions};
use std::process::ExitCode;
use std::str::FromStr;

const USAGE: &str = "\
usage: outlay-cli db init --url postgres://OWNER@HOST[:PORT]/DATABASE [--rotate-signin-password]

Runs Outlay's migrations as OWNER (a role that owns DATABASE and has CREATEROLE), creates the
group role for app users and the shared sign-in role, and prints what to put in the app's
settings. Safe to run again after an upgrade: the sign-in password is only replaced when
asked with --rotate-signin-password.";

/// A parsed `db init` command line.
struct Init {
    url: String,
    rotate: bool,
}

fn parse(args: &[String]) -> Result<Init, String> {
    let mut rest = match args {
        [db, init, rest @ ..] if db == "db" && init == "init" => rest.iter(),
        _ => return Err("expected `db init`".into()),
    };
    let (mut url, mut rotate) = (None, false);
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--url" => url = rest.next().cloned(),
            "--rotate-signin-password" => rotate = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let url = url.ok_or("--url is required")?;
    Ok(Init { url, rotate })
}

fn report(options: &PgConnectOptions, done: &Installation) {
    println!("Schema is at version {}.", done.schema_version);
    println!("Group role of app users: {}", done.users_role);
    println!();
    println!("In Outlay, Settings → Server:");
    println!("  host      {}", options.get_host());
    println!("  port      {}", options.get_port());
    println!(
        "  database  {}",
        options.get_database().unwrap_or("(the owner's default)")
    );
    println!("  user      {}", done.signin_role);
    match &done.signin_password {
        Some(password) => {
            println!("  password  {password}");
            println!();
            println!("The password is shown only now: every Outlay that connects needs it.");
        }
        None => println!("  password  (unchanged; --rotate-signin-password sets a new one)"),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let init = match parse(&args) {
        Ok(init) => init,
        Err(problem) => {
            eprintln!("{problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let options = match PgConnectOptions::from_str(&init.url) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("That is not a PostgreSQL URL: {e}");
            return ExitCode::from(2);
        }
    };
    match initialise(&options, init.rotate).await {
        Ok(done) => {
            report(&options, &done);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_init_with_and_without_rotation() {
        let init = parse(&args("db init --url postgres://o@h/d")).unwrap();
        assert_eq!(
            (init.url.as_str(), init.rotate),
            ("postgres://o@h/d", false)
        );
        let init = parse(&args("db init --rotate-signin-password --url u")).unwrap();
        assert!(init.rotate);
        assert!(parse(&args("db init")).is_err());
        assert!(parse(&args("db migrate --url u")).is_err());
        assert!(parse(&args("db init --url u --force")).is_err());
    }
}
