//! `serve`: the author's preview. Builds the site into memory with the same [`build`] as
//! `build` (drafts included, the base URL rewritten to the local address), serves it over
//! HTTP, watches the site's sources and rebuilds on every change, and makes every open page
//! follow: a reload, a stylesheet swap when only CSS changed, or an overlay with the
//! build's `path:line:col` error while the last good build stays on screen.
//!
//! # Live reload
//! Every HTML page is served with one extra `<script src="/__docsite/live.js">`, put in
//! once per build (every request for the page shares that copy). The script
//! long-polls `/__docsite/poll?v=<version>`: the request waits until the server's build
//! version differs from the page's, then answers `{"v", "kind", "error"}` (`kind` is
//! `"full"` or `"css"`). No WebSocket and no server push are needed, and a poll that is cut
//! off (the server restarting) is retried. These two paths are matched after
//! percent-decoding, as files are, and always answered by `serve`: a file the build makes
//! at `__docsite/live.js` or `__docsite/poll` (from `static/`) is never served, and each
//! build that has one says so in a warning.
//!
//! # Watching
//! The site's root is watched on its own (not recursively), and `content/`, `templates/`
//! and `static/` recursively; when one of those folders appears, vanishes or is moved back,
//! its watch is armed again, so deleting and restoring `content/`, or making it after
//! `serve` started, is followed like any edit. Every file the build reads counts, whatever
//! its name (dotfiles too: the build skips none). The root is the path the user gave, made
//! absolute once at start (from the path of the folder `serve` started in, not its inode),
//! and the site is always built from that path; its identity (device, inode) is checked
//! after every burst of events and at least once a second, and when it changes (the folder
//! deleted and restored, or moved away and another put in its place) every watch is armed
//! again and the site rebuilt. A build that fails, or panics, leaves the last good build
//! served; one that failed for want of file descriptors is first tried again a few times.
//!
//! # Safety
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

use crate::output::Output;
use crate::site::{build, BuildError, BuildOptions, BuildStats};
use anyhow::{bail, Context, Result};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use notify::{RecursiveMode, Watcher};
use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::path::PathBuf;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use tokio::sync::watch;

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
    files: Arc<BTreeMap<String, Bytes>>,
    /// The ETag of every file but pages (a hash of its bytes), made once per build.
    etags: Arc<HashMap<String, String>>,
    /// How many pages the last good build made.
    pages: usize,
    version: u64,
    kind: &'static str,
    error: Option<String>,
}

/// The current snapshot; every request reads it, every build replaces it, and a poll
/// waits on it for the next version.
type Shared = watch::Sender<Arc<Snapshot>>;

type Body = Full<Bytes>;

const LIVE_JS: &str = include_str!("live.js");
const POLL_WAIT: Duration = Duration::from_secs(25);
/// Saves that arrive within this long of each other are built once.
const QUIET: Duration = Duration::from_millis(3);
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
/// The source folders, watched recursively and re-armed when they come and go.
const SOURCES: [&str; 3] = ["content", "templates", "static"];
/// How often the site folder's identity is checked when no event arrives: a folder deleted
/// and restored, or replaced, is followed again within this long.
const ROOT_CHECK: Duration = Duration::from_secs(1);
/// How many times a build that ran out of file descriptors is tried again, the first after
/// [`RETRY_FIRST`] and each next after twice as long, at most a second.
const RETRIES: u32 = 8;
const RETRY_FIRST: Duration = Duration::from_millis(50);
/// The endpoints `serve` answers itself, whatever the build holds at these paths.
const LIVE_PATH: &str = "/__docsite/live.js";
const POLL_PATH: &str = "/__docsite/poll";

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
    let port = listener.local_addr().map_or(opts.port, |a| a.port());
    raise_descriptor_limit();
    listener
        .set_nonblocking(true)
        .with_context(|| format!("cannot listen on {addr}"))?;
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
    // The root as the user named it, made absolute once from the path (not the inode) of
    // the folder `serve` started in: a site folder deleted and restored, or moved away and
    // copied back, is found again at that path and read from there.
    let root = std::path::absolute(&opts.root)
        .with_context(|| format!("cannot find the site folder {}", opts.root.display()))?;
    let build_opts = BuildOptions {
        root: root.clone(),
        base_url: Some(url.clone()),
        drafts: opts.drafts,
    };
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            let _ = tx.send(ev);
        }
    })
    .context("cannot watch the site's files")?;
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", root.display()))?;
    for dir in SOURCES {
        arm(&mut watcher, &root, dir);
    }
    // Built after the watches are armed, so that no save falls between the two.
    let shared: Arc<Shared> = Arc::new(watch::Sender::new(Arc::default()));
    rebuild(&build_opts, &shared);

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
    runtime.spawn(accept_loop(listener, Arc::clone(&shared)));
    eprintln!(
        "serving {} at {url} (Ctrl-C stops)",
        crate::diag::clean(&opts.root.display().to_string())
    );
    if opts.open {
        open_browser(&url);
    }

    let mut id = identity(&root);
    loop {
        let mut relevant = false;
        let mut folders = Vec::new();
        match rx.recv_timeout(ROOT_CHECK) {
            Ok(first) => {
                relevant = matters(&root, &first);
                folders = source_folders(&root, &first);
                // Coalesce a burst of saves (editors write, rename and touch in quick
                // succession).
                while let Ok(ev) = rx.recv_timeout(QUIET) {
                    relevant |= matters(&root, &ev);
                    folders.extend(source_folders(&root, &ev));
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        // The site folder itself deleted, restored, or replaced by another folder at the
        // same path: the watches followed the old folder (or went with it), so all are
        // armed again on whatever is at the path now, and the site is built from it.
        let now = identity(&root);
        if now != id {
            id = now;
            arm_all(&mut watcher, &root);
            relevant = true;
        } else {
            folders.sort_unstable();
            folders.dedup();
            for dir in folders {
                arm(&mut watcher, &root, dir);
            }
        }
        if relevant {
            rebuild(&build_opts, &shared);
        }
    }
    drop(watcher);
    Ok(())
}

/// The site folder's identity (device and inode), or `None` while nothing is there.
fn identity(root: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(root).ok().map(|m| (m.dev(), m.ino()))
}

/// Arms every watch again: the root (not recursively) and each source folder.
fn arm_all(watcher: &mut impl Watcher, root: &Path) {
    let _ = watcher.unwatch(root);
    if root.is_dir() {
        if let Err(e) = watcher.watch(root, RecursiveMode::NonRecursive) {
            eprintln!(
                "warning: cannot watch {}: {e}; edits there are not seen",
                root.display()
            );
        }
    }
    for dir in SOURCES {
        arm(watcher, root, dir);
    }
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

/// (Re)starts the recursive watch of a source folder, if it is there. Called at start and
/// whenever an event names the folder itself: a deleted folder's watch is gone with it, and
/// a folder made, restored or moved back needs a new one.
fn arm(watcher: &mut impl Watcher, root: &Path, dir: &str) {
    let path = root.join(dir);
    let _ = watcher.unwatch(&path);
    if path.is_dir() {
        if let Err(e) = watcher.watch(&path, RecursiveMode::Recursive) {
            eprintln!(
                "warning: cannot watch {}: {e}; edits there are not seen",
                path.display()
            );
        }
    }
}

/// The source folders an event names themselves (not a file inside them).
fn source_folders(root: &Path, ev: &notify::Event) -> Vec<&'static str> {
    if matches!(ev.kind, notify::EventKind::Access(_)) {
        return Vec::new();
    }
    SOURCES
        .into_iter()
        .filter(|dir| ev.paths.iter().any(|p| *p == root.join(dir)))
        .collect()
}

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
                    eprintln!(
                        "warning: cannot accept connections ({e}); waiting for some to close"
                    );
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

/// Builds into memory; on success swaps the new files in, on failure (or a panic in the
/// build) keeps the old ones and records the error. Either way, open pages are woken
/// (unless the build made the very files of the last good one). A build that failed for want of file descriptors (many open connections) is tried again
/// a few times, after a short and growing wait, before its error is shown.
fn rebuild(opts: &BuildOptions, shared: &Shared) {
    let mut wait = RETRY_FIRST;
    let mut retries = 0;
    let (attempt, elapsed) = loop {
        let started = Instant::now();
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let out = Output::memory();
            build(opts, &out).and_then(|stats| Ok((stats, out.commit()?.unwrap_or_default())))
        }));
        let elapsed = started.elapsed();
        if retries == RETRIES || !out_of_descriptors(&attempt) {
            break (attempt, elapsed);
        }
        if retries == 0 {
            eprintln!("the build ran out of file descriptors; trying again");
        }
        drop(attempt);
        std::thread::sleep(wait);
        wait = (wait * 2).min(Duration::from_secs(1));
        retries += 1;
    };
    let still_out = retries == RETRIES && out_of_descriptors(&attempt);
    let old = shared.borrow().clone();
    let mut next = settle(&old, attempt);
    if still_out {
        if let Some(text) = &mut next.error {
            text.push_str(
                "\nnote: docsite ran out of file descriptors (each open connection takes one); \
                 close some tabs or raise the limit (`ulimit -n`), then save again",
            );
        }
    }
    match &next.error {
        None => eprintln!(
            "built {} pages in {:.1} ms",
            next.pages,
            elapsed.as_secs_f64() * 1000.0
        ),
        Some(text) => eprintln!("{text}\nthe build failed; still serving the last good build"),
    }
    if next.error.is_none() {
        for path in [LIVE_PATH, POLL_PATH] {
            if next.files.contains_key(&path[1..]) {
                eprintln!(
                    "warning: static{path} is published by `docsite build`, but `serve` answers {path} itself (its live reload) and never serves this file; rename it"
                );
            }
        }
    }
    shared.send_replace(Arc::new(next));
}

/// Whether a build failed because the process had no file descriptor left (`EMFILE`) or
/// the system none (`ENFILE`): the io error's text, as it reaches a diagnostic or an
/// error chain.
fn out_of_descriptors(attempt: &Attempt) -> bool {
    let text = match attempt {
        Ok(Err(BuildError::Site(d))) => d.to_string(),
        Ok(Err(BuildError::System(e))) => format!("{e:#}"),
        _ => return false,
    };
    [libc::EMFILE, libc::ENFILE]
        .into_iter()
        .any(|code| text.contains(&std::io::Error::from_raw_os_error(code).to_string()))
}

type Attempt = std::thread::Result<Result<(BuildStats, BTreeMap<String, Vec<u8>>), BuildError>>;

/// The snapshot after a build attempt: its files when it succeeded (with `old`'s version
/// if they are `old`'s files, byte for byte), else `old`'s files and the error (a panic's
/// message included).
fn settle(old: &Snapshot, attempt: Attempt) -> Snapshot {
    let last_good = old.version > 0 && old.error.is_none();
    if let Ok(Ok((stats, files))) = &attempt {
        if last_good && change(&old.files, old.version, files) == Change::Nothing {
            // The same site: open pages are not woken (the version stays).
            return Snapshot {
                files: Arc::clone(&old.files),
                etags: Arc::clone(&old.etags),
                pages: stats.pages,
                version: old.version,
                kind: old.kind,
                error: None,
            };
        }
    }
    let mut next = Snapshot {
        files: Arc::clone(&old.files),
        etags: Arc::clone(&old.etags),
        pages: old.pages,
        version: old.version + 1,
        kind: "full",
        error: None,
    };
    next.error = match attempt {
        Ok(Ok((stats, files))) => {
            let files: BTreeMap<String, Bytes> = files
                .into_iter()
                .map(|(k, v)| (k, Bytes::from(v)))
                .collect();
            if last_good && change(&old.files, old.version, &files) == Change::Css {
                next.kind = "css";
            }
            next.etags = Arc::new(
                files
                    .iter()
                    .filter(|(name, _)| !name.ends_with(".html"))
                    .map(|(name, bytes)| (name.clone(), format!("\"{:016x}\"", fnv1a(bytes))))
                    .collect(),
            );
            // Pages get the live-reload script here, once per build: every request for a
            // page shares this copy.
            let files = files
                .into_iter()
                .map(|(name, bytes)| {
                    if name.ends_with(".html") {
                        let page = Bytes::from(inject(&bytes, next.version));
                        (name, page)
                    } else {
                        (name, bytes)
                    }
                })
                .collect();
            next.files = Arc::new(files);
            next.pages = stats.pages;
            None
        }
        Ok(Err(BuildError::Site(d))) => Some(d.to_string()),
        Ok(Err(BuildError::System(e))) => Some(format!("error: {e:#}")),
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Some(format!(
                "error: the build crashed ({why}); this is a bug in docsite, please report it"
            ))
        }
    };
    next
}

/// How a build differs from the last good one.
#[derive(Debug, PartialEq)]
enum Change {
    /// Not at all (a save that changed nothing, an editor's swap file).
    Nothing,
    /// In stylesheets only.
    Css,
    /// Otherwise.
    Other,
}

/// How the build `new` differs from `old` (as served: its pages carry the script of build
/// `old_version`).
fn change<A: AsRef<[u8]>, B: AsRef<[u8]>>(
    old: &BTreeMap<String, A>,
    old_version: u64,
    new: &BTreeMap<String, B>,
) -> Change {
    if old.len() != new.len() {
        return Change::Other;
    }
    let mut css = false;
    for ((ka, va), (kb, vb)) in old.iter().zip(new) {
        if ka != kb {
            return Change::Other;
        }
        let (va, vb) = (va.as_ref(), vb.as_ref());
        let same = if ka.ends_with(".html") {
            served_as(va, old_version, vb)
        } else {
            va == vb
        };
        if !same {
            if !ka.ends_with(".css") {
                return Change::Other;
            }
            css = true;
        }
    }
    if css {
        Change::Css
    } else {
        Change::Nothing
    }
}

/// Whether a file event concerns what the build reads: `site.toml` and every file under
/// `content/`, `templates/` and `static/`, whatever its name. The build ignores no file
/// there ([`crate::files::files_under`] walks them all, dotfiles included: a broken
/// `content/events/.bad.md` fails it, `static/.well-known/` is published), so neither does
/// this. An editor's swap or backup file costs at most a rebuild (saves are coalesced),
/// and a build that makes the same files as the last one wakes no page ([`settle`]).
fn matters(root: &Path, ev: &notify::Event) -> bool {
    if matches!(ev.kind, notify::EventKind::Access(_)) {
        return false;
    }
    ev.paths.iter().any(|p| {
        let rel = p.strip_prefix(root).unwrap_or(p);
        let first = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or_default();
        SOURCES.contains(&first) || rel == Path::new("site.toml")
    })
}

/// Answers one request.
async fn answer(req: Request<Incoming>, local: Option<IpAddr>, shared: &Shared) -> Response<Body> {
    match addressed_here(&req, local) {
        Ok(()) => {}
        Err(status) => {
            let text = if status == StatusCode::BAD_REQUEST {
                "A request needs one Host header.\n"
            } else {
                "docsite serve answers only requests addressed to localhost, a loopback address or the address it listens on.\n"
            };
            return closing(plain(status, text));
        }
    }
    if has_body(req.headers()) {
        return closing(plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "docsite serve takes no request bodies.\n",
        ));
    }
    let head = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD.\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
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
        let seen: Option<u64> = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("v="))
            .and_then(|v| v.parse().ok());
        let mut rx = shared.subscribe();
        if let Some(v) = seen {
            let _ = tokio::time::timeout(POLL_WAIT, rx.wait_for(|s| s.version != v)).await;
        }
        let now = rx.borrow().clone();
        let body = serde_json::json!({ "v": now.version, "kind": now.kind, "error": now.error })
            .to_string();
        reply(StatusCode::OK, "application/json", Bytes::from(body))
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
            let body = match now.files.get("404.html") {
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

/// The live-reload script's tag, for a page of build `version`.
fn live_tag(version: u64) -> String {
    format!("<script src=\"{LIVE_PATH}\" data-v=\"{version}\" defer></script>")
}

/// Where the script goes: before the page's last `</body>`, else at its end.
fn script_at(html: &[u8]) -> usize {
    html.windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len())
}

/// Adds the live-reload script to a page.
fn inject(html: &[u8], version: u64) -> Vec<u8> {
    let tag = live_tag(version);
    let at = script_at(html);
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Whether `served` is `inject(page, version)`, compared in place (no copy is made).
fn served_as(served: &[u8], version: u64, page: &[u8]) -> bool {
    let tag = live_tag(version);
    let (at, end) = (script_at(page), script_at(page) + tag.len());
    served.len() == page.len() + tag.len()
        && served[..at] == page[..at]
        && served[at..end] == *tag.as_bytes()
        && served[end..] == page[at..]
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
    #[allow(unused_imports)]
    use crate::routes::*;
    #[allow(unused_imports)]
    use crate::text::*;

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
    fn css_changes_and_no_changes_are_told_apart() {
        // The old build as served: its pages carry the script of its version, 7.
        let served: BTreeMap<String, Vec<u8>> = site()
            .into_iter()
            .map(|(k, v)| {
                let v = if k.ends_with(".html") {
                    inject(&v, 7)
                } else {
                    v
                };
                (k, v)
            })
            .collect();
        assert_eq!(change(&served, 7, &site()), Change::Nothing);
        assert_eq!(
            change(&served, 6, &site()),
            Change::Other,
            "another version's script"
        );
        let mut b = site();
        b.insert("style.css".into(), b"new".to_vec());
        assert_eq!(change(&served, 7, &b), Change::Css);
        b.insert("index.html".into(), b"new".to_vec());
        assert_eq!(change(&served, 7, &b), Change::Other);
        let mut c = site();
        c.insert("new.css".into(), b"new".to_vec());
        assert_eq!(change(&served, 7, &c), Change::Other, "a file more");
    }

    #[test]
    fn a_served_page_is_recognised_as_its_source_and_the_script_only() {
        for page in [&b"<p>x</p></body></html>"[..], b"no body end", b""] {
            let served = inject(page, 12);
            assert!(served_as(&served, 12, page));
            assert!(!served_as(&served, 1, page));
            assert!(!served_as(page, 12, page));
            let mut other = page.to_vec();
            other.push(b'!');
            assert!(!served_as(&served, 12, &other));
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<p>x</p></BODY></html>", 3)).unwrap();
        assert_eq!(
            out,
            "<p>x</p><script src=\"/__docsite/live.js\" data-v=\"3\" defer></script></BODY></html>"
        );
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
    fn only_a_build_out_of_descriptors_is_tried_again() {
        let io = |code| std::io::Error::from_raw_os_error(code);
        let site = |code| -> Attempt {
            let d =
                crate::diag::Diagnostic::file("site.toml", format!("cannot read: {}", io(code)));
            Ok(Err(BuildError::Site(crate::diag::Diagnostics(vec![d]))))
        };
        assert!(out_of_descriptors(&site(libc::EMFILE)));
        assert!(out_of_descriptors(&site(libc::ENFILE)));
        assert!(!out_of_descriptors(&site(libc::ENOENT)));
        let system = |code| -> Attempt {
            Ok(Err(BuildError::System(
                anyhow::Error::new(io(code)).context("cannot read the folder static"),
            )))
        };
        assert!(out_of_descriptors(&system(libc::EMFILE)));
        assert!(!out_of_descriptors(&system(libc::EACCES)));
        let built: Attempt = Ok(Ok((
            BuildStats {
                pages: 0,
                files: 0,
                events: 0,
                chapters: 0,
            },
            BTreeMap::new(),
        )));
        assert!(!out_of_descriptors(&built));
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

    #[test]
    fn a_failed_or_panicking_build_keeps_the_last_good_files() {
        let stats = || BuildStats {
            pages: 2,
            files: 4,
            events: 0,
            chapters: 0,
        };
        let good = settle(&Snapshot::default(), Ok(Ok((stats(), site()))));
        assert_eq!((good.version, good.error.as_deref()), (1, None));
        assert_eq!(good.files.len(), 4);
        assert!(good.etags.contains_key("style.css") && !good.etags.contains_key("index.html"));
        // Pages are served with the script, put in once by the build.
        assert_eq!(&good.files["index.html"][..], &inject(b"index.html", 1)[..]);
        assert_eq!(&good.files["style.css"][..], b"style.css");
        let mut css = site();
        css.insert("style.css".into(), b"new".to_vec());
        let restyled = settle(&good, Ok(Ok((stats(), css.clone()))));
        assert_eq!(restyled.kind, "css", "only the stylesheet changed");
        assert_eq!(
            &restyled.files["index.html"][..],
            &inject(b"index.html", 2)[..]
        );
        let good = settle(&restyled, Ok(Ok((stats(), site()))));
        assert_eq!(good.kind, "css");
        // The same files again: the same version, so no page is woken.
        let same = settle(&good, Ok(Ok((stats(), site()))));
        assert_eq!((same.version, same.error.as_deref()), (good.version, None));
        assert!(Arc::ptr_eq(&same.files, &good.files));

        let crash = std::panic::catch_unwind(|| -> Result<_, BuildError> {
            panic!("a template included itself")
        });
        let after = settle(&good, crash);
        assert_eq!(after.version, good.version + 1);
        assert_eq!(
            after.error.as_deref(),
            Some("error: the build crashed (a template included itself); this is a bug in docsite, please report it")
        );
        assert!(
            Arc::ptr_eq(&after.files, &good.files),
            "the last good files are served"
        );

        let failed = settle(
            &after,
            Ok(Err(BuildError::System(anyhow::anyhow!("disk gone")))),
        );
        assert_eq!(failed.error.as_deref(), Some("error: disk gone"));
        assert!(Arc::ptr_eq(&failed.files, &good.files));

        let fixed = settle(&failed, Ok(Ok((stats(), css))));
        assert_eq!(
            (fixed.error, fixed.kind),
            (None, "full"),
            "after an error, reload"
        );
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
