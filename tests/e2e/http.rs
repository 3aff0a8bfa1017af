//! Minimal blocking HTTP/1.1 on `std::net`, shared by the static file server
//! (request side) and the WebDriver client (response side) of the e2e harness.
//!
//! It does only what the harness needs: one exchange per connection
//! (`Connection: close`), bodies framed by `Content-Length`, chunked encoding
//! or end-of-stream, and a hard deadline on every exchange so that a stuck
//! peer fails a test instead of hanging CI. Async stacks (tokio/hyper) are
//! deliberately avoided: they would dominate compile time on a 2-core runner.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// Largest request or response head accepted. Ours are a few hundred bytes,
/// so anything bigger means a confused peer rather than a real message.
const MAX_HEAD: usize = 64 * 1024;

/// Largest response body accepted. Screenshots (base64 PNG in JSON) are the
/// biggest bodies the harness sees, at about 1 MB for 1280x800.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// A parsed request line plus headers. The static server only serves GET and
/// HEAD, so request bodies are never read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

/// A complete response as the client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// First header with this name, compared case-insensitively as HTTP requires.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// Reads until the blank line that ends a message head. Returns the head
/// (without the terminating CRLFCRLF) and whatever body bytes arrived with it.
pub fn read_head(r: &mut impl Read) -> io::Result<(Vec<u8>, Vec<u8>)> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            buf.truncate(end);
            return Ok((buf, rest));
        }
        if buf.len() > MAX_HEAD {
            return Err(invalid(format!("message head exceeds {MAX_HEAD} bytes")));
        }
        let n = r.read(&mut chunk)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "connection closed after {} bytes, before the end of the message head",
                    buf.len()
                ),
            ));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Splits a head into its first line and `(name, value)` header pairs.
fn split_head(head: &[u8]) -> io::Result<(&str, Vec<(String, String)>)> {
    let text = std::str::from_utf8(head).map_err(|_| invalid("message head is not UTF-8"))?;
    let mut lines = text.split("\r\n");
    let first = lines.next().unwrap_or_default();
    let mut headers = Vec::new();
    for line in lines {
        // Obsolete line folding is a classic request-smuggling vector; reject it.
        if line.starts_with([' ', '\t']) {
            return Err(invalid("folded header line"));
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| invalid(format!("header line without a colon: {line:?}")))?;
        if name.is_empty() || name.contains(|c: char| c.is_ascii_whitespace()) {
            return Err(invalid(format!("bad header name: {name:?}")));
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    Ok((first, headers))
}

/// Parses `METHOD SP target SP HTTP/1.x` plus headers.
pub fn parse_request_head(head: &[u8]) -> io::Result<RequestHead> {
    let (line, headers) = split_head(head)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid(format!("bad request line: {line:?}")));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(invalid(format!("bad method: {method:?}")));
    }
    if target.is_empty() {
        return Err(invalid("empty request target"));
    }
    if !version.starts_with("HTTP/1.") {
        return Err(invalid(format!("unsupported version: {version:?}")));
    }
    Ok(RequestHead {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
    })
}

/// Parses `HTTP/1.x SP status [SP reason]` plus headers.
pub fn parse_response_head(head: &[u8]) -> io::Result<(u16, Vec<(String, String)>)> {
    let (line, headers) = split_head(head)?;
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        return Err(invalid(format!("bad status line: {line:?}")));
    }
    let status = parts
        .next()
        .filter(|s| s.len() == 3)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| invalid(format!("bad status code in {line:?}")))?;
    Ok((status, headers))
}

/// Reads one request head from a connection (any body is ignored).
pub fn read_request(r: &mut impl Read) -> io::Result<RequestHead> {
    let (head, _) = read_head(r)?;
    parse_request_head(&head)
}

/// Reads one complete response to a `request_method` request, honouring
/// `Content-Length`, chunked encoding, or (as the `Connection: close`
/// fallback) end of stream.
pub fn read_response(r: &mut impl Read, request_method: &str) -> io::Result<Response> {
    let (head, mut body) = read_head(r)?;
    let (status, headers) = parse_response_head(&head)?;
    // Responses to HEAD, and 1xx/204/304, never carry a body, whatever the
    // headers say; waiting for one would hang until the deadline.
    if request_method == "HEAD" || status < 200 || status == 204 || status == 304 {
        body.clear();
        return Ok(Response {
            status,
            headers,
            body,
        });
    }
    let chunked = find_header(&headers, "transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().trim_end().ends_with("chunked"));
    if chunked {
        read_to_end_limited(r, &mut body)?;
        body = decode_chunked(&body)?;
    } else if let Some(len) = content_length(&headers)? {
        if len > MAX_BODY {
            return Err(invalid(format!("Content-Length {len} exceeds {MAX_BODY}")));
        }
        if body.len() > len {
            body.truncate(len);
        }
        let have = body.len();
        body.resize(len, 0);
        r.read_exact(&mut body[have..]).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("body shorter than Content-Length {len} (had {have} bytes): {e}"),
            )
        })?;
    } else {
        read_to_end_limited(r, &mut body)?;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn content_length(headers: &[(String, String)]) -> io::Result<Option<usize>> {
    let mut found: Option<usize> = None;
    for (_, v) in headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        let n = v
            .parse::<usize>()
            .map_err(|_| invalid(format!("bad Content-Length: {v:?}")))?;
        // Two different lengths make the framing ambiguous: refuse to guess.
        if found.is_some_and(|f| f != n) {
            return Err(invalid("conflicting Content-Length headers"));
        }
        found = Some(n);
    }
    Ok(found)
}

fn read_to_end_limited(r: &mut impl Read, buf: &mut Vec<u8>) -> io::Result<()> {
    let limit = (MAX_BODY - buf.len().min(MAX_BODY)) as u64 + 1;
    r.take(limit).read_to_end(buf)?;
    if buf.len() > MAX_BODY {
        return Err(invalid(format!("body exceeds {MAX_BODY} bytes")));
    }
    Ok(())
}

/// Decodes a complete `Transfer-Encoding: chunked` body (trailers ignored).
pub fn decode_chunked(mut data: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| invalid("chunk size line without CRLF"))?;
        let line =
            std::str::from_utf8(&data[..eol]).map_err(|_| invalid("chunk size not UTF-8"))?;
        let size_hex = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| invalid(format!("bad chunk size: {size_hex:?}")))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size + 2 || &data[size..size + 2] != b"\r\n" {
            return Err(invalid("truncated chunk"));
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// Serialises a request. `body` is `(content type, bytes)`.
pub fn format_request(
    method: &str,
    host: &str,
    path: &str,
    body: Option<(&str, &[u8])>,
) -> Vec<u8> {
    let mut out = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\nConnection: close\r\n"
    );
    match body {
        Some((content_type, bytes)) => {
            out.push_str(&format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                bytes.len()
            ));
            let mut out = out.into_bytes();
            out.extend_from_slice(bytes);
            out
        }
        None => {
            // A body-less POST still needs an explicit zero length, or servers
            // may wait for a body that never comes.
            if method != "GET" && method != "HEAD" {
                out.push_str("Content-Length: 0\r\n");
            }
            out.push_str("\r\n");
            out.into_bytes()
        }
    }
}

/// Serialises a response head; the caller writes `content_length` body bytes after it.
pub fn format_response_head(
    status: u16,
    reason: &str,
    headers: &[(&str, &str)],
    content_length: usize,
) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {reason}\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {content_length}\r\nConnection: close\r\n\r\n"
    ));
    out.into_bytes()
}

/// A `Read` over a socket that fails with `TimedOut` once `deadline` passes,
/// however the bytes trickle in: a per-read timeout alone would let a peer
/// that sends one byte every few seconds stall a test forever.
pub struct DeadlineReader<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl<'a> DeadlineReader<'a> {
    pub fn new(stream: &'a TcpStream, deadline: Instant) -> Self {
        Self { stream, deadline }
    }
}

impl Read for DeadlineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "deadline passed"));
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut s = self.stream;
        s.read(buf)
    }
}

/// One blocking request/response exchange with an overall `timeout`.
pub fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<(&str, &[u8])>,
    timeout: Duration,
) -> io::Result<Response> {
    let deadline = Instant::now() + timeout;
    let annotate =
        |e: io::Error| io::Error::new(e.kind(), format!("{method} http://{addr}{path}: {e}"));
    let stream =
        TcpStream::connect_timeout(&addr, timeout.min(Duration::from_secs(5))).map_err(annotate)?;
    stream.set_write_timeout(Some(timeout)).map_err(annotate)?;
    (&stream)
        .write_all(&format_request(method, &addr.to_string(), path, body))
        .map_err(annotate)?;
    read_response(&mut DeadlineReader::new(&stream, deadline), method).map_err(annotate)
}

#[test]
fn request_head_parses_line_and_headers() {
    let head = parse_request_head(b"GET /course/eda/?x=1 HTTP/1.1\r\nHost: a\r\nX-Y:  z ").unwrap();
    assert_eq!(head.method, "GET");
    assert_eq!(head.target, "/course/eda/?x=1");
    assert_eq!(
        head.headers,
        vec![
            ("Host".to_owned(), "a".to_owned()),
            ("X-Y".to_owned(), "z".to_owned())
        ]
    );
}

#[test]
fn request_head_rejects_malformed_input() {
    for bad in [
        &b"GET /"[..],
        b"GET / HTTP/1.1 extra",
        b"get / HTTP/1.1",
        b"GET / HTTP/2",
        b"GET  HTTP/1.1",
        b"GET / HTTP/1.1\r\nNoColon",
        b"GET / HTTP/1.1\r\nA: b\r\n folded",
        b"GET / HTTP/1.1\r\nBad Name: x",
        b"GET /\xff HTTP/1.1",
    ] {
        assert!(
            parse_request_head(bad).is_err(),
            "accepted {:?}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn read_request_stops_at_blank_line_even_across_reads() {
    // `chain` makes the head arrive in two reads, as it may over TCP.
    let mut r = (&b"GET /a HTTP/1.1\r\nHo"[..]).chain(&b"st: x\r\n\r\nBODY"[..]);
    let head = read_request(&mut r).unwrap();
    assert_eq!(head.target, "/a");
    let mut r = &b"GET /a HTTP/1.1\r\nHost: x\r\n"[..];
    let err = read_request(&mut r).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
}

#[test]
fn response_with_content_length_ignores_trailing_bytes() {
    let raw = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 5\r\n\r\nhello, extra";
    let resp = read_response(&mut &raw[..], "GET").unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("Content-Type"), Some("application/json"));
    assert_eq!(resp.body, b"hello");
}

#[test]
fn response_body_arriving_after_head_is_read_fully() {
    let mut r =
        (&b"HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\n0123"[..]).chain(&b"456789"[..]);
    let resp = read_response(&mut r, "GET").unwrap();
    assert_eq!(resp.status, 404);
    assert_eq!(resp.body, b"0123456789");
}

#[test]
fn response_shorter_than_content_length_is_an_error() {
    let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort";
    assert!(read_response(&mut &raw[..], "GET").is_err());
}

#[test]
fn response_chunked_and_eof_framing() {
    let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";
    assert_eq!(
        read_response(&mut &raw[..], "GET").unwrap().body,
        b"hello, world"
    );
    let raw = b"HTTP/1.0 200\r\nServer: old\r\n\r\nuntil the end";
    let resp = read_response(&mut &raw[..], "GET").unwrap();
    assert_eq!(
        (resp.status, resp.body.as_slice()),
        (200, &b"until the end"[..])
    );
    let raw = b"HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n";
    assert!(read_response(&mut &raw[..], "GET").unwrap().body.is_empty());
    // A HEAD response announces a length but sends no body: must not block.
    let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n";
    assert!(
        read_response(&mut &raw[..], "HEAD")
            .unwrap()
            .body
            .is_empty()
    );
}

#[test]
fn response_rejects_bad_framing() {
    for bad in [
        &b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"[..],
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        b"HTTP/1.1 2000 OK\r\n\r\n",
        b"SPDY 200 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
    ] {
        assert!(
            read_response(&mut &bad[..], "GET").is_err(),
            "accepted {:?}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn formatted_request_round_trips_through_the_parser() {
    let raw = format_request(
        "POST",
        "127.0.0.1:9",
        "/session",
        Some(("application/json", b"{}")),
    );
    let (head, body) = read_head(&mut &raw[..]).unwrap();
    let parsed = parse_request_head(&head).unwrap();
    assert_eq!(
        (parsed.method.as_str(), parsed.target.as_str()),
        ("POST", "/session")
    );
    assert_eq!(find_header(&parsed.headers, "content-length"), Some("2"));
    assert_eq!(find_header(&parsed.headers, "connection"), Some("close"));
    assert_eq!(body, b"{}");
    let raw = format_request("DELETE", "h", "/session/1", None);
    assert!(
        String::from_utf8(raw)
            .unwrap()
            .contains("Content-Length: 0\r\n\r\n")
    );
}

#[test]
fn formatted_response_head_round_trips_through_the_parser() {
    let mut raw = format_response_head(404, "Not Found", &[("Content-Type", "text/plain")], 3);
    raw.extend_from_slice(b"nah");
    let resp = read_response(&mut &raw[..], "GET").unwrap();
    assert_eq!(resp.status, 404);
    assert_eq!(resp.header("connection"), Some("close"));
    assert_eq!(resp.body, b"nah");
}
