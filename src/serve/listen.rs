//! The server's connections: binding the port, the accept loop, and each connection's
//! HTTP/1.1 (hyper's, on tokio, a task per connection, so a slow or stalled client holds
//! only its own connection); every request is answered by [`super::http`].
//!
//! - The request line and headers together may take 32 KiB (and at most 100 headers): more
//!   gets 431.
//! - A connection must send a whole request head within 10 s of the server starting to
//!   wait for one (this closes idle kept-alive connections too; a long poll in progress is
//!   not waiting for a head), and a response that makes no progress for 30 s (a client that
//!   stopped reading) closes its connection.
//! - Running out of file descriptors makes `accept` fail: the server waits, longer each
//!   time up to a second, and keeps accepting once connections have closed.

use super::http::answer;
use super::snapshot::Shared;
use super::warn;
use anyhow::{bail, Context, Result};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::http::POLL_WAIT;
    use crate::serve::snapshot::Snapshot;
    use bytes::Bytes;
    use std::collections::BTreeMap;
    use tokio::sync::watch;

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
