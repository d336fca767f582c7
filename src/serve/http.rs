//! HTTP: the server's connections, and the answer to each request.
//!
//! Only files of the in-memory build are served: a request path is percent-decoded once
//! and looked up in that map, so `..`, `%2e%2e`, double-encoded and backslash forms can
//! name nothing else; symlinks leading out of `content/` or `static/` are refused by the
//! build itself. A path that is not in the map gets `404.html` with status 404, and a
//! folder's path without its final `/` a temporary redirect (307, never cached as a 301
//! is) to the path with it, the query kept.
//!
//! HTTP is hyper's (HTTP/1.1 on tokio, a task per connection, so a slow or stalled client
//! holds only its own connection). Around it:
//! - Only requests addressed to this machine are answered: a `Host` of `localhost`, a
//!   loopback address or the address the connection came in on, with any port. Anything
//!   else (a page elsewhere reaching the preview through DNS rebinding) gets 421.
//! - The request line and headers together may take 32 KiB (and at most 100 headers): more
//!   gets 431. A request with a body gets 413; nothing here takes one.
//! - A connection must send a whole request head within 10 s of the server starting to
//!   wait for one (this closes idle kept-alive connections too; a long poll in progress is
//!   not waiting for a head), and a response that makes no progress for 30 s (a client that
//!   stopped reading) closes its connection.
//! - Running out of file descriptors makes `accept` fail: the server waits, longer each
//!   time up to a second, and keeps accepting once connections have closed.
//! - Files are kept in shared buffers ([`Bytes`]): a download, or a part of one asked for
//!   with `Range` (206, or 416 when unsatisfiable), is a view of the build's copy.
//!
//! `/__docsite/live.js` and `/__docsite/poll` ([`super::live`]) are answered here too,
//! whatever the build holds at those paths.

use super::live::{LIVE_JS, LIVE_PATH, POLL_PATH};
use super::snapshot::{Shared, Snapshot};
use super::warn;
use crate::routes::{DataFile, Page, Served};
use anyhow::{bail, Context, Result};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

type Body = Full<Bytes>;

const POLL_WAIT: Duration = Duration::from_secs(25);

/// The most a request line and its headers may take together; a connection's read buffer
/// holds at most twice that. Browsers send well under 8 KiB, but cookies set by other
/// local servers on `localhost` come along too.
const MAX_HEAD: usize = 32 * 1024;
/// How long a connection may take to send a request head, counted from when the server
/// starts waiting for one: it bounds slow senders and idle kept-alive connections alike.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a response may make no progress (a client that stopped reading).
const WRITE_STALL: Duration = Duration::from_secs(30);
/// The longest wait between two `accept` attempts when they fail (out of descriptors).
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Binds `addr`, saying plainly when the port is taken; returns the listener and its port
/// (the one the system chose for port 0).
pub(super) fn listen(addr: SocketAddr) -> Result<(std::net::TcpListener, u16)> {
    let listener = match std::net::TcpListener::bind(addr) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => bail!(
            "port {} on {} is taken (is another `serve` running?); choose another with --port",
            addr.port(),
            addr.ip()
        ),
        Err(e) => bail!("cannot listen on {addr}: {e}"),
    };
    let port = listener.local_addr().map_or(addr.port(), |a| a.port());
    raise_descriptor_limit();
    listener
        .set_nonblocking(true)
        .with_context(|| format!("cannot listen on {addr}"))?;
    Ok((listener, port))
}

/// Starts the server's threads and accepts connections on `listener` (bound to `addr`)
/// with them, each answered from `shared`. The server runs as long as the returned
/// runtime is kept.
pub(super) fn start(
    listener: std::net::TcpListener,
    addr: SocketAddr,
    shared: Arc<Shared>,
) -> Result<tokio::runtime::Runtime> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("docsite-serve")
        .build()
        .context("cannot start the server's threads")?;
    let listener = {
        let _in_runtime = runtime.enter();
        tokio::net::TcpListener::from_std(listener)
            .with_context(|| format!("cannot listen on {addr}"))?
    };
    runtime.spawn(accept_loop(listener, shared));
    Ok(runtime)
}

/// Raises this process's soft limit on open files to its hard limit (at most 65,536), as
/// servers commonly do: the soft limit is often 1,024, which some 500 idle browser tabs'
/// connections would reach. Reaching the limit anyway is survived (see [`accept_loop`]).
#[cfg(target_os = "linux")]
fn raise_descriptor_limit() {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write the one rlimit struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
            let want = lim.rlim_max.min(65_536);
            if want > lim.rlim_cur {
                lim.rlim_cur = want;
                libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn raise_descriptor_limit() {}

/// Accepts connections for ever, each served by its own task. A failed `accept` never
/// ends the loop: when it is the machine running out of something (descriptors, most
/// often), the loop waits a little, then longer, and tries again.
async fn accept_loop(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    let mut backoff = Duration::ZERO;
    loop {
        match listener.accept().await {
            Ok((tcp, _)) => {
                if !backoff.is_zero() {
                    eprintln!("accepting connections again");
                    backoff = Duration::ZERO;
                }
                let local = tcp.local_addr().ok().map(|a| a.ip());
                tokio::spawn(connection(tcp, local, Arc::clone(&shared)));
            }
            Err(e) => {
                let wait = after_accept_error(&e, backoff);
                if wait.is_zero() {
                    continue;
                }
                if backoff.is_zero() {
                    warn(format!(
                        "cannot accept connections ({e}); waiting for some to close"
                    ));
                }
                backoff = wait;
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// How long to wait after `accept` failed with `e`, the last wait having been `backoff`.
/// A connection given up by its client before it was accepted costs nothing (no wait);
/// anything else (no descriptors, no memory) waits 10 ms, doubled each time, at most
/// [`MAX_BACKOFF`].
fn after_accept_error(e: &std::io::Error, backoff: Duration) -> Duration {
    use std::io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock
    ) {
        return Duration::ZERO;
    }
    (backoff * 2).clamp(Duration::from_millis(10), MAX_BACKOFF)
}

/// Serves one connection: HTTP/1.1 with keep-alive, bounded head size and timeouts.
async fn connection(tcp: tokio::net::TcpStream, local: Option<IpAddr>, shared: Arc<Shared>) {
    // Without it, a page's second request on a kept-alive connection waits some 40 ms for
    // a delayed ACK.
    let _ = tcp.set_nodelay(true);
    let mut io = tokio_io_timeout::TimeoutStream::new(tcp);
    io.set_write_timeout(Some(WRITE_STALL));
    let service = hyper::service::service_fn(move |req| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, Infallible>(answer(req, local, &shared).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_header_size(MAX_HEAD)
        .max_buf_size(2 * MAX_HEAD)
        // Bodies are queued as they are (shared buffers), never copied into hyper's own.
        .writev(true)
        .serve_connection(TokioIo::new(Box::pin(io)), service)
        .await;
}

/// Answers one request.
async fn answer(req: Request<Incoming>, local: Option<IpAddr>, shared: &Shared) -> Response<Body> {
    if let Some(refused) = refused(&req, local) {
        return refused;
    }
    let head = req.method() == Method::HEAD;
    let path = req.uri().path();
    let query = req.uri().query().unwrap_or("");
    // Matched on the decoded path, as files are: `/__docsite/%70oll` is the poll too.
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let reply = if decoded == LIVE_PATH {
        reply(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            Bytes::from_static(LIVE_JS.as_bytes()),
        )
    } else if decoded == POLL_PATH {
        poll(query, shared).await
    } else {
        let now = shared.borrow().clone();
        file(&req, path, &now)
    };
    if head {
        let (mut parts, body) = reply.into_parts();
        let len = hyper::body::Body::size_hint(&body).exact().unwrap_or(0);
        if parts.status != StatusCode::NOT_MODIFIED {
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        }
        return Response::from_parts(parts, Full::new(Bytes::new()));
    }
    reply
}

/// The answer to a request that is not served at all: one not addressed to this machine
/// (or without one `Host`), one with a body, or one neither GET nor HEAD.
fn refused(req: &Request<Incoming>, local: Option<IpAddr>) -> Option<Response<Body>> {
    if let Err(status) = addressed_here(req, local) {
        let text = if status == StatusCode::BAD_REQUEST {
            "A request needs one Host header.\n"
        } else {
            "docsite serve answers only requests addressed to localhost, a loopback address or the address it listens on.\n"
        };
        return Some(closing(plain(status, text)));
    }
    if has_body(req.headers()) {
        return Some(closing(plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "docsite serve takes no request bodies.\n",
        )));
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD.\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Some(r);
    }
    None
}

/// The live reload's long poll: with `v=<version>` in the query, waits (at most
/// [`POLL_WAIT`]) until the build's version differs, then answers the version, the kind of
/// change and the last build's error.
async fn poll(query: &str, shared: &Shared) -> Response<Body> {
    let seen: Option<u64> = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("v="))
        .and_then(|v| v.parse().ok());
    let mut rx = shared.subscribe();
    if let Some(v) = seen {
        let _ = tokio::time::timeout(POLL_WAIT, rx.wait_for(|s| s.version != v)).await;
    }
    let now = rx.borrow().clone();
    let body =
        serde_json::json!({ "v": now.version, "kind": now.kind, "error": now.error }).to_string();
    reply(StatusCode::OK, "application/json", Bytes::from(body))
}

/// A file of the build (a part of one, with `Range`), the 404 page or a redirect to a
/// folder's `/`.
fn file(req: &Request<Incoming>, path: &str, now: &Snapshot) -> Response<Body> {
    match lookup(&now.files, path) {
        Found::File(name) => {
            let bytes = &now.files[&name];
            let mime = mime(&name);
            if name.ends_with(".html") {
                // The build's copy, the live-reload script already in it.
                return reply(StatusCode::OK, mime, bytes.clone());
            }
            // Assets may be kept by the browser but are checked on every use, so a reload
            // after an edit fetches only what changed (a 304 for the rest).
            let etag = now.etags.get(&name).map_or("", String::as_str);
            let mut r = if matches_etag(req.headers().get(header::IF_NONE_MATCH), etag) {
                reply(StatusCode::NOT_MODIFIED, mime, Bytes::new())
            } else {
                asset(req.headers(), bytes, etag, mime)
            };
            if let Ok(v) = HeaderValue::from_str(etag) {
                r.headers_mut().insert(header::ETAG, v);
            }
            r
        }
        Found::Redirect(mut to) => {
            // Temporary (307): a browser keeps no permanent redirect from a preview whose
            // pages come and go. The query goes along.
            if let Some(q) = req.uri().query() {
                to = format!("{to}?{q}");
            }
            let mut r = plain(StatusCode::TEMPORARY_REDIRECT, "");
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Found::Nothing => {
            let body = match now.files.get(&Page::NotFound.file()) {
                Some(b) => b.clone(),
                None => {
                    Bytes::from_static(b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>")
                }
            };
            reply(StatusCode::NOT_FOUND, "text/html; charset=utf-8", body)
        }
    }
}

/// A whole asset, or the part a `Range` header asks for. `If-Range` with another tag
/// (the file changed since the first part) gets the whole new file.
fn asset(headers: &HeaderMap, bytes: &Bytes, etag: &str, mime: &str) -> Response<Body> {
    let len = bytes.len() as u64;
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| match headers.get(header::IF_RANGE) {
            None => true,
            Some(v) => v.as_bytes() == etag.as_bytes(),
        });
    let mut r = match range.map_or(Range::Whole, |v| parse_range(v, len)) {
        Range::Whole => reply(StatusCode::OK, mime, bytes.clone()),
        Range::Part(first, last) => {
            let mut r = reply(
                StatusCode::PARTIAL_CONTENT,
                mime,
                bytes.slice(first as usize..=last as usize),
            );
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {first}-{last}/{len}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            r
        }
        Range::Unsatisfiable => {
            let mut r = plain(StatusCode::RANGE_NOT_SATISFIABLE, "");
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            r
        }
    };
    r.headers_mut()
        .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    r
}

#[derive(Debug, PartialEq)]
enum Range {
    /// No usable range (absent, malformed, several ranges, another unit): the whole file.
    Whole,
    /// Bytes `first..=last`.
    Part(u64, u64),
    Unsatisfiable,
}

/// Reads a `Range` header for a file of `len` bytes: one `bytes=` range, `a-b`, `a-` or
/// the suffix `-n`. Several ranges at once are answered with the whole file, which
/// RFC 9110 allows.
fn parse_range(value: &str, len: u64) -> Range {
    let Some((unit, spec)) = value.trim().split_once('=') else {
        return Range::Whole;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return Range::Whole;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Range::Whole;
    };
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (a, b) = (a.trim(), b.trim());
    match (a.is_empty(), number(a), number(b)) {
        (true, _, Some(n)) => {
            if n == 0 || len == 0 {
                Range::Unsatisfiable
            } else {
                Range::Part(len.saturating_sub(n), len - 1)
            }
        }
        (false, Some(first), None) if b.is_empty() => {
            if first >= len {
                Range::Unsatisfiable
            } else {
                Range::Part(first, len - 1)
            }
        }
        (false, Some(first), Some(last)) if first <= last => {
            if first >= len {
                Range::Unsatisfiable
            } else {
                Range::Part(first, last.min(len - 1))
            }
        }
        _ => Range::Whole,
    }
}

/// Whether an `If-None-Match` header names `etag` (or is `*`).
fn matches_etag(value: Option<&HeaderValue>, etag: &str) -> bool {
    let Some(value) = value.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    !etag.is_empty()
        && value
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}

/// Whether the request is addressed to this server: its `Host` (and the authority of an
/// absolute request target, when it has one) must be ours. `Err` is the status to answer.
fn addressed_here(req: &Request<Incoming>, local: Option<IpAddr>) -> Result<(), StatusCode> {
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return Err(StatusCode::BAD_REQUEST);
    };
    let ours = |h: &str| host_is_ours(h, local);
    let host_ok = host.to_str().is_ok_and(ours);
    let target_ok = req.uri().authority().is_none_or(|a| ours(a.as_str()));
    if host_ok && target_ok {
        Ok(())
    } else {
        Err(StatusCode::MISDIRECTED_REQUEST)
    }
}

/// Whether a `Host` value names this machine: `localhost`, a loopback address, or `local`
/// (the address the connection came in on), each with or without a port.
fn host_is_ours(value: &str, local: Option<IpAddr>) -> bool {
    let port_ok = |p: &str| {
        p.is_empty()
            || p.strip_prefix(':').is_some_and(|p| {
                !p.is_empty() && p.len() <= 5 && p.bytes().all(|c| c.is_ascii_digit())
            })
    };
    let ip = if let Some(rest) = value.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        match inside.parse::<Ipv6Addr>() {
            Ok(ip) if port_ok(after) => IpAddr::V6(ip),
            _ => return false,
        }
    } else {
        let (name, port) = match value.find(':') {
            Some(at) => value.split_at(at),
            None => (value, ""),
        };
        if !port_ok(port) {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match name.parse::<Ipv4Addr>() {
            Ok(ip) => IpAddr::V4(ip),
            Err(_) => return false,
        }
    };
    ip.is_loopback() || local.is_some_and(|l| l == ip || l.to_canonical() == ip)
}

/// Whether the request carries a body (which nothing here reads).
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get_all(header::CONTENT_LENGTH)
            .iter()
            .any(|v| v.as_bytes() != b"0")
}

fn closing(mut r: Response<Body>) -> Response<Body> {
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    reply(
        status,
        "text/plain; charset=utf-8",
        Bytes::from_static(text.as_bytes()),
    )
}

fn reply(status: StatusCode, mime: &str, body: Bytes) -> Response<Body> {
    let cache = if mime.starts_with("text/html") || mime == "application/json" {
        "no-store"
    } else {
        "no-cache"
    };
    let mut r = Response::new(Full::new(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

enum Found {
    File(String),
    Redirect(String),
    Nothing,
}

/// Maps a request path to a file of the build. The path is percent-decoded once and must
/// then be a plain `/`-separated path: no `..` or `.` segment, no backslash, no NUL.
fn lookup<V>(files: &BTreeMap<String, V>, raw: &str) -> Found {
    let Ok(path) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Found::Nothing;
    };
    let Some(rel) = path.strip_prefix('/') else {
        return Found::Nothing;
    };
    if rel.contains('\\') || rel.contains('\0') || rel.split('/').any(|s| s == ".." || s == ".") {
        return Found::Nothing;
    }
    match crate::routes::served(rel, |c| files.contains_key(c)) {
        Some(Served::File(file)) => Found::File(file),
        Some(Served::Folder(_)) => Found::Redirect(format!("{raw}/")),
        None => Found::Nothing,
    }
}

/// The media type of a file, by its extension.
fn mime(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        _ if name.rsplit('/').next() == Some(DataFile::Cname.file()) => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::tests::site;
    use tokio::sync::watch;

    #[test]
    fn lookup_serves_files_and_folders_and_nothing_else() {
        let s = site();
        let file = |p: &str| match lookup(&s, p) {
            Found::File(f) => f,
            Found::Redirect(r) => format!("-> {r}"),
            Found::Nothing => "404".into(),
        };
        assert_eq!(file("/"), "index.html");
        assert_eq!(file("/a/"), "a/index.html");
        assert_eq!(file("/a"), "-> /a/");
        assert_eq!(file("/style.css"), "style.css");
        for bad in [
            "/../Cargo.toml",
            "/a/../../etc/passwd",
            "/%2e%2e/site.toml",
            "/%2E%2E%2Fsite.toml",
            "/%252e%252e/site.toml",
            "/..%5csite.toml",
            "/a\\..\\..\\site.toml",
            "/./style.css",
            "/style.css%00",
            "/%ff",
            "relative",
        ] {
            assert_eq!(file(bad), "404", "{bad}");
        }
    }

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        assert_eq!(parse_range("bytes=0-99", 1000), Range::Part(0, 99));
        assert_eq!(parse_range("bytes=990-", 1000), Range::Part(990, 999));
        assert_eq!(parse_range("bytes=990-5000", 1000), Range::Part(990, 999));
        assert_eq!(parse_range("bytes=-10", 1000), Range::Part(990, 999));
        assert_eq!(parse_range("bytes=-5000", 1000), Range::Part(0, 999));
        assert_eq!(parse_range("BYTES = 5-5", 1000), Range::Part(5, 5));
        assert_eq!(parse_range("bytes=1000-", 1000), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=1000-2000", 1000), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 1000), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=0-0", 0), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=-1", 0), Range::Unsatisfiable);
        for whole in [
            "bytes=0-1,5-6",
            "bytes=9-5",
            "bytes=-",
            "bytes=a-b",
            "bytes=+1-2",
            "items=0-1",
            "bytes 0-1",
            "",
            "bytes=99999999999999999999999-",
        ] {
            assert_eq!(parse_range(whole, 1000), Range::Whole, "{whole}");
        }
    }

    #[test]
    fn only_this_machine_is_a_host() {
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        for ok in [
            "localhost",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:80",
            "[::1]",
            "[::1]:1111",
            "192.168.1.5",
            "192.168.1.5:1111",
        ] {
            assert!(host_is_ours(ok, Some(lan)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "localhost:",
            "localhost:abc",
            "localhost:1111:1111",
            "[::1",
            "[::1]x",
            "[::2]",
            "192.168.1.6",
            "",
            "0.0.0.0",
        ] {
            assert!(!host_is_ours(bad, Some(lan)), "{bad}");
        }
        assert!(!host_is_ours("192.168.1.5", None));
        // A dual-stack socket reports an IPv4 client's address as IPv4-mapped IPv6.
        let mapped: IpAddr = "::ffff:192.168.1.5".parse().unwrap();
        assert!(host_is_ours("192.168.1.5:1111", Some(mapped)));
    }

    #[test]
    fn accept_errors_back_off_up_to_a_second_and_never_stop() {
        let emfile = std::io::Error::from_raw_os_error(libc::EMFILE);
        let mut wait = Duration::ZERO;
        let mut waits = Vec::new();
        for _ in 0..10 {
            wait = after_accept_error(&emfile, wait);
            waits.push(wait.as_millis());
        }
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000]);
        let enfile = std::io::Error::from_raw_os_error(libc::ENFILE);
        assert_eq!(after_accept_error(&enfile, Duration::ZERO).as_millis(), 10);
        // A client that gave up before its connection was accepted costs no wait.
        let aborted = std::io::Error::from_raw_os_error(libc::ECONNABORTED);
        assert_eq!(
            after_accept_error(&aborted, Duration::from_secs(1)),
            Duration::ZERO
        );
    }

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        let v = |s: &'static str| HeaderValue::from_static(s);
        assert!(matches_etag(Some(&v("\"ab\"")), "\"ab\""));
        assert!(matches_etag(Some(&v("\"x\", W/\"ab\"")), "\"ab\""));
        assert!(matches_etag(Some(&v("*")), "\"ab\""));
        assert!(!matches_etag(Some(&v("\"abc\"")), "\"ab\""));
        assert!(!matches_etag(None, "\"ab\""));
        assert!(!matches_etag(Some(&v("*")), ""));
    }

    /// Runs `body` against a server on a loopback port, in a runtime whose clock only moves
    /// when every task waits: the timeouts pass at once, in order, without real waiting.
    fn with_server<F: std::future::Future<Output = ()>>(
        files: &[(&str, Vec<u8>)],
        body: impl FnOnce(SocketAddr) -> F,
    ) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        let files: BTreeMap<String, Bytes> = files
            .iter()
            .map(|(k, v)| (k.to_string(), Bytes::from(v.clone())))
            .collect();
        let shared = Arc::new(watch::Sender::new(Arc::new(Snapshot {
            files: Arc::new(files),
            version: 1,
            kind: "full",
            ..Snapshot::default()
        })));
        rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let server = tokio::spawn(accept_loop(listener, shared));
            body(addr).await;
            server.abort();
        });
    }

    /// Reads until the server closes the connection (`Some(bytes read)`), or `None` if it is
    /// still open after `wait`.
    async fn closed_within(c: &mut tokio::net::TcpStream, wait: Duration) -> Option<usize> {
        use tokio::io::AsyncReadExt;
        let mut total = 0;
        let mut buf = vec![0; 1 << 16];
        let read_all = async {
            loop {
                match c.read(&mut buf).await {
                    Ok(0) | Err(_) => return total,
                    Ok(n) => total += n,
                }
            }
        };
        tokio::time::timeout(wait, read_all).await.ok()
    }

    #[test]
    fn idle_and_slow_connections_are_closed_after_the_head_timeout() {
        with_server(
            &[("index.html", b"<p>home</p>".to_vec())],
            |addr| async move {
                use tokio::io::AsyncWriteExt;
                let second = Duration::from_secs(1);
                // Connected, nothing sent.
                let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
                assert_eq!(closed_within(&mut idle, HEAD_TIMEOUT - second).await, None);
                assert_eq!(closed_within(&mut idle, 2 * second).await, Some(0));
                // Half a head, and no more.
                let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
                slow.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                    .await
                    .unwrap();
                assert_eq!(closed_within(&mut slow, HEAD_TIMEOUT - second).await, None);
                assert!(closed_within(&mut slow, 2 * second).await.is_some());
                // One request answered, then kept alive and idle.
                let mut kept = tokio::net::TcpStream::connect(addr).await.unwrap();
                kept.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .await
                    .unwrap();
                let answered = closed_within(&mut kept, HEAD_TIMEOUT + second).await;
                assert!(answered.is_some_and(|n| n > 0), "{answered:?}");
            },
        );
    }

    #[test]
    fn a_long_poll_outlives_the_head_timeout() {
        with_server(&[], |addr| async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
            c.write_all(
                b"GET /__docsite/poll?v=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            )
            .await
            .unwrap();
            let mut reply = String::new();
            let read = tokio::time::timeout(POLL_WAIT * 2, c.read_to_string(&mut reply)).await;
            assert!(read.is_ok(), "no answer");
            assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
            assert!(
                reply.ends_with(r#"{"error":null,"kind":"full","v":1}"#),
                "{reply}"
            );
        });
    }

    #[test]
    fn a_client_that_stops_reading_is_cut_off_after_the_write_stall() {
        let len = 64 << 20;
        with_server(&[("film.mp4", vec![7; len])], |addr| async move {
            use tokio::io::AsyncWriteExt;
            let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
            c.write_all(b"GET /film.mp4 HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .await
                .unwrap();
            // Not reading: the server's writes stall, and after WRITE_STALL it gives up.
            tokio::time::sleep(WRITE_STALL + Duration::from_secs(1)).await;
            let got = closed_within(&mut c, Duration::from_secs(60)).await;
            assert!(got.is_some_and(|n| n < len), "{got:?} of {len} bytes");
        });
    }
}
