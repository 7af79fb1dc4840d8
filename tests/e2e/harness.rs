//! Starts what an end-to-end run needs — Xvfb, a private D-Bus session bus, tauri-driver
//! (which drives WebKitWebDriver) — and the real Outlay binary on a fresh data dir, and
//! stops every process it started, by its own PID, when dropped.

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long to wait for the UI to show something before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A running app under WebDriver.
pub struct Desktop {
    pub client: Client,
    data_dir: tempfile::TempDir,
    /// tauri-driver's port, for a new session after a restart.
    port: u16,
    /// HOME of the keyring daemon, so no test touches the developer's own keyring.
    _keyring_home: tempfile::TempDir,
    /// The private session bus, for tests that watch it.
    pub bus_address: String,
    /// The Xvfb display number.
    pub display: u32,
    processes: Vec<Child>,
}

/// Whether the tools exist; when they don't, the run fails in CI and is skipped locally.
pub fn tools_present() -> bool {
    let tools = [
        "Xvfb",
        "tauri-driver",
        "WebKitWebDriver",
        "dbus-daemon",
        "gnome-keyring-daemon",
        "dunst",
        "dbus-monitor",
    ];
    let missing: Vec<&str> = tools
        .into_iter()
        .filter(|tool| which(tool).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let required =
        std::env::var_os("CI").is_some() || std::env::var_os("OUTLAY_REQUIRE_E2E").is_some();
    assert!(
        !required,
        "end-to-end tools missing: {missing:?} (cargo xtask test installs them)"
    );
    eprintln!("SKIPPED end-to-end: missing {missing:?}; run `cargo xtask test` to install them");
    false
}

fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let home_bin = std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo/bin"));
    std::env::split_paths(&path)
        .chain(home_bin)
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file())
}

/// Two distinct free ports: both listeners are held until both are known.
fn two_free_ports() -> (u16, u16) {
    let first = TcpListener::bind("127.0.0.1:0").unwrap();
    let second = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = |listener: &TcpListener| listener.local_addr().unwrap().port();
    (port(&first), port(&second))
}

fn free_display() -> u32 {
    (90..200)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .expect("a free X display")
}

/// A new WebDriver session: tauri-driver starts the app for it.
async fn open_app(port: u16) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": env!("CARGO_BIN_EXE_outlay") }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session on the app")
}

/// Waits until `name` is owned on the bus at `address`.
fn wait_for_bus_name(address: &str, name: &str) {
    let start = Instant::now();
    loop {
        let owned = Command::new("dbus-send")
            .args([
                &format!("--bus={address}"),
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                &format!("string:{name}"),
            ])
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("boolean true"));
        if owned {
            return;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "{name} did not appear on the bus"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wait_for_port(port: u16, what: &str) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < PATIENCE,
            "{what} did not start listening on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Desktop {
    /// Starts Xvfb, a session bus, tauri-driver, and the app on an empty data dir.
    pub async fn start() -> Desktop {
        Desktop::start_with(&[]).await
    }

    /// Like [`Desktop::start`], with extra environment for the app (e.g. a fake SendGrid).
    pub async fn start_with(app_env: &[(&str, &str)]) -> Desktop {
        let mut processes = Vec::new();
        let display = free_display();
        let xvfb = Command::new("Xvfb")
            .arg(format!(":{display}"))
            .args(["-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        processes.push(xvfb);
        let start = Instant::now();
        while !Path::new(&format!("/tmp/.X11-unix/X{display}")).exists() {
            assert!(
                start.elapsed() < PATIENCE,
                "Xvfb did not open display :{display}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }

        // A private session bus: notifications and the Secret Service live there, and no
        // test touches the developer's own.
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        processes.push(bus);
        let address = address.trim().to_owned();

        // The Secret Service on that bus, unlocked, so "remember me" and the server password
        // go to a real keychain as they would on a desktop.
        let keyring_home = tempfile::tempdir().unwrap();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", keyring_home.path())
            .env("XDG_RUNTIME_DIR", keyring_home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon starts");
        {
            use std::io::Write;
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(b"e2e-keyring").unwrap();
        }
        processes.push(keyring);
        wait_for_bus_name(&address, "org.freedesktop.secrets");

        let data_dir = tempfile::tempdir().unwrap();
        let (port, native_port) = two_free_ports();
        let driver = Command::new(which("tauri-driver").unwrap())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", format!(":{display}"))
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("OUTLAY_DATA_DIR", data_dir.path())
            .envs(app_env.iter().copied())
            // WebKit's sandbox needs user namespaces that containers often lack.
            .env("WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS", "1")
            .stdout(Stdio::null())
            .spawn()
            .expect("tauri-driver starts");
        processes.push(driver);
        wait_for_port(port, "tauri-driver");
        // tauri-driver answers a request it cannot forward by dropping the connection, and
        // it starts WebKitWebDriver in the background: on a cold machine the first session
        // request could otherwise arrive before WebKitWebDriver listens.
        wait_for_port(native_port, "WebKitWebDriver");

        let desktop = Desktop {
            client: open_app(port).await,
            data_dir,
            port,
            _keyring_home: keyring_home,
            bus_address: address,
            display,
            processes,
        };
        desktop.wait_ready().await;
        desktop
    }

    /// Quits the app and starts it again on the same data dir and keychain.
    pub async fn restart_app(&mut self) {
        let _ = self.client.clone().close().await;
        self.client = open_app(self.port).await;
        self.wait_ready().await;
    }

    /// Starts a notification daemon (dunst) on the test's display and bus, and a
    /// `dbus-monitor` recording every `Notify` call; read them with [`Desktop::notifications`].
    pub fn watch_notifications(&mut self) -> PathBuf {
        let log = self.data_dir.path().join("notify.log");
        let monitor = Command::new("dbus-monitor")
            .args([
                "--address",
                &self.bus_address,
                "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
            ])
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor starts");
        self.processes.push(monitor);
        let daemon = Command::new("dunst")
            .env("DISPLAY", format!(":{}", self.display))
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dunst starts");
        self.processes.push(daemon);
        wait_for_bus_name(&self.bus_address, "org.freedesktop.Notifications");
        log
    }

    /// The app's data dir.
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// Waits until the page says its current screen has rendered its data.
    pub async fn wait_ready(&self) {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css("body[data-ready='true']"))
            .await
            .expect("the page becomes ready");
    }

    /// Saves a screenshot as target/e2e-screenshots/`name`.png.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Ends the WebDriver session (closing the app) and stops the helpers.
    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        self.kill_all();
    }

    fn kill_all(&mut self) {
        for child in self.processes.iter_mut().rev() {
            // SIGTERM first: tauri-driver then stops the WebKitWebDriver it started.
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let deadline = Instant::now() + Duration::from_secs(3);
            while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        self.processes.clear();
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        self.kill_all();
    }
}
