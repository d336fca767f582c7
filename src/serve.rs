//! `serve`: the author's preview. Builds the site into memory with the same [`build`] as
//! `build` (drafts included, the base URL rewritten to the local address), serves it over
//! HTTP, watches the site's sources and rebuilds on every change, and makes every open page
//! follow: a reload, a stylesheet swap when only CSS changed, or an overlay with the
//! build's `path:line:col` error while the last good build stays on screen.
//!
//! # Live reload
//! Every HTML page is served with one extra `<script src="/__docsite/live.js">`. The script
//! long-polls `/__docsite/poll?v=<version>`: the request waits until the server's build
//! version differs from the page's, then answers `{"v", "kind", "error"}` (`kind` is
//! `"full"` or `"css"`). No WebSocket and no server push are needed, and a poll that is cut
//! off (the server restarting) is retried.
//!
//! # Safety
//! Only files of the in-memory build are served: a request path is percent-decoded once
//! and looked up in that map, so `..`, `%2e%2e`, double-encoded and backslash forms can
//! name nothing else; symlinks leading out of `content/` or `static/` are refused by the
//! build itself. A path that is not in the map gets `404.html` with status 404.

use crate::output::Output;
use crate::site::{build, BuildError, BuildOptions};
use anyhow::{bail, Context, Result};
use notify::{RecursiveMode, Watcher};
use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    pub port: u16,
    /// Open the home page in the system's browser once serving.
    pub open: bool,
    /// Include `draft = true` pages (on by default in `serve`).
    pub drafts: bool,
}

/// The site as it is served: the last good build, and the error of the last attempt.
#[derive(Default)]
struct Snapshot {
    files: Arc<BTreeMap<String, Vec<u8>>>,
    /// The ETag of every file but pages (a hash of its bytes), made once per build.
    etags: Arc<HashMap<String, String>>,
    version: u64,
    kind: &'static str,
    error: Option<String>,
}

struct Shared {
    now: Mutex<Snapshot>,
    changed: Condvar,
}

const LIVE_JS: &str = include_str!("live.js");
const POLL_WAIT: Duration = Duration::from_secs(25);
/// Saves that arrive within this long of each other are built once.
const QUIET: Duration = Duration::from_millis(3);

/// Builds, serves and watches until interrupted.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let addr = SocketAddr::new(opts.interface, opts.port);
    let listener = match std::net::TcpListener::bind(addr) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => bail!(
            "port {} on {} is taken (is another `serve` running?); choose another with --port",
            opts.port,
            opts.interface
        ),
        Err(e) => bail!("cannot listen on {addr}: {e}"),
    };
    no_delay(&listener);
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let port = server.server_addr().to_ip().map_or(opts.port, |a| a.port());
    if !opts.interface.is_loopback() {
        eprintln!(
            "warning: serving on {}, which other machines can reach; drafts and unfinished pages are visible to them",
            opts.interface
        );
    }
    let host = if opts.interface.is_unspecified() {
        "127.0.0.1".to_string()
    } else if opts.interface.is_ipv6() {
        format!("[{}]", opts.interface)
    } else {
        opts.interface.to_string()
    };
    let url = format!("http://{host}:{port}/");
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        base_url: Some(url.clone()),
        drafts: opts.drafts,
    };
    let shared = Arc::new(Shared {
        now: Mutex::new(Snapshot::default()),
        changed: Condvar::new(),
    });
    rebuild(&build_opts, &shared);

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            let _ = tx.send(ev);
        }
    })
    .context("cannot watch the site's files")?;
    for dir in ["content", "templates", "static"] {
        let p = opts.root.join(dir);
        if p.is_dir() {
            watcher
                .watch(&p, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", p.display()))?;
        }
    }
    watcher
        .watch(&opts.root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", opts.root.display()))?;

    let server = Arc::new(server);
    for _ in 0..4 {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            while let Ok(req) = server.recv() {
                handle(req, &shared);
            }
        });
    }
    eprintln!("serving {} at {url} (Ctrl-C stops)", opts.root.display());
    if opts.open {
        open_browser(&url);
    }

    let root = opts
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.root.clone());
    while let Ok(first) = rx.recv() {
        let mut relevant = matters(&root, &first);
        // Coalesce a burst of saves (editors write, rename and touch in quick succession).
        while let Ok(ev) = rx.recv_timeout(QUIET) {
            relevant |= matters(&root, &ev);
        }
        if relevant {
            rebuild(&build_opts, &shared);
        }
    }
    drop(watcher);
    Ok(())
}

/// Turns off Nagle's algorithm for every connection the listener accepts (Linux copies the
/// option to accepted sockets). Without it, a page's second request on a kept-alive
/// connection waits some 40 ms for a delayed ACK.
#[cfg(target_os = "linux")]
fn no_delay(listener: &std::net::TcpListener) {
    use std::os::fd::AsRawFd;
    let one: libc::c_int = 1;
    // SAFETY: a valid socket descriptor and a pointer to a c_int of the size given.
    unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            (&one as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn no_delay(_listener: &std::net::TcpListener) {}

/// Whether a file event concerns the site's sources (not an editor's swap file, not the
/// output folder).
fn matters(root: &Path, ev: &notify::Event) -> bool {
    if matches!(ev.kind, notify::EventKind::Access(_)) {
        return false;
    }
    ev.paths.iter().any(|p| {
        let rel = p.strip_prefix(root).unwrap_or(p);
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let junk = name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name == "4913";
        let first = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or_default();
        !junk
            && (matches!(first, "content" | "templates" | "static")
                || rel == Path::new("site.toml"))
    })
}

/// Builds into memory; on success swaps the new files in, on failure keeps the old ones and
/// records the error. Either way, open pages are woken.
fn rebuild(opts: &BuildOptions, shared: &Shared) {
    let started = Instant::now();
    let out = Output::memory();
    let result = build(opts, &out);
    let elapsed = started.elapsed();
    let mut now = shared.now.lock().unwrap_or_else(|p| p.into_inner());
    match result.and_then(|stats| Ok((stats, out.commit()?.unwrap_or_default()))) {
        Ok((stats, files)) => {
            let css_only =
                now.version > 0 && now.error.is_none() && only_css_changed(&now.files, &files);
            now.kind = if css_only { "css" } else { "full" };
            now.etags = Arc::new(
                files
                    .iter()
                    .filter(|(name, _)| !name.ends_with(".html"))
                    .map(|(name, bytes)| (name.clone(), format!("\"{:016x}\"", fnv1a(bytes))))
                    .collect(),
            );
            now.files = Arc::new(files);
            now.error = None;
            eprintln!(
                "built {} pages in {:.1} ms",
                stats.pages,
                elapsed.as_secs_f64() * 1000.0
            );
        }
        Err(e) => {
            let text = match &e {
                BuildError::Site(d) => d.to_string(),
                BuildError::System(e) => format!("error: {e:#}"),
            };
            eprintln!("{text}\nthe build failed; still serving the last good build");
            now.kind = "full";
            now.error = Some(text);
        }
    }
    now.version += 1;
    shared.changed.notify_all();
}

fn only_css_changed(old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> bool {
    if old.len() != new.len() {
        return false;
    }
    let mut any = false;
    for ((ka, va), (kb, vb)) in old.iter().zip(new) {
        if ka != kb {
            return false;
        }
        if va != vb {
            if !ka.ends_with(".css") {
                return false;
            }
            any = true;
        }
    }
    any
}

fn handle(req: tiny_http::Request, shared: &Arc<Shared>) {
    let url = req.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if req.method() != &tiny_http::Method::Get && req.method() != &tiny_http::Method::Head {
        let _ = req.respond(tiny_http::Response::empty(405));
        return;
    }
    if path == "/__docsite/live.js" {
        let _ = req.respond(response(
            LIVE_JS.as_bytes().to_vec(),
            200,
            "text/javascript; charset=utf-8",
        ));
        return;
    }
    if path == "/__docsite/poll" {
        let seen: Option<u64> = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("v="))
            .and_then(|v| v.parse().ok());
        let shared = Arc::clone(shared);
        // A poll may wait for long: it gets its own thread so the workers stay free.
        std::thread::spawn(move || {
            let body = poll(&shared, seen);
            let _ = req.respond(response(body.into_bytes(), 200, "application/json"));
        });
        return;
    }
    let (files, etags, version) = {
        let now = shared.now.lock().unwrap_or_else(|p| p.into_inner());
        (Arc::clone(&now.files), Arc::clone(&now.etags), now.version)
    };
    match lookup(&files, path) {
        Found::File(name) => {
            let bytes = &files[&name];
            let mime = mime(&name);
            if name.ends_with(".html") {
                let _ = req.respond(response(inject(bytes, version), 200, mime));
                return;
            }
            // Assets may be kept by the browser but are checked on every use, so a reload
            // after an edit fetches only what changed (a 304 for the rest).
            let etag = etags.get(&name).map_or("", String::as_str);
            let fresh = req
                .headers()
                .iter()
                .any(|h| h.field.equiv("If-None-Match") && h.value.as_str() == etag);
            let mut r = if fresh {
                response(Vec::new(), 304, mime)
            } else {
                response(bytes.clone(), 200, mime)
            };
            if let Ok(h) = tiny_http::Header::from_bytes(&b"ETag"[..], etag.as_bytes()) {
                r.add_header(h);
            }
            let _ = req.respond(r);
        }
        Found::Redirect(to) => {
            let mut r = tiny_http::Response::empty(301);
            if let Ok(h) = tiny_http::Header::from_bytes("Location", to.as_bytes()) {
                r.add_header(h);
            }
            let _ = req.respond(r);
        }
        Found::Nothing => {
            let body = match files.get("404.html") {
                Some(b) => inject(b, version),
                None => b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>".to_vec(),
            };
            let _ = req.respond(response(body, 404, "text/html; charset=utf-8"));
        }
    }
}

/// Waits until the version differs from `seen` (or answers at once when `seen` is absent),
/// and describes the site as it is then.
fn poll(shared: &Shared, seen: Option<u64>) -> String {
    let now = shared.now.lock().unwrap_or_else(|p| p.into_inner());
    let now = match seen {
        Some(v) => shared
            .changed
            .wait_timeout_while(now, POLL_WAIT, |s| s.version == v)
            .map(|(g, _)| g)
            .unwrap_or_else(|p| p.into_inner().0),
        None => now,
    };
    serde_json::json!({ "v": now.version, "kind": now.kind, "error": now.error }).to_string()
}

enum Found {
    File(String),
    Redirect(String),
    Nothing,
}

/// Maps a request path to a file of the build. The path is percent-decoded once and must
/// then be a plain `/`-separated path: no `..` or `.` segment, no backslash, no NUL.
fn lookup(files: &BTreeMap<String, Vec<u8>>, raw: &str) -> Found {
    let Ok(path) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Found::Nothing;
    };
    let Some(rel) = path.strip_prefix('/') else {
        return Found::Nothing;
    };
    if rel.contains('\\') || rel.contains('\0') || rel.split('/').any(|s| s == ".." || s == ".") {
        return Found::Nothing;
    }
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if files.contains_key(&index) {
            Found::File(index)
        } else {
            Found::Nothing
        };
    }
    if files.contains_key(rel) {
        return Found::File(rel.to_string());
    }
    if files.contains_key(&format!("{rel}/index.html")) {
        return Found::Redirect(format!("{raw}/"));
    }
    Found::Nothing
}

/// Adds the live-reload script to a page.
fn inject(html: &[u8], version: u64) -> Vec<u8> {
    let tag = format!("<script src=\"/__docsite/live.js\" data-v=\"{version}\" defer></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn response(
    body: Vec<u8>,
    status: u16,
    mime: &str,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut r = tiny_http::Response::from_data(body).with_status_code(status);
    let cache = if mime.starts_with("text/html") || mime == "application/json" {
        "no-store"
    } else {
        "no-cache"
    };
    for (k, v) in [
        ("Content-Type", mime),
        ("Cache-Control", cache),
        ("X-Content-Type-Options", "nosniff"),
    ] {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            r.add_header(h);
        }
    }
    r
}

/// A 64-bit FNV-1a hash: the entity tag of an asset.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The media type of a file, by its extension.
pub fn mime(name: &str) -> &'static str {
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
        _ if name == "CNAME" || name.ends_with("/CNAME") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: could not open a browser ({cmd}: {e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> BTreeMap<String, Vec<u8>> {
        ["index.html", "a/index.html", "style.css", "404.html"]
            .into_iter()
            .map(|k| (k.to_string(), k.as_bytes().to_vec()))
            .collect()
    }

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
    fn only_css_changes_are_told_apart() {
        let a = site();
        let mut b = site();
        b.insert("style.css".into(), b"new".to_vec());
        assert!(only_css_changed(&a, &b));
        b.insert("index.html".into(), b"new".to_vec());
        assert!(!only_css_changed(&a, &b));
        assert!(!only_css_changed(&a, &a));
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<p>x</p></BODY></html>", 3)).unwrap();
        assert_eq!(
            out,
            "<p>x</p><script src=\"/__docsite/live.js\" data-v=\"3\" defer></script></BODY></html>"
        );
    }
}
