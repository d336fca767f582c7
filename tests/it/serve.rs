//! `serve`: a real server process on a free loopback port, asked over raw TCP so that the
//! request paths reach it exactly as written (no client normalises `..` away).

use crate::harness::SiteTest;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Served {
    child: Child,
    port: u16,
    log: std::sync::mpsc::Receiver<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(t: &SiteTest, extra: &[&str]) -> Served {
    serve_in(t.root(), extra)
}

/// A `serve` started in folder `dir`.
fn serve_in(dir: &std::path::Path, extra: &[&str]) -> Served {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docsite"));
    cmd.args(["serve", "--port", "0"]).args(extra);
    start(dir, cmd)
}

/// Starts `cmd` (a `serve`) in folder `dir` and waits for the line with its address.
fn start(dir: &std::path::Path, mut cmd: Command) -> Served {
    let mut child = cmd
        .current_dir(dir)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start serve");
    let (tx, log) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let port = loop {
        match log.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => {
                if let Some(rest) = line.split(" at http://127.0.0.1:").nth(1) {
                    break rest.split('/').next().and_then(|p| p.parse().ok());
                }
            }
            Err(_) => break None,
        }
    };
    match port {
        Some(port) => Served { child, port, log },
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve did not start");
        }
    }
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Served {
    fn get(&self, path: &str) -> Reply {
        self.get_with(path, "")
    }

    /// A GET with extra header lines (each ending in `\r\n`).
    fn get_with(&self, path: &str, headers: &str) -> Reply {
        self.raw(
            format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n{headers}\r\n",
                self.port
            )
            .as_bytes(),
        )
    }

    /// Sends `request` as it is and reads the reply until the server closes (at most 40 s).
    fn raw(&self, request: &[u8]) -> Reply {
        let mut s = self.connect();
        s.write_all(request).unwrap();
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
        Reply {
            status,
            headers: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(40))).unwrap();
        s
    }

    /// The server's resident memory in KiB (Linux).
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// Waits (at most 20 s) until `cond` holds.
    fn until(&self, what: &str, cond: impl Fn(&Served) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !cond(self) {
            assert!(Instant::now() < deadline, "gave up waiting until {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn version(&self) -> u64 {
        let r = self.get("/__docsite/poll");
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        v["v"].as_u64().unwrap()
    }

    /// Waits for the build after `v` and returns the poll's answer (past the preview of
    /// an edited page that may come first: `"kind": "preview"`).
    fn next_build(&self, mut v: u64) -> serde_json::Value {
        loop {
            let r = self.get(&format!("/__docsite/poll?v={v}"));
            let answer: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            if answer["kind"] != "preview" {
                return answer;
            }
            v = answer["v"].as_u64().unwrap();
        }
    }
}

#[test]
fn serves_pages_with_the_right_types_the_local_base_url_and_404s() {
    let t = SiteTest::new("build/minimal");
    let s = serve(&t, &[]);
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home
        .headers
        .contains("content-type: text/html; charset=utf-8"));
    assert!(home.body.contains("<script src=\"/__docsite/live.js\""));
    assert!(
        home.body.contains(&format!(
            "<link rel=\"canonical\" href=\"http://127.0.0.1:{}/\">",
            s.port
        )),
        "the base URL is the local address"
    );
    for (path, mime) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/timeline.js", "text/javascript; charset=utf-8"),
        ("/timeline.json", "application/json"),
        ("/favicon.svg", "image/svg+xml"),
        ("/atom.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers.contains(&format!("content-type: {mime}")),
            "{path}: {}",
            r.headers
        );
    }
    let missing = s.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    // A folder without its `/`: a temporary redirect (a browser keeps no permanent one
    // from a preview whose pages come and go), the query kept.
    let folder = s.get("/timeline");
    assert_eq!(folder.status, 307);
    assert_eq!(header(&folder, "location"), Some("/timeline/"));
    let folder = s.get("/timeline?year=1968&x=%2F");
    assert_eq!(folder.status, 307);
    assert_eq!(
        header(&folder, "location"),
        Some("/timeline/?year=1968&x=%2f")
    );
}

#[test]
fn nothing_outside_the_site_is_ever_served() {
    let t = SiteTest::new("build/minimal");
    std::fs::write(t.path("secret.txt"), "the site's private file").unwrap();
    let s = serve(&t, &[]);
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/static/../../secret.txt",
        "/site.toml",
        "/content/index.md",
        "/templates/base.html",
        "/%00",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("private"), "{path} leaked the file");
        assert!(!r.body.contains("root:"), "{path} leaked /etc/passwd");
    }
    // A symlink that leads out of static/ fails the build; the last good build is served.
    let v = s.version();
    std::os::unix::fs::symlink(t.path("secret.txt"), t.path("static/leak.txt")).unwrap();
    let after = s.next_build(v);
    let error = after["error"].as_str().unwrap_or_default();
    assert!(
        error.starts_with("error: this symlink leads out of static/, to "),
        "{error}"
    );
    let r = s.get("/leak.txt");
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("private"));
    assert_eq!(s.get("/").status, 200);
}

/// The value of header `name` (lowercase), if the reply has it.
fn header<'r>(r: &'r Reply, name: &str) -> Option<&'r str> {
    r.headers
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .map(str::trim)
}

#[test]
fn assets_carry_an_etag_and_unchanged_ones_answer_304() {
    let t = SiteTest::new("build/minimal");
    let s = serve(&t, &[]);
    let first = s.get("/style.css");
    assert_eq!(first.status, 200);
    let etag = header(&first, "etag").expect("an ETag").to_string();
    assert!(
        etag.len() > 2 && etag.starts_with('"') && etag.ends_with('"'),
        "{etag}"
    );
    let again = s.get_with("/style.css", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(again.status, 304);
    assert_eq!(again.body, "");
    assert_eq!(header(&again, "etag"), Some(etag.as_str()));
    // Pages carry the live-reload script and the build's version: never a 304.
    assert_eq!(header(&s.get("/"), "etag"), None);

    // An edit to the stylesheet changes its tag, and the old tag gets the new file.
    let v = s.version();
    let css = std::fs::read_to_string(t.path("static/style.css")).unwrap();
    t.write("static/style.css", &format!("{css}\n/* edited */\n"));
    let next = s.next_build(v);
    assert_eq!(next["error"], serde_json::Value::Null);
    let edited = s.get_with("/style.css", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(edited.status, 200);
    assert!(edited.body.ends_with("/* edited */\n"));
    assert_ne!(header(&edited, "etag"), Some(etag.as_str()));
}

#[test]
fn an_edit_rebuilds_and_an_error_keeps_the_last_good_build() {
    let t = SiteTest::new("check/draft");
    let s = serve(&t, &[]);
    // Drafts are shown.
    assert_eq!(s.get("/events/1960-draft/").status, 200);
    let event = "content/events/1968-peace-talks.md";
    let text = std::fs::read_to_string(t.path(event)).unwrap();

    let v = s.version();
    t.write(
        event,
        &text.replace("relations deteriorated", "relations soured"),
    );
    let next = s.next_build(v);
    assert_eq!(next["error"], serde_json::Value::Null);
    assert!(s
        .get("/events/1968-peace-talks/")
        .body
        .contains("relations soured"));

    let v = next["v"].as_u64().unwrap();
    t.write(
        event,
        &text.replace("date = \"1968\"", "date = \"1968-13\""),
    );
    let next = s.next_build(v);
    assert_eq!(
        next["error"].as_str().unwrap(),
        "error: month 13 does not exist: months run from 01 to 12\n --> content/events/1968-peace-talks.md:3:14\n  |\n3 | date = \"1968-13\"\n  |              ^^\n  = hint: dates are YYYY, YYYY-MM or YYYY-MM-DD; before year 1 add the era: \"490 BCE\", \"44-03-15 BCE\"\n\n1 problem found"
    );
    // Still the last good build.
    assert!(s
        .get("/events/1968-peace-talks/")
        .body
        .contains("relations soured"));

    // New and deleted files are picked up.
    let v = next["v"].as_u64().unwrap();
    t.write(event, &text);
    std::fs::remove_file(t.path("content/events/1960-draft.md")).unwrap();
    let mut next = s.next_build(v);
    while next["error"] != serde_json::Value::Null || s.get("/events/1960-draft/").status != 404 {
        next = s.next_build(next["v"].as_u64().unwrap());
    }
    assert_eq!(s.get("/events/1960-draft/").status, 404);
    let log: Vec<String> = s.log.try_iter().collect();
    assert!(log.iter().any(|l| l.starts_with("built ")), "{log:?}");
}

#[test]
fn a_taken_port_and_a_public_interface_are_told_plainly() {
    let t = SiteTest::new("build/minimal");
    let s = serve(&t, &[]);
    let r = t.run(&["serve", "--port", &s.port.to_string()]);
    assert_eq!(r.code, Some(1));
    assert_eq!(
        r.stderr,
        format!(
            "error: port {} on 127.0.0.1 is taken (is another `serve` running?); choose another with --port\n",
            s.port
        )
    );
    let mut child = crate::harness::KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_docsite"))
            .args(["serve", "--port", "0", "--interface", "0.0.0.0"])
            .current_dir(t.root())
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let first = crate::harness::lines(child.0.stderr.take().unwrap())
        .recv_timeout(Duration::from_secs(60))
        .expect("serve said nothing within 60 s");
    assert_eq!(
        first,
        "warning: serving on 0.0.0.0, which other machines can reach; drafts and unfinished pages are visible to them"
    );
}

#[test]
fn only_requests_addressed_to_this_machine_are_answered() {
    let t = SiteTest::new("build/minimal");
    let s = serve(&t, &[]);
    let port = s.port;
    let ask = |host_line: &str, target: &str| {
        s.raw(format!("GET {target} HTTP/1.1\r\n{host_line}Connection: close\r\n\r\n").as_bytes())
    };
    // What a page elsewhere sends after rebinding its own name to 127.0.0.1.
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "localhost:".to_string(),
        "10.1.2.3".to_string(),
    ] {
        let r = ask(&format!("Host: {host}\r\n"), "/");
        assert_eq!(r.status, 421, "{host}");
        assert!(!r.body.contains("Minimal"), "{host} was given the site");
        let r = ask(&format!("Host: {host}\r\n"), "/__docsite/poll");
        assert_eq!(r.status, 421, "{host}: the poll tells build errors");
    }
    // An absolute target names the host too, and must be ours as well.
    let r = ask(
        &format!("Host: 127.0.0.1:{port}\r\n"),
        "http://evil.example/",
    );
    assert_eq!(r.status, 421);
    // HTTP/1.1 needs exactly one Host.
    assert_eq!(ask("", "/").status, 400);
    assert_eq!(
        ask(
            &format!("Host: 127.0.0.1:{port}\r\nHost: evil.example\r\n"),
            "/"
        )
        .status,
        400
    );
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        "[::1]".to_string(),
        format!("[::1]:{port}"),
    ] {
        let r = ask(&format!("Host: {host}\r\n"), "/");
        assert_eq!(r.status, 200, "{host}");
        assert!(r.body.contains("Minimal"), "{host}");
    }
    let r = ask(
        &format!("Host: localhost:{port}\r\n"),
        &format!("http://localhost:{port}/style.css"),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn oversized_heads_get_431_bodies_413_and_the_server_goes_on() {
    let t = SiteTest::new("build/minimal");
    let s = serve(&t, &[]);
    let host = format!("Host: 127.0.0.1:{}\r\n", s.port);
    let long_line = format!("GET /{} HTTP/1.1\r\n{host}\r\n", "a".repeat(40 * 1024));
    let long_header = format!(
        "GET / HTTP/1.1\r\n{host}X-Big: {}\r\n\r\n",
        "b".repeat(40 * 1024)
    );
    let many_headers = format!(
        "GET / HTTP/1.1\r\n{host}{}\r\n",
        (0..200)
            .map(|i| format!("X-{i}: {i}\r\n"))
            .collect::<String>()
    );
    for (what, request) in [
        ("a 40 KiB request line", long_line),
        ("a 40 KiB header", long_header),
        ("200 headers", many_headers),
    ] {
        let r = s.raw(request.as_bytes());
        assert_eq!(r.status, 431, "{what}: {}", r.headers);
        assert_eq!(s.get("/").status, 200, "after {what}");
    }
    for body_headers in [
        "Content-Length: 100000000\r\n",
        "Transfer-Encoding: chunked\r\n",
    ] {
        for method in ["POST", "GET"] {
            let r = s.raw(format!("{method} / HTTP/1.1\r\n{host}{body_headers}\r\n").as_bytes());
            assert_eq!(r.status, 413, "{method} with {body_headers}");
        }
    }
    let r = s.raw(format!("DELETE / HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes());
    assert_eq!(r.status, 405);
    assert_eq!(header(&r, "allow"), Some("get, head"));

    // A 64 MiB request line, sent for as long as the server takes it: the server stops
    // reading at its limit, keeps no copy and answers the next request.
    let before = s.rss_kib();
    let mut c = s.connect();
    let _ = c.write_all(b"GET /");
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..64 {
        if c.write_all(&chunk).is_err() {
            break;
        }
    }
    drop(c);
    assert_eq!(s.get("/").status, 200);
    let grown = s.rss_kib().saturating_sub(before);
    assert!(grown < 16 * 1024, "the server grew by {grown} KiB");
}

#[test]
fn idle_and_half_sent_connections_do_not_keep_others_waiting() {
    let t = SiteTest::new("build/minimal");
    let s = serve(&t, &[]);
    let mut held = Vec::new();
    for i in 0..300 {
        let mut c = s.connect();
        if i % 3 == 0 {
            // A head that never ends (slowloris).
            write!(
                c,
                "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Slow: ",
                s.port
            )
            .unwrap();
        }
        held.push(c);
    }
    let r = s.get("/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Minimal"));
    assert_eq!(s.get("/style.css").status, 200);
    assert_eq!(s.get("/__docsite/poll").status, 200);
    drop(held);
}

/// A static file of `len` ASCII bytes that differ along the file.
fn big_asset(t: &SiteTest, name: &str, len: usize) -> String {
    let text: String = (0..len)
        .map(|i| char::from(b'a' + ((i / 7 + i % 13) % 26) as u8))
        .collect();
    t.write(&format!("static/{name}"), &text);
    text
}

#[test]
fn clients_that_stop_reading_hold_only_their_own_connection() {
    let t = SiteTest::new("build/minimal");
    let big = big_asset(&t, "film.txt", 16 << 20);
    let s = serve(&t, &[]);
    let first = s.get("/film.txt");
    assert_eq!(first.status, 200);
    assert_eq!(first.body.len(), big.len());
    let before = s.rss_kib();
    // More stalled clients than the old server had workers, each with 20 requests in a row
    // for the big file, none of them reading a byte.
    let mut stalled = Vec::new();
    for _ in 0..6 {
        let mut c = s.connect();
        let one = format!(
            "GET /film.txt HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            s.port
        );
        c.write_all(one.repeat(20).as_bytes()).unwrap();
        stalled.push(c);
    }
    for _ in 0..3 {
        let r = s.get("/film.txt");
        assert_eq!(r.status, 200);
        assert!(r.body == big, "a whole, intact copy");
    }
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Minimal"));
    // The stalled downloads share the build's copy of the file: six copies would be 96 MiB.
    let grown = s.rss_kib().saturating_sub(before);
    assert!(grown < 32 * 1024, "the server grew by {grown} KiB");
    drop(stalled);
}

#[test]
fn ranges_give_parts_of_assets_with_206_and_416() {
    let t = SiteTest::new("build/minimal");
    let big = big_asset(&t, "clip.txt", 100_000);
    let s = serve(&t, &[]);
    let whole = s.get("/clip.txt");
    assert_eq!(whole.status, 200);
    assert_eq!(header(&whole, "accept-ranges"), Some("bytes"));
    let etag = header(&whole, "etag").unwrap().to_string();

    for (range, first, last) in [
        ("bytes=0-99", 0, 99),
        ("bytes=99990-", 99_990, 99_999),
        ("bytes=-10", 99_990, 99_999),
        ("bytes=50000-50000", 50_000, 50_000),
        ("bytes=99000-200000", 99_000, 99_999),
        ("bytes=-200000", 0, 99_999),
    ] {
        let r = s.get_with("/clip.txt", &format!("Range: {range}\r\n"));
        assert_eq!(r.status, 206, "{range}");
        assert_eq!(
            header(&r, "content-range"),
            Some(format!("bytes {first}-{last}/100000").as_str()),
            "{range}"
        );
        let len = last - first + 1;
        assert_eq!(header(&r, "content-length"), Some(len.to_string().as_str()));
        assert!(r.body == big[first..=last], "{range}: the wrong bytes");
    }
    for range in ["bytes=100000-", "bytes=100000-100001", "bytes=-0"] {
        let r = s.get_with("/clip.txt", &format!("Range: {range}\r\n"));
        assert_eq!(r.status, 416, "{range}");
        assert_eq!(header(&r, "content-range"), Some("bytes */100000"));
    }
    // Several ranges, a malformed one, or an If-Range for another version: the whole file.
    for extra in [
        "Range: bytes=0-1,5-6\r\n".to_string(),
        "Range: bytes=9-5\r\n".to_string(),
        "Range: bytes=0-9\r\nIf-Range: \"0123456789abcdef\"\r\n".to_string(),
    ] {
        let r = s.get_with("/clip.txt", &extra);
        assert_eq!(r.status, 200, "{extra}");
        assert!(r.body == big, "{extra}");
    }
    let r = s.get_with(
        "/clip.txt",
        &format!("Range: bytes=0-9\r\nIf-Range: {etag}\r\n"),
    );
    assert_eq!(r.status, 206);
    assert_eq!(r.body, big[..10]);

    // HEAD: the headers of the GET, no body.
    let port = s.port;
    let head = |path: &str, extra: &str| {
        s.raw(
            format!("HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{extra}\r\n")
                .as_bytes(),
        )
    };
    let r = head("/clip.txt", "");
    assert_eq!(r.status, 200);
    assert_eq!(header(&r, "content-length"), Some("100000"));
    assert_eq!(header(&r, "accept-ranges"), Some("bytes"));
    assert_eq!(r.body, "");
    let r = head("/clip.txt", "Range: bytes=10-19\r\n");
    assert_eq!(r.status, 206);
    assert_eq!(header(&r, "content-length"), Some("10"));
    assert_eq!(r.body, "");
    let page = s.get("/");
    let r = head("/", "");
    assert_eq!(r.status, 200);
    assert_eq!(
        header(&r, "content-length"),
        Some(page.body.len().to_string().as_str())
    );
    assert_eq!(r.body, "");
}

/// Copies a folder tree file by file (as a restore or a checkout does: not at once).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Whether the last build succeeded and the home page says `text`.
fn home_says(s: &Served, text: &str) -> bool {
    let v = s.get("/__docsite/poll");
    let state: serde_json::Value = serde_json::from_str(&v.body).unwrap();
    state["error"].is_null() && s.get("/").body.contains(text)
}

#[test]
fn content_deleted_and_restored_is_still_watched() {
    let t = SiteTest::new("build/minimal");
    let s = serve(&t, &[]);
    let saved = tempfile::tempdir().unwrap();
    copy_tree(&t.path("content"), saved.path());
    let v = s.version();
    std::fs::remove_dir_all(t.path("content")).unwrap();
    s.until("the deletion is built", |s| s.version() > v);
    copy_tree(saved.path(), &t.path("content"));
    s.until("the restored content is built", |s| {
        home_says(s, "Start with")
    });
    let index = std::fs::read_to_string(t.path("content/index.md")).unwrap();
    t.write(
        "content/index.md",
        &index.replace("Start with", "Begin with"),
    );
    s.until("the edit after the restore is built", |s| {
        home_says(s, "Begin with")
    });
    // And once more, the folder moved away and back at once. Without content/ the build
    // fails (it does not make an empty site), and the last good one stays served.
    let error = |s: &Served| {
        let r = s.get("/__docsite/poll");
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        v["error"].as_str().map(str::to_string)
    };
    std::fs::rename(t.path("content"), t.path("content.away")).unwrap();
    s.until("the move is built", |s| {
        error(s).is_some_and(|e| e.contains("no content/ folder"))
    });
    std::fs::rename(t.path("content.away"), t.path("content")).unwrap();
    s.until("the move back is built", |s| {
        error(s).is_none() && home_says(s, "Begin with")
    });
    t.write("content/index.md", &index.replace("Start with", "Go to"));
    s.until("the edit after the move back is built", |s| {
        home_says(s, "Go to")
    });
}

#[test]
fn a_content_folder_made_after_serve_started_is_watched() {
    let t = SiteTest::new("build/minimal");
    let saved = tempfile::tempdir().unwrap();
    copy_tree(&t.path("content"), saved.path());
    std::fs::remove_dir_all(t.path("content")).unwrap();
    let s = serve(&t, &[]);
    assert!(!s.get("/").body.contains("Start with"), "no content yet");
    copy_tree(saved.path(), &t.path("content"));
    s.until("the new content is built", |s| home_says(s, "Start with"));
    let index = std::fs::read_to_string(t.path("content/index.md")).unwrap();
    t.write(
        "content/index.md",
        &index.replace("Start with", "Begin with"),
    );
    s.until("the edit is built", |s| home_says(s, "Begin with"));
}

#[test]
fn running_out_of_descriptors_pauses_accepting_and_then_it_goes_on() {
    let t = SiteTest::new("build/minimal");
    // The server alone gets a limit of 48 open files; 80 idle connections exceed it.
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "ulimit -n 48 && exec \"$0\" serve --port 0"])
        .arg(env!("CARGO_BIN_EXE_docsite"));
    let s = start(t.root(), cmd);
    let held: Vec<TcpStream> = (0..80).map(|_| s.connect()).collect();
    let mut log = Vec::new();
    wait_for_line(&s, &mut log, "warning: cannot accept connections (");
    assert!(
        log.iter().any(|l| l.contains("Too many open files")),
        "{log:?}"
    );
    drop(held);
    let r = s.get("/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Minimal"));
    wait_for_line(&s, &mut log, "accepting connections again");
}

/// Reads the server's log into `log` until a line starts with `start` (at most 20 s).
fn wait_for_line(s: &Served, log: &mut Vec<String>, start: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !log.iter().any(|l| l.starts_with(start)) {
        match s
            .log
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(line) => log.push(line),
            Err(_) => panic!("no line starting {start:?} in {log:?}"),
        }
    }
}

/// The last build's error, if it failed.
fn build_error(s: &Served) -> Option<String> {
    let r = s.get("/__docsite/poll");
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["error"].as_str().map(str::to_string)
}

#[test]
fn dotfiles_the_build_reads_are_watched_like_any_file() {
    let t = SiteTest::new("build/minimal");
    let s = serve(&t, &[]);
    // A broken event whose name starts with a dot fails the build, and deleting it, with no
    // other edit, builds again. The same for static/: a `.nojekyll` there collides with the
    // one the build makes.
    for (path, text) in [
        ("content/events/.bad.md", "+++\ntitle = \n+++\nBody.\n"),
        ("static/.nojekyll", ""),
    ] {
        t.write(path, text);
        s.until(&format!("the error of {path} is shown"), |s| {
            build_error(s).is_some_and(|e| e.contains(path))
        });
        std::fs::remove_file(t.path(path)).unwrap();
        s.until(&format!("the deletion of {path} is built"), |s| {
            build_error(s).is_none()
        });
    }
    // ...and other dotfiles (and dot folders) of static/ are published, edits and all.
    t.write("static/.well-known/.security.txt", "one");
    s.until("the new static dotfile is served", |s| {
        s.get("/.well-known/.security.txt").body == "one"
    });
    t.write("static/.well-known/.security.txt", "two");
    s.until("the edited static dotfile is served", |s| {
        s.get("/.well-known/.security.txt").body == "two"
    });
    std::fs::remove_file(t.path("static/.well-known/.security.txt")).unwrap();
    s.until("the deleted static dotfile is gone", |s| {
        s.get("/.well-known/.security.txt").status == 404
    });
}

#[test]
fn clients_that_stop_reading_a_big_page_share_one_copy_of_it() {
    let t = SiteTest::new("build/minimal");
    // A home page of some 5 MB.
    let paragraph = "Relations between the two parties were strained all year long. ";
    let body: String = (0..80_000).map(|i| format!("{paragraph}{i}\n\n")).collect();
    t.write(
        "content/index.md",
        &format!("+++\ntitle = \"Minimal\"\n+++\n{body}"),
    );
    let s = serve(&t, &[]);
    let first = s.get("/");
    assert_eq!(first.status, 200);
    assert!(first.body.len() > 5_000_000, "{} bytes", first.body.len());
    assert!(first.body.contains("<script src=\"/__docsite/live.js\""));
    let before = s.rss_kib();
    // Each client asks for the page, reads the start of the answer (so the server surely
    // has it in hand) and then stops reading.
    let mut stalled = Vec::new();
    for _ in 0..60 {
        let mut c = s.connect();
        write!(c, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", s.port).unwrap();
        let mut start = [0; 12];
        c.read_exact(&mut start).unwrap();
        assert_eq!(&start, b"HTTP/1.1 200");
        stalled.push(c);
    }
    let again = s.get("/");
    assert!(again.body == first.body, "a whole, intact copy");
    // A copy per request would be some 300 MB.
    let grown = s.rss_kib().saturating_sub(before);
    assert!(grown < 48 * 1024, "the server grew by {grown} KiB");
    drop(stalled);
}

/// A copy of the minimal site in a folder of its own (`site`, in the returned temporary
/// folder), served with `--root`; its home page says "Start with".
fn serve_a_copy(t: &SiteTest) -> (tempfile::TempDir, std::path::PathBuf, Served) {
    let outer = tempfile::tempdir().unwrap();
    let site = outer.path().join("site");
    copy_tree(t.root(), &site);
    let s = serve(t, &["--root", site.to_str().unwrap()]);
    assert!(home_says(&s, "Start with"));
    (outer, site, s)
}

/// Rewrites the home page of the copy at `site` to say `word` where it said "Start with".
fn home_to_say(site: &std::path::Path, word: &str) {
    let index = std::fs::read_to_string(site.join("content/index.md")).unwrap();
    std::fs::write(
        site.join("content/index.md"),
        index.replace("Start with", word),
    )
    .unwrap();
}

#[test]
fn a_site_folder_deleted_and_restored_is_followed() {
    let t = SiteTest::new("build/minimal");
    let (_outer, site, s) = serve_a_copy(&t);
    std::fs::remove_dir_all(&site).unwrap();
    s.until("the deletion is built", |s| {
        build_error(s).is_some_and(|e| e.contains("site.toml"))
    });
    copy_tree(t.root(), &site);
    s.until("the restored site is built", |s| home_says(s, "Start with"));
    home_to_say(&site, "Begin with");
    s.until("the edit after the restore is built", |s| {
        home_says(s, "Begin with")
    });
}

#[test]
fn a_site_folder_deleted_and_made_again_at_once_is_followed() {
    // Made again at once, the folder often gets the deleted one's inode back (ext4): the
    // deletion's own event has to re-arm the watches, not a changed inode. The folder is
    // empty for a moment, so that the deletion is handled while it is back but holds
    // nothing yet (then no event of `content/` re-arms its watch either).
    let t = SiteTest::new("build/minimal");
    let (_outer, site, s) = serve_a_copy(&t);
    for word in ["Begin with", "Go to", "Turn to"] {
        std::fs::remove_dir_all(&site).unwrap();
        std::fs::create_dir(&site).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        copy_tree(t.root(), &site);
        home_to_say(&site, word);
        s.until(
            &format!("the edit \"{word}\" in the new folder is built"),
            |s| home_says(s, word),
        );
    }
}

#[test]
fn a_site_folder_moved_away_and_copied_back_is_followed_from_its_path() {
    let t = SiteTest::new("build/minimal");
    let outer = tempfile::tempdir().unwrap();
    let site = outer.path().join("site");
    copy_tree(t.root(), &site);
    // The default root, `.`: the folder serve started in, by its path.
    let s = serve_in(&site, &[]);
    assert!(home_says(&s, "Start with"));
    let old = outer.path().join("site.old");
    std::fs::rename(&site, &old).unwrap();
    copy_tree(&old, &site);
    let index = std::fs::read_to_string(site.join("content/index.md")).unwrap();
    std::fs::write(
        site.join("content/index.md"),
        index.replace("Start with", "Begin with"),
    )
    .unwrap();
    s.until("the edit of the copy is built", |s| {
        home_says(s, "Begin with")
    });
    // The old folder is no longer the site.
    let moved = std::fs::read_to_string(old.join("content/index.md")).unwrap();
    std::fs::write(
        old.join("content/index.md"),
        moved.replace("Start with", "Old folder"),
    )
    .unwrap();
    std::fs::write(
        site.join("content/index.md"),
        index.replace("Start with", "Go to"),
    )
    .unwrap();
    s.until("the next edit of the copy is built", |s| {
        home_says(s, "Go to")
    });
    assert!(!s.get("/").body.contains("Old folder"));
}

#[test]
fn the_live_reload_paths_are_matched_decoded_and_shadowed_files_are_told() {
    let t = SiteTest::new("build/minimal");
    t.write("static/__docsite/poll", "a static file named poll");
    t.write("static/__docsite/live.js", "// a static live.js");
    t.write("static/__docsite/other.txt", "another file");
    let s = serve(&t, &[]);
    // Told on every build (the first one's lines came before the address).
    t.write("static/__docsite/other.txt", "another file");
    let mut log = Vec::new();
    wait_for_line(
        &s,
        &mut log,
        "warning: static/__docsite/live.js is published",
    );
    wait_for_line(&s, &mut log, "warning: static/__docsite/poll is published");
    for path in ["/__docsite/poll", "/__docsite/%70oll", "/%5F_docsite/poll"] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers.contains("content-type: application/json"),
            "{path}"
        );
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert!(v["v"].as_u64().is_some(), "{path}: {}", r.body);
    }
    for path in ["/__docsite/live.js", "/__docsite/live%2Ejs"] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.body.contains("Live reload for `docsite serve`"), "{path}");
    }
    // Other files there are the build's, as ever.
    assert_eq!(s.get("/__docsite/other.txt").body, "another file");
}

#[test]
fn a_build_out_of_descriptors_is_tried_again_without_another_edit() {
    let t = SiteTest::new("build/minimal");
    // The server alone gets a limit of 48 open files; 80 idle connections exhaust it.
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "ulimit -n 48 && exec \"$0\" serve --port 0"])
        .arg(env!("CARGO_BIN_EXE_docsite"));
    let s = start(t.root(), cmd);
    let held: Vec<TcpStream> = (0..80).map(|_| s.connect()).collect();
    let mut log = Vec::new();
    wait_for_line(&s, &mut log, "warning: cannot accept connections (");
    let index = std::fs::read_to_string(t.path("content/index.md")).unwrap();
    t.write(
        "content/index.md",
        &index.replace("Start with", "Begin with"),
    );
    wait_for_line(
        &s,
        &mut log,
        "the build ran out of file descriptors; trying again",
    );
    drop(held);
    s.until("the edit is built once descriptors are free", |s| {
        home_says(s, "Begin with")
    });
}

/// A warning (a file under content/ the build does not read) is shown in the log on every
/// build, and is not an error: the build is served and no error overlay is raised.
#[test]
fn warnings_go_to_the_log_and_not_to_the_error_overlay() {
    let t = SiteTest::new("build/minimal");
    t.write("content/notes.txt", "notes");
    let s = serve(&t, &[]);
    // The first build's lines came before the address: an edit makes another.
    t.write("content/notes.txt", "more notes");
    let mut log = Vec::new();
    wait_for_line(&s, &mut log, "warning: this file is not read by the build");
    wait_for_line(&s, &mut log, "1 warning found");
    assert_eq!(build_error(&s), None);
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn a_theme_override_added_while_serving_takes_effect_and_removing_it_restores_the_built_in() {
    let t = SiteTest::new("build/minimal");
    for folder in ["templates", "static"] {
        std::fs::remove_dir_all(t.path(folder)).unwrap();
    }
    let s = serve(&t, &[]);
    assert!(home_says(&s, "class=\"site-footer\""), "the built-in theme");
    let built_in_css = s.get("/style.css").body;
    t.write(
        "templates/footer.html",
        "<footer class=\"site-footer\">Our own footer</footer>\n",
    );
    s.until("the new template is built", |s| {
        home_says(s, "Our own footer")
    });
    t.write("static/style.css", "body { color: teal; }\n");
    s.until("the new style sheet is served", |s| {
        s.get("/style.css").body == "body { color: teal; }\n"
    });
    std::fs::remove_dir_all(t.path("templates")).unwrap();
    std::fs::remove_dir_all(t.path("static")).unwrap();
    s.until("the built-in theme is back", |s| {
        !home_says(s, "Our own footer") && s.get("/style.css").body == built_in_css
    });
}

#[test]
fn a_site_made_by_init_is_served_home_and_about_page_and_style() {
    let tmp = tempfile::tempdir().unwrap();
    crate::harness::run_in(tmp.path(), &["init", "harbour"]).success();
    let s = serve_in(&tmp.path().join("harbour"), &[]);
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("<title>Harbour"), "{}", home.body);
    assert!(home.body.contains("href=\"/about/\""), "{}", home.body);
    let about = s.get("/about/");
    assert_eq!(about.status, 200);
    assert!(about.body.contains("<h1>About</h1>"), "{}", about.body);
    assert_eq!(s.get("/style.css").status, 200);
    assert_eq!(s.get("/chapters/first-chapter/").status, 200);
}

/// `serve` answers from its last good build while a rebuild is under way: the rebuild of a
/// site of a thousand more events is held mid-build (`DOCSITE_HOLD_REBUILD`, a file that
/// it waits on), and pages, assets and the poll are answered, with the last build's
/// files, while it is known to be in progress; then the rebuild ends and the edit is
/// served.
#[test]
fn requests_are_answered_from_the_last_build_while_a_rebuild_is_under_way() {
    let t = crate::scale::events_site(1000);
    let hold = t.root().join("hold");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docsite"));
    cmd.args(["serve", "--port", "0"])
        .env("DOCSITE_HOLD_REBUILD", &hold);
    let s = start(t.root(), cmd);
    let page = "/events/e00500/";
    let before = s.get(page);
    assert_eq!(before.status, 200);
    assert!(before.body.contains("Scale event 500"));
    let v = s.version();
    std::fs::write(&hold, "").unwrap();
    let rel = crate::scale::scale_event(500);
    t.write(
        &rel,
        &crate::scale::event(500, "1999").replace("Scale event", "Edited event"),
    );
    let mut log = Vec::new();
    wait_for_line(&s, &mut log, "rebuild held: waiting while");
    // The rebuild is under way, and waits: every request is answered from the last build.
    for _ in 0..3 {
        let r = s.get(page);
        assert_eq!(r.status, 200);
        assert_eq!(r.body, before.body, "the last build's page");
        assert_eq!(s.get("/").status, 200);
        assert_eq!(s.get("/style.css").status, 200);
        assert_eq!(s.get("/no-such-page/").status, 404);
        assert_eq!(s.version(), v, "no new build yet");
    }
    std::fs::remove_file(&hold).unwrap();
    let deadline = Instant::now() + crate::harness::RUN_LIMIT;
    while s.version() == v {
        assert!(Instant::now() < deadline, "the rebuild did not end");
        s.next_build(v);
    }
    assert!(s.get(page).body.contains("Edited event 500"));
}
