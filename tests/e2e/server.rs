//! A tiny static file server for the e2e tests: it serves the built site
//! (`dist/`) on `127.0.0.1:<ephemeral port>` under the sub-path
//! [`PREFIX`] (`/course/eda/`), the way a course page would host it.
//!
//! Serving from a sub-path rather than `/` is the point: an app whose build
//! emits root-absolute asset URLs (`/app.js`) works on a dev server at `/`
//! but 404s when published under a sub-path. Here such requests fall outside
//! the prefix, get a 404, and the browser logs a SEVERE error that fails the
//! test. Everything outside the prefix, including `/favicon.ico`, is a 404
//! for the same reason: the page must declare its own icon.

use std::fs;
use std::io::{self, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::http;

/// The sub-path the site is served under. Ends with `/` so that relative
/// asset URLs in `index.html` resolve inside it.
pub const PREFIX: &str = "/course/eda/";

/// How long one connection may take to send its request head.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The dist directory: `$EDA_DIST`, else `<crate>/dist`.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("EDA_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist"))
}

/// The dist directory, or a panic that tells the reader how to build it.
pub fn require_dist() -> PathBuf {
    let dist = dist_dir();
    if let Err(msg) = check_dist(&dist) {
        panic!("{msg}");
    }
    dist
}

/// `Err` with instructions unless `dist` holds a built site.
pub fn check_dist(dist: &Path) -> Result<(), String> {
    let index = dist.join("index.html");
    if index.is_file() {
        return Ok(());
    }
    Err(format!(
        "{} is missing: the e2e tests need the built site. Run `./run.sh test`, \
         which builds dist/ in release mode and then runs these tests \
         (or point EDA_DIST at a built dist directory).",
        index.display()
    ))
}

/// Where a request target leads, decided from the URL alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A file path relative to the served root (may turn out to be a directory).
    File(PathBuf),
    /// The prefix without its trailing slash: redirect so relative URLs resolve.
    Redirect(String),
    NotFound,
}

/// Maps a request target such as `/course/eda/app.js?v=1` to a path relative
/// to the served root. Percent-escapes are decoded *before* the `..` check,
/// so `%2e%2e` cannot climb out of the root either.
pub fn route(prefix: &str, target: &str) -> Route {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let bare_prefix = prefix.trim_end_matches('/');
    if path == bare_prefix {
        return Route::Redirect(prefix.to_owned());
    }
    let Some(rest) = path.strip_prefix(prefix) else {
        return Route::NotFound;
    };
    let Some(decoded) = percent_decode(rest) else {
        return Route::NotFound;
    };
    if decoded.contains(['\\', '\0']) {
        return Route::NotFound;
    }
    let mut rel = PathBuf::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." {
            return Route::NotFound;
        }
        rel.push(segment);
    }
    // Belt and braces: whatever `push` made of the segments must still be a
    // plain relative path.
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Route::NotFound;
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        rel.push("index.html");
    }
    Route::File(rel)
}

/// Decodes `%XX` escapes; `None` for malformed escapes or non-UTF-8 results.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Content-Type by extension. `application/wasm` matters most: without it
/// `WebAssembly.instantiateStreaming` refuses the module.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A running server; stops (and joins its accept thread) on drop.
pub struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept_thread: Option<JoinHandle<()>>,
    log: Arc<Mutex<Vec<String>>>,
}

impl StaticServer {
    /// Serves `root` under [`PREFIX`] on a free loopback port.
    pub fn start(root: PathBuf) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        // Canonical once, so the per-request symlink check compares like with like.
        let root = root.canonicalize()?;
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let accept_thread = {
            let (stop, log) = (Arc::clone(&stop), Arc::clone(&log));
            thread::Builder::new()
                .name("e2e-static-server".into())
                .spawn(move || {
                    for conn in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(conn) = conn else { continue };
                        let (root, log) = (root.clone(), Arc::clone(&log));
                        // A thread per connection: the browser opens several in
                        // parallel, and one slow client must not block the rest.
                        let _ = thread::Builder::new()
                            .name("e2e-static-conn".into())
                            .spawn(move || handle(conn, &root, &log));
                    }
                })?
        };
        Ok(Self {
            addr,
            stop,
            accept_thread: Some(accept_thread),
            log,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Absolute URL of `rel` (e.g. `#/wordcount`) under the prefix.
    pub fn url(&self, rel: &str) -> String {
        format!("http://{}{PREFIX}{rel}", self.addr)
    }

    /// `METHOD target -> status` for every request so far; printed when a
    /// test fails, so a 404 in the console log can be traced to its URL.
    pub fn request_log(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // `accept` blocks; a throwaway connection wakes it to see the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept_thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(mut conn: TcpStream, root: &Path, log: &Mutex<Vec<String>>) {
    let _ = conn.set_write_timeout(Some(REQUEST_TIMEOUT));
    let deadline = Instant::now() + REQUEST_TIMEOUT;
    let req = match http::read_request(&mut http::DeadlineReader::new(&conn, deadline)) {
        Ok(req) => req,
        // The client went away mid-head (Drop's wake-up connection, or a
        // browser pre-connect it never used): nobody is left to answer.
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return,
        Err(e) => {
            let _ = respond_text(&mut conn, 400, "Bad Request", &format!("{e}\n"), false);
            log_line(log, format!("<unparsable request: {e}> -> 400"));
            return;
        }
    };
    let head_only = req.method == "HEAD";
    let status = if req.method != "GET" && !head_only {
        let _ = respond_text(
            &mut conn,
            405,
            "Method Not Allowed",
            "GET or HEAD only\n",
            false,
        );
        405
    } else {
        let accept = req
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("accept-encoding"))
            .map_or("", |(_, value)| value.as_str());
        serve(&mut conn, root, &req.target, accept, head_only).unwrap_or(500)
    };
    log_line(log, format!("{} {} -> {status}", req.method, req.target));
    let _ = conn.flush();
    let _ = conn.shutdown(Shutdown::Write);
}

fn log_line(log: &Mutex<Vec<String>>, line: String) {
    log.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(line);
}

/// The precompressed file beside `real` (`.br`, else `.gz`) that `accept` (the request's
/// Accept-Encoding) allows, with its Content-Encoding, as a static host with `gzip_static` /
/// `brotli_static` serves them.
fn precompressed(real: &Path, accept: &str) -> Option<(PathBuf, &'static str)> {
    let accepts = |coding: &str| {
        accept
            .split(',')
            .map(|c| c.split(';').next().unwrap_or("").trim())
            .any(|c| c.eq_ignore_ascii_case(coding))
    };
    [("br", "br"), ("gz", "gzip")]
        .into_iter()
        .filter(|(_, coding)| accepts(coding))
        .map(|(ext, coding)| {
            let mut name = real.as_os_str().to_owned();
            name.push(".");
            name.push(ext);
            (PathBuf::from(name), coding)
        })
        .find(|(path, _)| path.is_file())
}

/// Writes the response for a GET/HEAD and returns its status code.
fn serve(
    conn: &mut TcpStream,
    root: &Path,
    target: &str,
    accept: &str,
    head_only: bool,
) -> io::Result<u16> {
    let not_found = |conn: &mut TcpStream| {
        respond_text(conn, 404, "Not Found", "not found\n", head_only).map(|()| 404)
    };
    let rel = match route(PREFIX, target) {
        Route::NotFound => return not_found(conn),
        Route::Redirect(location) => {
            conn.write_all(&http::format_response_head(
                301,
                "Moved Permanently",
                &[("Location", &location)],
                0,
            ))?;
            return Ok(301);
        }
        Route::File(rel) => rel,
    };
    let mut path = root.join(rel);
    if path.is_dir() {
        path.push("index.html");
    }
    // A symlink inside dist could still point outside it; canonicalising and
    // re-checking the root closes that hole (and 404s missing files).
    let Ok(real) = path.canonicalize() else {
        return not_found(conn);
    };
    if !real.starts_with(root) || !real.is_file() {
        return not_found(conn);
    }
    let encoded = precompressed(&real, accept);
    let body = fs::read(encoded.as_ref().map_or(real.as_path(), |(path, _)| path))?;
    let mut headers = vec![
        ("Content-Type", content_type(&real)),
        ("Vary", "Accept-Encoding"),
    ];
    if let Some((_, coding)) = encoded {
        headers.push(("Content-Encoding", coding));
    }
    headers.extend([
        // Each test gets a fresh browser profile anyway; this just rules
        // out the cache as an explanation when debugging.
        ("Cache-Control", "no-store"),
        // Make the browser trust our Content-Type instead of sniffing, so a
        // wrong type shows up here rather than in production.
        ("X-Content-Type-Options", "nosniff"),
    ]);
    conn.write_all(&http::format_response_head(200, "OK", &headers, body.len()))?;
    if !head_only {
        conn.write_all(&body)?;
    }
    Ok(200)
}

fn respond_text(
    conn: &mut TcpStream,
    status: u16,
    reason: &str,
    text: &str,
    head_only: bool,
) -> io::Result<()> {
    conn.write_all(&http::format_response_head(
        status,
        reason,
        &[("Content-Type", "text/plain; charset=utf-8")],
        text.len(),
    ))?;
    if !head_only {
        conn.write_all(text.as_bytes())?;
    }
    Ok(())
}

#[test]
fn route_maps_prefix_to_dist() {
    let file = |p: &str| Route::File(PathBuf::from(p));
    assert_eq!(route(PREFIX, "/course/eda/"), file("index.html"));
    assert_eq!(route(PREFIX, "/course/eda/?q=1"), file("index.html"));
    assert_eq!(
        route(PREFIX, "/course/eda/app-1234.js"),
        file("app-1234.js")
    );
    assert_eq!(
        route(PREFIX, "/course/eda/app_bg.wasm?v=2"),
        file("app_bg.wasm")
    );
    assert_eq!(
        route(PREFIX, "/course/eda/assets/a%20b.svg"),
        file("assets/a b.svg")
    );
    assert_eq!(route(PREFIX, "/course/eda//x.css"), file("x.css"));
    assert_eq!(route(PREFIX, "/course/eda/sub/"), file("sub/index.html"));
    assert_eq!(
        route(PREFIX, "/course/eda"),
        Route::Redirect(PREFIX.to_owned())
    );
}

#[test]
fn route_rejects_everything_outside_the_prefix() {
    for target in [
        "/",
        "/favicon.ico",
        "/index.html",
        "/course/",
        "/course/edax/index.html",
        "/course/eda/../secret",
        "/course/eda/a/../../secret",
        "/course/eda/%2e%2e/secret",
        "/course/eda/%2E%2E%2Fsecret",
        "/course/eda/./index.html",
        "/course/eda/a%5c..%5csecret",
        "/course/eda/%00",
        "/course/eda/%zz",
        "/course/eda/%e2%28",
        "http://127.0.0.1/course/eda/",
        "*",
    ] {
        assert_eq!(route(PREFIX, target), Route::NotFound, "{target}");
    }
}

#[test]
fn content_types_by_extension() {
    for (name, ct) in [
        ("index.html", "text/html; charset=utf-8"),
        ("a.js", "text/javascript; charset=utf-8"),
        ("a_bg.wasm", "application/wasm"),
        ("a.CSS", "text/css; charset=utf-8"),
        ("i.svg", "image/svg+xml"),
        ("i.png", "image/png"),
        ("favicon.ico", "image/x-icon"),
        ("d.json", "application/json"),
        ("noext", "application/octet-stream"),
    ] {
        assert_eq!(content_type(Path::new(name)), ct, "{name}");
    }
}

#[test]
fn server_serves_files_with_types_and_refuses_escapes() {
    let base = std::env::temp_dir().join(format!("eda-e2e-server-{}", std::process::id()));
    let root = base.join("dist");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::write(root.join("index.html"), "<!doctype html><p>hi</p>").unwrap();
    fs::write(root.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    fs::write(root.join("sub/index.html"), "sub").unwrap();
    fs::write(base.join("secret.txt"), "outside").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(base.join("secret.txt"), root.join("link.txt")).unwrap();

    let server = StaticServer::start(root).unwrap();
    let get = |method: &str, path: &str| {
        http::send(server.addr(), method, path, None, Duration::from_secs(5)).unwrap()
    };
    let r = get("GET", "/course/eda/");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.body, b"<!doctype html><p>hi</p>");
    let r = get("GET", "/course/eda/app_bg.wasm");
    assert_eq!(
        (r.status, r.header("Content-Type")),
        (200, Some("application/wasm"))
    );
    assert_eq!(r.body, b"\0asm\x01\0\0\0");
    assert_eq!(get("GET", "/course/eda/sub").body, b"sub");
    let r = get("HEAD", "/course/eda/index.html");
    assert_eq!((r.status, r.header("content-length")), (200, Some("24")));
    let r = get("GET", "/course/eda");
    assert_eq!((r.status, r.header("location")), (301, Some(PREFIX)));
    for path in [
        "/favicon.ico",
        "/course/eda/missing.js",
        "/course/eda/../secret.txt",
        "/course/eda/%2e%2e/secret.txt",
        "/course/eda/link.txt",
    ] {
        let r = get("GET", path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.header("connection"), Some("close"), "{path}");
    }
    assert_eq!(get("POST", "/course/eda/").status, 405);
    assert!(
        server
            .request_log()
            .contains(&"GET /course/eda/app_bg.wasm -> 200".to_owned())
    );
    drop(server);
    fs::remove_dir_all(base).unwrap();
}

#[test]
fn precompressed_files_are_chosen_by_accept_encoding() {
    let dir = std::env::temp_dir().join(format!("eda-e2e-precompressed-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let app = dir.join("app.wasm");
    fs::write(&app, b"raw").unwrap();
    assert_eq!(
        precompressed(&app, "gzip, deflate, br"),
        None,
        "none on disk"
    );
    fs::write(dir.join("app.wasm.gz"), b"gz").unwrap();
    assert_eq!(
        precompressed(&app, "gzip, deflate, br").map(|(_, c)| c),
        Some("gzip")
    );
    fs::write(dir.join("app.wasm.br"), b"br").unwrap();
    assert_eq!(
        precompressed(&app, "gzip, deflate, br, zstd").map(|(_, c)| c),
        Some("br")
    );
    assert_eq!(
        precompressed(&app, "GZIP;q=1.0").map(|(_, c)| c),
        Some("gzip")
    );
    assert_eq!(precompressed(&app, ""), None);
    assert_eq!(precompressed(&app, "identity, brotli"), None);
    fs::remove_dir_all(&dir).unwrap();
}
