//! A minimal W3C WebDriver client for the e2e tests: it spawns `chromedriver`,
//! opens one headless Chromium session, and offers just the commands the
//! tests use (navigate, find, click, type, read text/attributes, run script,
//! wait, screenshot, console log).
//!
//! Everything is bounded in time: the driver must report ready within
//! [`DRIVER_START_TIMEOUT`], every HTTP exchange has a deadline, and the
//! session's page-load and script timeouts are set low. A hung browser
//! therefore fails the test rather than hanging CI. [`Browser`]'s `Drop`
//! ends the session and kills chromedriver, also when a test panics.
//!
//! Console logs come from chromedriver's non-standard `POST
//! /session/{id}/se/log` (the "se/" prefix is chromedriver's agreement with
//! Selenium, see `chrome/test/chromedriver/server/http_handler.cc`), enabled
//! by the `goog:loggingPrefs` capability.

use std::fmt;
use std::fs::{self, File};
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::http;

/// How long chromedriver may take to answer `/status` with `ready: true`.
pub const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(20);
/// Creating a session launches Chromium, the slowest step on a cold CI box.
const NEW_SESSION_TIMEOUT: Duration = Duration::from_secs(60);
/// Per-command HTTP deadline; above the page-load timeout so that the
/// browser's own (more descriptive) timeout error wins the race.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(45);
const PAGE_LOAD_TIMEOUT_MS: u64 = 30_000;
const SCRIPT_TIMEOUT_MS: u64 = 10_000;
/// How often [`Browser::wait_until`] polls.
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// The W3C key under which an element reference travels in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Anything that can go wrong talking to the browser. `Debug` prints the
/// same text as `Display`, so `unwrap()` failures read as plain sentences.
pub enum Error {
    /// Could not start or reach chromedriver.
    Io(String),
    /// chromedriver answered something that is not WebDriver JSON.
    Protocol(String),
    /// A WebDriver error response, e.g. `no such element`.
    WebDriver {
        command: String,
        status: u16,
        error: String,
        message: String,
    },
    /// [`Browser::wait_until`] ran out of time.
    Timeout(String),
}

impl Error {
    /// The W3C error code (`no such element`, ...) if this is a WebDriver error.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::WebDriver { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(m) => write!(f, "I/O: {m}"),
            Error::Protocol(m) => write!(f, "protocol: {m}"),
            Error::WebDriver {
                command,
                status,
                error,
                message,
            } => {
                // Chrome appends a long native stack to messages; the first
                // line is the useful part.
                let first = message.lines().next().unwrap_or_default();
                write!(f, "{command}: HTTP {status} {error}: {first}")
            }
            Error::Timeout(m) => write!(f, "timed out: {m}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One entry of the browser console log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// `SEVERE`, `WARNING`, `INFO`, `DEBUG`...
    pub level: String,
    /// `console-api`, `network`, `javascript`...
    pub source: String,
    pub message: String,
}

impl fmt::Display for LogEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} {}] {}", self.level, self.source, self.message)
    }
}

/// Path of an executable from `$var`, else `default`; an error says which.
fn executable(var: &str, default: &str) -> Result<PathBuf> {
    let path = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
    if path.is_file() {
        Ok(path)
    } else {
        Err(Error::Io(format!(
            "{} not found (set {var} to override; on Debian: apt-get install chromium chromium-driver)",
            path.display()
        )))
    }
}

/// A temp directory removed on drop (std has no `tempfile`).
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates a fresh, uniquely named directory under the system temp dir.
    pub fn new(tag: &str) -> io::Result<Self> {
        fresh_temp_dir(tag).map(Self)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn fresh_temp_dir(tag: &str) -> io::Result<PathBuf> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!(
        "eda-e2e-{tag}-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Where artifacts (screenshots, driver logs) go: `<target>/e2e/`.
pub fn artifact_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    target.join("e2e")
}

/// The chromedriver process. Killing it on drop happens even during a panic.
struct Driver {
    child: Child,
    addr: SocketAddr,
    log_path: PathBuf,
}

impl Driver {
    fn spawn(exe: &Path, label: &str) -> Result<Self> {
        let dir = artifact_dir();
        fs::create_dir_all(&dir)
            .map_err(|e| Error::Io(format!("create {}: {e}", dir.display())))?;
        let mut last_error = None;
        // Picking a free port and handing it over is racy (someone may take
        // it in between), so a driver that dies at startup gets a new port.
        for _ in 0..3 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map_err(|e| Error::Io(format!("find a free port: {e}")))?
                .port();
            let log_path = dir.join(format!("chromedriver-{label}.log"));
            let log = File::create(&log_path)
                .map_err(|e| Error::Io(format!("create {}: {e}", log_path.display())))?;
            let log2 = log
                .try_clone()
                .map_err(|e| Error::Io(format!("dup log handle: {e}")))?;
            let child = Command::new(exe)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(log)
                .stderr(log2)
                // Deliberately left in our process group: a Ctrl-C or a CI
                // job kill aimed at the test run then reaches it too.
                .spawn()
                .map_err(|e| Error::Io(format!("spawn {}: {e}", exe.display())))?;
            let mut driver = Driver {
                child,
                addr: SocketAddr::from(([127, 0, 0, 1], port)),
                log_path,
            };
            match driver.wait_ready() {
                Ok(()) => return Ok(driver),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| Error::Io("chromedriver did not start".into())))
    }

    fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + DRIVER_START_TIMEOUT;
        let mut last = String::from("no answer yet");
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(Error::Io(format!(
                    "chromedriver exited at startup ({status}); see {}",
                    self.log_path.display()
                )));
            }
            match http::send(self.addr, "GET", "/status", None, Duration::from_secs(2)) {
                Ok(resp) => {
                    let ready = serde_json::from_slice::<Value>(&resp.body)
                        .ok()
                        .and_then(|v| v["value"]["ready"].as_bool());
                    if ready == Some(true) {
                        return Ok(());
                    }
                    last = format!("/status said {}", String::from_utf8_lossy(&resp.body));
                }
                Err(e) => last = e.to_string(),
            }
            thread::sleep(Duration::from_millis(100));
        }
        Err(Error::Timeout(format!(
            "chromedriver at {} not ready within {DRIVER_START_TIMEOUT:?} ({last}); see {}",
            self.addr,
            self.log_path.display()
        )))
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Chromium is chromedriver's child; if the session could not be
        // closed (hung driver), killing chromedriver alone would orphan it.
        // So note the process tree first, then kill the driver (so it cannot
        // start more), then what it had started, all by pid.
        let pids = descendants(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !pids.is_empty() {
            let _ = Command::new("kill")
                .arg("-KILL")
                .args(pids.iter().map(u32::to_string))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// Pids of the living descendants of `root`, read from `/proc` (Linux;
/// elsewhere there is no `/proc` and this is empty).
fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid ...`: comm may hold spaces or parentheses,
        // so fields are counted from the last ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parent_of.push((pid, ppid));
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while let Some(&parent) = tree.get(i) {
        tree.extend(
            parent_of
                .iter()
                .filter(|&&(_, pp)| pp == parent)
                .map(|&(pid, _)| pid),
        );
        i += 1;
    }
    tree.split_off(1)
}

/// A headless Chromium session driven through chromedriver.
///
/// Field order matters: Rust drops fields in declaration order after
/// `Browser::drop` ran, so the driver (and its Chromium) is dead before the
/// profile directory is deleted.
pub struct Browser {
    session: String,
    driver: Driver,
    _profile: TempDir,
}

/// An element reference, tied to the browser it came from.
pub struct Element<'a> {
    browser: &'a Browser,
    id: String,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session. `label` names the
    /// driver log file in [`artifact_dir`].
    pub fn launch(label: &str) -> Result<Self> {
        let driver_exe = executable("CHROMEDRIVER", "/usr/bin/chromedriver")?;
        let chrome = executable("CHROME_BIN", "/usr/bin/chromium")?;
        // Profile first: locals drop in reverse, so on an error below the
        // driver dies before its profile directory is removed.
        let profile =
            TempDir::new("profile").map_err(|e| Error::Io(format!("profile dir: {e}")))?;
        let driver = Driver::spawn(&driver_exe, label)?;
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "timeouts": {
                        "implicit": 0,
                        "pageLoad": PAGE_LOAD_TIMEOUT_MS,
                        "script": SCRIPT_TIMEOUT_MS,
                    },
                    "goog:chromeOptions": {
                        "binary": chrome,
                        "args": [
                            "--headless=new",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--no-first-run",
                            "--disable-sync",
                            "--disable-quic",
                            "--window-size=1280,800",
                            format!("--user-data-dir={}", profile.path().display()),
                        ],
                    },
                    "goog:loggingPrefs": { "browser": "ALL" },
                }
            }
        });
        let value = raw_command(
            driver.addr,
            "POST",
            "/session",
            Some(&caps),
            NEW_SESSION_TIMEOUT,
        )?;
        let session = value["sessionId"]
            .as_str()
            .ok_or_else(|| Error::Protocol(format!("new session without sessionId: {value}")))?
            .to_owned();
        Ok(Browser {
            session,
            driver,
            _profile: profile,
        })
    }

    /// chromedriver's process id (for checking cleanup).
    pub fn driver_pid(&self) -> u32 {
        self.driver.pid()
    }

    /// The browser's temporary profile directory (removed on drop).
    pub fn profile_dir(&self) -> &Path {
        self._profile.path()
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let path = format!("/session/{}{path}", self.session);
        // W3C wants a JSON body on every POST, even an empty one.
        let body = body.or_else(|| (method == "POST").then(|| json!({})));
        raw_command(
            self.driver.addr,
            method,
            &path,
            body.as_ref(),
            COMMAND_TIMEOUT,
        )
    }

    /// Navigates and waits for the page load (bounded by the page-load timeout).
    pub fn goto(&self, url: &str) -> Result<()> {
        self.cmd("POST", "/url", Some(json!({ "url": url })))
            .map(drop)
    }

    pub fn current_url(&self) -> Result<String> {
        let v = self.cmd("GET", "/url", None)?;
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| Error::Protocol(format!("url is not a string: {v}")))
    }

    /// History back, like the browser's back button.
    pub fn back(&self) -> Result<()> {
        self.cmd("POST", "/back", None).map(drop)
    }

    /// History forward, like the browser's forward button.
    pub fn forward(&self) -> Result<()> {
        self.cmd("POST", "/forward", None).map(drop)
    }

    /// Sends the commands that follow (`find`, `execute`, …) into the current page's
    /// `index`-th frame, as a learner's clicks inside an embedded figure land there.
    pub fn enter_frame(&self, index: u32) -> Result<()> {
        self.cmd("POST", "/frame", Some(json!({ "id": index })))
            .map(drop)
    }

    /// Sends the commands that follow to the top-level page again.
    pub fn leave_frames(&self) -> Result<()> {
        self.cmd("POST", "/frame", Some(json!({ "id": null })))
            .map(drop)
    }

    /// The first element matching a CSS selector (`no such element` if none).
    pub fn find(&self, css: &str) -> Result<Element<'_>> {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        self.element_from(&v)
    }

    /// All elements matching a CSS selector, in document order.
    pub fn find_all(&self, css: &str) -> Result<Vec<Element<'_>>> {
        let v = self.cmd(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        v.as_array()
            .ok_or_else(|| Error::Protocol(format!("elements is not an array: {v}")))?
            .iter()
            .map(|e| self.element_from(e))
            .collect()
    }

    fn element_from(&self, v: &Value) -> Result<Element<'_>> {
        let id = v[ELEMENT_KEY]
            .as_str()
            .ok_or_else(|| Error::Protocol(format!("not an element reference: {v}")))?;
        Ok(Element {
            browser: self,
            id: id.to_owned(),
        })
    }

    /// Sends a Chrome DevTools Protocol command through chromedriver (`goog/cdp/execute`), e.g.
    /// `Network.emulateNetworkConditions` or `Page.addScriptToEvaluateOnNewDocument`.
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    /// Minimizes the window: the page becomes hidden (`document.visibilityState`), as a tab
    /// in the background, and its animation frames stop.
    pub fn minimize(&self) -> Result<()> {
        self.cmd("POST", "/window/minimize", None).map(drop)
    }

    /// Gives the window this size (restoring a minimized one).
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )
        .map(drop)
    }

    /// Presses and releases each key of `keys` (WebDriver key codes for special keys) on
    /// whatever has focus, as a person at the keyboard does (the W3C Actions API), then
    /// releases all input state.
    pub fn keys(&self, keys: &str) -> Result<()> {
        let mut actions = Vec::new();
        for k in keys.chars() {
            let value = k.to_string();
            actions.push(json!({ "type": "keyDown", "value": value }));
            actions.push(json!({ "type": "keyUp", "value": value }));
        }
        self.cmd(
            "POST",
            "/actions",
            Some(json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] })),
        )?;
        self.cmd("DELETE", "/actions", None).map(drop)
    }

    /// Runs `script` as a function body (use `arguments[i]`, `return ...`).
    pub fn execute(&self, script: &str, args: &[Value]) -> Result<Value> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Polls `probe` every 50 ms until it yields `Some`, for at most
    /// `timeout`. Probe errors count as "not yet" (the DOM may be mid-render)
    /// but the last one is quoted if time runs out, next to `what`.
    pub fn wait_until<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut probe: impl FnMut() -> Result<Option<T>>,
    ) -> Result<T> {
        let deadline = Instant::now() + timeout;
        loop {
            let last = match probe() {
                Ok(Some(v)) => return Ok(v),
                Ok(None) => None,
                Err(e) => Some(e),
            };
            if Instant::now() >= deadline {
                let why = last.map_or_else(String::new, |e| format!(" (last error: {e})"));
                return Err(Error::Timeout(format!(
                    "waited {timeout:?} for {what}{why}"
                )));
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// Reads a value with `read` every 50 ms until `pred` holds for it (a `null` never does),
    /// for at most `timeout`, and returns it. Read errors count as "not yet"; on timeout the
    /// error quotes the last value read, so a failed wait shows what the page showed instead.
    pub fn wait_value(
        &self,
        what: &str,
        timeout: Duration,
        mut read: impl FnMut() -> Result<Value>,
        pred: impl Fn(&Value) -> bool,
    ) -> Result<Value> {
        let mut seen = Value::Null;
        self.wait_until(what, timeout, || {
            seen = read()?;
            Ok((!seen.is_null() && pred(&seen)).then(|| seen.clone()))
        })
        .map_err(|e| Error::Timeout(format!("{e}\n    last value read: {seen}")))
    }

    /// Waits for an element matching `css` to exist.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element<'_>> {
        self.wait_until(
            &format!("an element matching `{css}`"),
            timeout,
            || match self.find(css) {
                Ok(el) => Ok(Some(el)),
                Err(e) if e.code() == Some("no such element") => Ok(None),
                Err(e) => Err(e),
            },
        )
    }

    /// Saves a PNG screenshot of the viewport.
    pub fn screenshot(&self, path: &Path) -> Result<()> {
        let v = self.cmd("GET", "/screenshot", None)?;
        Self::write_png(&v, path)
    }

    /// Saves a PNG of what the element `css` covers (an iframe a test sized, say), without
    /// the page around it.
    pub fn screenshot_of(&self, css: &str, path: &Path) -> Result<()> {
        let clip = self.execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             return { x: r.left + scrollX, y: r.top + scrollY, width: r.width,
                      height: r.height, scale: 1 };",
            &[json!(css)],
        )?;
        let shot = self.cdp(
            "Page.captureScreenshot",
            json!({ "format": "png", "clip": clip }),
        )?;
        Self::write_png(&shot["data"], path)
    }

    fn write_png(v: &Value, path: &Path) -> Result<()> {
        let b64 = v
            .as_str()
            .ok_or_else(|| Error::Protocol("screenshot is not a string".into()))?;
        let png = decode_base64(b64).map_err(Error::Protocol)?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| Error::Io(format!("create {}: {e}", dir.display())))?;
        }
        fs::write(path, png).map_err(|e| Error::Io(format!("write {}: {e}", path.display())))
    }

    /// Browser console entries since the previous call (chromedriver hands
    /// each entry out once).
    pub fn browser_log(&self) -> Result<Vec<LogEntry>> {
        let v = self.cmd("POST", "/se/log", Some(json!({ "type": "browser" })))?;
        let entries = v
            .as_array()
            .ok_or_else(|| Error::Protocol(format!("log is not an array: {v}")))?;
        Ok(entries
            .iter()
            .map(|e| LogEntry {
                level: e["level"].as_str().unwrap_or("?").to_owned(),
                source: e["source"].as_str().unwrap_or("?").to_owned(),
                message: e["message"].as_str().unwrap_or_default().to_owned(),
            })
            .collect())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask politely first so Chromium exits cleanly; the driver's own Drop
        // (which runs next) kills whatever is left.
        let _ = raw_command(
            self.driver.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
            Duration::from_secs(10),
        );
    }
}

impl Element<'_> {
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        self.browser
            .cmd(method, &format!("/element/{}{path}", self.id), body)
    }

    /// Clicks it (scrolling into view first, as a user would have to).
    pub fn click(&self) -> Result<()> {
        self.cmd("POST", "/click", None).map(drop)
    }

    /// Types `text` into it.
    pub fn send_keys(&self, text: &str) -> Result<()> {
        self.cmd("POST", "/value", Some(json!({ "text": text })))
            .map(drop)
    }

    /// Its rendered text (what a user sees, so hidden text is excluded).
    pub fn text(&self) -> Result<String> {
        let v = self.cmd("GET", "/text", None)?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// An attribute as written in the markup, `None` if absent.
    pub fn attribute(&self, name: &str) -> Result<Option<String>> {
        let v = self.cmd("GET", &format!("/attribute/{name}"), None)?;
        Ok(v.as_str().map(str::to_owned))
    }

    /// Whether it is rendered visibly (WebDriver's "element displayedness").
    pub fn displayed(&self) -> Result<bool> {
        let v = self.cmd("GET", "/displayed", None)?;
        v.as_bool()
            .ok_or_else(|| Error::Protocol(format!("displayed is not a bool: {v}")))
    }

    /// The JSON form that `execute` accepts as an argument.
    pub fn to_arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }
}

/// Sends one WebDriver command and unwraps the W3C `{"value": ...}` envelope.
fn raw_command(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
    timeout: Duration,
) -> Result<Value> {
    let command = format!("{method} {path}");
    let bytes = body.map(Value::to_string);
    let resp = http::send(
        addr,
        method,
        path,
        bytes
            .as_deref()
            .map(|b| ("application/json; charset=utf-8", b.as_bytes())),
        timeout,
    )
    .map_err(|e| Error::Io(e.to_string()))?;
    let mut json: Value = serde_json::from_slice(&resp.body).map_err(|e| {
        Error::Protocol(format!(
            "{command}: HTTP {} with non-JSON body ({e}): {}",
            resp.status,
            String::from_utf8_lossy(&resp.body)
        ))
    })?;
    let value = json["value"].take();
    if resp.status != 200 || value.get("error").is_some() {
        return Err(Error::WebDriver {
            command,
            status: resp.status,
            error: value["error"]
                .as_str()
                .unwrap_or("unknown error")
                .to_owned(),
            message: value["message"].as_str().unwrap_or_default().to_owned(),
        });
    }
    Ok(value)
}

/// Standard base64 (with or without padding), as WebDriver uses for screenshots.
pub fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    fn sextet(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let data: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let data = data
        .strip_suffix(b"==")
        .or_else(|| data.strip_suffix(b"="))
        .unwrap_or(&data);
    if data.len() % 4 == 1 {
        return Err(format!("base64 length {} is impossible", data.len()));
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    for group in data.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in group.iter().enumerate() {
            let v = sextet(c).ok_or_else(|| format!("invalid base64 byte {c:#04x}"))?;
            acc |= v << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..group.len()]);
    }
    Ok(out)
}

#[test]
fn base64_decodes_padded_unpadded_and_rejects_garbage() {
    assert_eq!(decode_base64("").unwrap(), b"");
    assert_eq!(decode_base64("Zg==").unwrap(), b"f");
    assert_eq!(decode_base64("Zm8=").unwrap(), b"fo");
    assert_eq!(decode_base64("Zm9v").unwrap(), b"foo");
    assert_eq!(decode_base64("Zm9vYg").unwrap(), b"foob");
    assert_eq!(
        decode_base64("iVBORw0K\nGgo=").unwrap(),
        b"\x89PNG\r\n\x1a\n"
    );
    assert_eq!(decode_base64("+/+/").unwrap(), [0xfb, 0xff, 0xbf]);
    assert!(decode_base64("Zm9v!").is_err());
    assert!(decode_base64("Z").is_err());
}

#[test]
fn webdriver_errors_print_their_first_line() {
    let e = Error::WebDriver {
        command: "POST /session/1/element".into(),
        status: 404,
        error: "no such element".into(),
        message: "no such element: Unable to locate element\n  (Session info: chrome=156)\nStacktrace: ...".into(),
    };
    assert_eq!(e.code(), Some("no such element"));
    assert_eq!(
        format!("{e:?}"),
        "POST /session/1/element: HTTP 404 no such element: no such element: Unable to locate element"
    );
}
