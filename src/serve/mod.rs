//! `serve`: the author's preview. Builds the site into memory with the same stages as
//! `build` (drafts included, the base URL rewritten to the local address), after the first
//! build incrementally ([`crate::incremental`]: only the pages an edit reaches), serves it over
//! HTTP, watches the site's sources and rebuilds on every change, and makes every open page
//! follow: a reload, a stylesheet swap when only CSS changed, or an overlay with the
//! build's `path:line:col` error while the last good build stays on screen.
//!
//! This module starts it all ([`serve`]); the work is split by concern:
//! - [`watch`]: the watches on the site's files, and the loop that rebuilds on a change;
//! - [`snapshot`]: the site as served, and how each build attempt replaces it (the last
//!   good build kept on failure, unchanged builds waking no page, CSS-only changes told);
//! - [`live`]: the live-reload script and its place in every page;
//! - [`listen`]: the server's port, its accept loop and its connections (limits on heads
//!   and time, running out of descriptors);
//! - [`http`]: the answer to each request (files, `Range`, ETags, media types, the checks
//!   on `Host` and bodies, the live-reload endpoints).

mod http;
mod listen;
mod live;
mod snapshot;
mod watch;

use crate::diag::{Diagnostic, Severity};
use crate::site::{BuildOptions, Strictness};
use anyhow::{Context, Result};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

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

/// Builds, serves and watches until interrupted.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let addr = SocketAddr::new(opts.interface, opts.port);
    let (listener, port) = listen::listen(addr)?;
    if !opts.interface.is_loopback() {
        warn(format!(
            "serving on {}, which other machines can reach; drafts and unfinished pages are visible to them",
            opts.interface
        ));
    }
    let url = local_url(opts.interface, port);
    // The root as the user named it, made absolute once from the path (not the inode) of
    // the folder `serve` started in: a site folder deleted and restored, or moved away and
    // copied back, is found again at that path and read from there.
    let root = std::path::absolute(&opts.root)
        .with_context(|| format!("cannot find the site folder {}", opts.root.display()))?;
    let build_opts = BuildOptions {
        root: root.clone(),
        base_url: Some(url.clone()),
        drafts: opts.drafts,
        strictness: Strictness::Warn,
    };
    let watch = watch::Watch::start(&root)?;
    // Built after the watches are armed, so that no save falls between the two.
    let shared: Arc<snapshot::Shared> = Arc::new(tokio::sync::watch::Sender::new(Arc::default()));
    let mut session = crate::incremental::Session::new(build_opts);
    // The warnings of the last good build, which the next one shows again in full only
    // while they are few.
    let mut warned = crate::diag::Diagnostics::default();
    snapshot::rebuild(&mut session, &shared, &mut warned);
    let _server = listen::start(listener, addr, Arc::clone(&shared))?;
    eprintln!(
        "serving {} at {url} (Ctrl-C stops)",
        crate::diag::clean(&opts.root.display().to_string())
    );
    if opts.open {
        open_browser(&url);
    }
    watch.follow(&mut session, &shared, &mut warned);
    Ok(())
}

/// The site's address as a browser on this machine reaches it: `interface` itself, or
/// `127.0.0.1` for all interfaces.
fn local_url(interface: IpAddr, port: u16) -> String {
    let host = if interface.is_unspecified() {
        "127.0.0.1".to_string()
    } else if interface.is_ipv6() {
        format!("[{interface}]")
    } else {
        interface.to_string()
    };
    format!("http://{host}:{port}/")
}

/// Tells the user of a problem that does not stop `serve`, as a warning: shown as the
/// build's problems are ([`Diagnostic`]'s form), with no file.
fn warn(message: String) {
    eprint!(
        "{}",
        Diagnostic::general(message).with_severity(Severity::Warning)
    );
}

/// Opens `url` in the system's browser.
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
        warn(format!(
            "could not open a browser ({cmd}: {e}); open {url} yourself"
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    /// A small site: two pages, a stylesheet and the 404 page, each file holding its name.
    pub(super) fn site() -> BTreeMap<String, Vec<u8>> {
        ["index.html", "a/index.html", "style.css", "404.html"]
            .into_iter()
            .map(|k| (k.to_string(), k.as_bytes().to_vec()))
            .collect()
    }
}
