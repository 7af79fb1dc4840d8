//! A PostgreSQL for the tests: `DATABASE_URL` when set, otherwise a throw-away cluster of
//! Debian's packages under `target/`, started on a free loopback port and stopped (and
//! deleted) when the returned [`Server`] is dropped, also when a step failed.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::step;

/// Where Debian (and Ubuntu) put the server binaries: `/usr/lib/postgresql/<major>/bin`.
const DEBIAN_BINARIES: &str = "/usr/lib/postgresql";

/// A server the tests can use as a superuser.
pub struct Server {
    /// `postgres://postgres:<password>@127.0.0.1:<port>/postgres`, for `DATABASE_URL`.
    pub url: String,
    /// Stopped on drop; `None` for a server of `DATABASE_URL`.
    _cluster: Option<Cluster>,
}

/// A cluster this process started.
struct Cluster {
    pg_ctl: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
}

/// Whether a fresh cluster syncs its writes to disk.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Tests: durability is pointless for a cluster deleted at the end, and fsync off makes
    /// the per-test CREATE DATABASE cheap.
    Off,
    /// The benchmark: as durable as a real server (and as SQLite's `synchronous=FULL`), so
    /// the two backends' latencies compare fairly.
    On,
}

/// `DATABASE_URL` if set (and not empty), else a fresh cluster.
pub fn start(root: &Path, durability: Durability) -> Result<Server, String> {
    if let Some(url) = std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
    {
        println!("Using DATABASE_URL.");
        return Ok(Server {
            url,
            _cluster: None,
        });
    }
    let bin = binaries()?;
    // initdb refuses to run as root: as root, the cluster belongs to the `postgres` user.
    let as_postgres = is_root();
    let dir = cluster_dir(root, as_postgres)?;
    let password = random_hex()?;
    let password_file = dir.join("password");
    fs::write(&password_file, &password).map_err(|e| format!("writing {password_file:?}: {e}"))?;
    if as_postgres {
        give_to_postgres(&[&dir, &password_file])?;
    }
    let data = dir.join("data");
    // Password (SCRAM) on TCP, so the tests prove that the server checks every user's
    // password; trust only on the Unix socket inside the cluster's own directory.
    step::status(
        as_user(as_postgres, &bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "-E", "UTF8", "--locale=C"])
            .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
            .arg(format!("--pwfile={}", password_file.display()))
            .arg("--no-sync"),
        "initdb",
    )?;
    let port = free_port()?;
    let cluster = Cluster {
        pg_ctl: bin.join("pg_ctl"),
        dir: dir.clone(),
        as_postgres,
    };
    let sync = match durability {
        Durability::Off => "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        Durability::On => "-c fsync=on -c synchronous_commit=on -c full_page_writes=on",
    };
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300 {sync}",
        dir.display()
    );
    step::status(
        as_user(as_postgres, &cluster.pg_ctl)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("server.log"))
            .args(["-w", "-o", &options, "start"]),
        "pg_ctl start",
    )?;
    println!(
        "PostgreSQL started on 127.0.0.1:{port} ({}).",
        dir.display()
    );
    Ok(Server {
        url: format!("postgres://postgres:{password}@127.0.0.1:{port}/postgres"),
        _cluster: Some(cluster),
    })
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let stopped = as_user(self.as_postgres, &self.pg_ctl)
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .status()
            .is_ok_and(|status| status.success());
        if stopped {
            let _ = fs::remove_dir_all(&self.dir);
            println!("PostgreSQL stopped.");
        } else {
            println!(
                "Could not stop PostgreSQL; its files are in {}",
                self.dir.display()
            );
        }
    }
}

/// The newest `/usr/lib/postgresql/<major>/bin` with `initdb` and `pg_ctl`.
fn binaries() -> Result<PathBuf, String> {
    let mut found: Vec<(u32, PathBuf)> = fs::read_dir(DEBIAN_BINARIES)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let major = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((major, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin).ok_or_else(|| {
        format!(
            "no PostgreSQL server binaries under {DEBIAN_BINARIES}: install Debian's \
             `postgresql`, or set DATABASE_URL to a superuser URL of a server of yours"
        )
    })
}

/// A fresh directory for the cluster: under `target/`, unless the `postgres` user cannot
/// reach it there (a checkout under /root, say); then in the system's temp dir.
fn cluster_dir(root: &Path, as_postgres: bool) -> Result<PathBuf, String> {
    let name = format!("outlay-postgres-{}", std::process::id());
    let under_target = root.join("target").join(&name);
    for dir in [under_target, std::env::temp_dir().join(&name)] {
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| format!("creating {dir:?}: {e}"))?;
        if !as_postgres || postgres_can_enter(&dir) {
            return Ok(dir);
        }
        let _ = fs::remove_dir_all(&dir);
    }
    Err("no directory the postgres user can use for a cluster".into())
}

fn postgres_can_enter(dir: &Path) -> bool {
    give_to_postgres(&[dir]).is_ok()
        && Command::new("runuser")
            .args(["-u", "postgres", "--", "test", "-w"])
            .arg(dir)
            .status()
            .is_ok_and(|status| status.success())
}

/// `program`, run as the `postgres` user when we are root.
fn as_user(as_postgres: bool, program: &Path) -> Command {
    if as_postgres {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn give_to_postgres(paths: &[&Path]) -> Result<(), String> {
    step::status(
        Command::new("chown").arg("postgres:").args(paths),
        "chown postgres",
    )
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// 128 random bits as hex, for the superuser's password (std has no RNG: ask the kernel).
fn random_hex() -> Result<String, String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .map_err(|e| format!("no randomness: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
