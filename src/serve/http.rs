//! HTTP: the answer to each request (the connections that carry them are [`super::listen`]'s).
//!
//! Only files of the in-memory build are served: a request path is percent-decoded once
//! and looked up in that map, so `..`, `%2e%2e`, double-encoded and backslash forms can
//! name nothing else; symlinks leading out of `content/` or `static/` are refused by the
//! build itself. A path that is not in the map gets `404.html` with status 404, and a
//! folder's path without its final `/` a temporary redirect (307, never cached as a 301
//! is) to the path with it, the query kept.
//!
//! Around the files:
//! - Only requests addressed to this machine are answered: a `Host` of `localhost`, a
//!   loopback address or the address the connection came in on, with any port. Anything
//!   else (a page elsewhere reaching the preview through DNS rebinding) gets 421.
//! - A request with a body gets 413; nothing here takes one. Methods other than GET and
//!   HEAD get 405.
//! - Files are kept in shared buffers ([`Bytes`]): a download, or a part of one asked for
//!   with `Range` (206, or 416 when unsatisfiable), is a view of the build's copy. Assets
//!   carry an `ETag` and are answered 304 when `If-None-Match` names it; the media type
//!   comes from the file's extension.
//!
//! `/__docsite/live.js` and `/__docsite/poll` ([`super::live`]) are answered here too,
//! whatever the build holds at those paths.

use super::live::{LIVE_JS, LIVE_PATH, POLL_PATH};
use super::snapshot::{Shared, Snapshot};
use crate::routes::{DataFile, Page, Served};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

type Body = Full<Bytes>;

/// The longest a live-reload poll waits for a new build before it is answered anyway.
pub(super) const POLL_WAIT: Duration = Duration::from_secs(25);

/// Answers one request that came in on a connection to `local`.
pub(super) async fn answer(
    req: Request<Incoming>,
    local: Option<IpAddr>,
    shared: &Shared,
) -> Response<Body> {
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
                // With the live-reload script of this build's version.
                return reply(StatusCode::OK, mime, now.page(&name, bytes));
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
                Some(b) => now.page(&Page::NotFound.file(), b),
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
        "m4v" => "video/mp4",
        "ogv" => "video/ogg",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "m4a" => "audio/mp4",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "wasm" => "application/wasm",
        _ if name.rsplit('/').next() == Some(DataFile::Cname.file()) => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::tests::site;

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
        // Hostile numbers: the largest, and past it.
        let max = u64::MAX;
        assert_eq!(
            parse_range(&format!("bytes={max}-"), 1000),
            Range::Unsatisfiable
        );
        assert_eq!(
            parse_range(&format!("bytes=-{max}"), 1000),
            Range::Part(0, 999)
        );
        assert_eq!(
            parse_range(&format!("bytes=0-{max}"), 1000),
            Range::Part(0, 999)
        );
        assert_eq!(
            parse_range(&format!("bytes={max}-{max}"), max),
            Range::Unsatisfiable
        );
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
            "bytes=--1",
            "bytes=1-2-3",
            "bytes=\u{0}0-1",
            "bytes=0x10-0x20",
            "bytes=1e3-",
            "bytes=٣-٤",
            "=0-1",
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
    fn if_none_match_lists_and_weak_tags_match() {
        let v = |s: &'static str| HeaderValue::from_static(s);
        assert!(matches_etag(Some(&v("\"ab\"")), "\"ab\""));
        assert!(matches_etag(Some(&v("\"x\", W/\"ab\"")), "\"ab\""));
        assert!(matches_etag(Some(&v("*")), "\"ab\""));
        assert!(!matches_etag(Some(&v("\"abc\"")), "\"ab\""));
        assert!(!matches_etag(None, "\"ab\""));
        assert!(!matches_etag(Some(&v("*")), ""));
    }
}
